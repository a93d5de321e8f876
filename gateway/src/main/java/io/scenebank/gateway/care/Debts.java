package io.scenebank.gateway.care;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.ledger.Ledger.Transfer;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.support.Times;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.TimeDriven;
import io.scenebank.gateway.tx.Answer;
import io.scenebank.gateway.tx.Cte;
import io.scenebank.gateway.tx.Plan;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Patients' debts from settlements: due after the grace period, then overdue (the line freezes,
 * penalty interest accrues each day on the unpaid principal), repaid oldest first, penalty before
 * principal. Reminders go out 3 days and 1 day before the due date and weekly while overdue.
 */
final class Debts implements TimeDriven {

  private static final int SWEEP_BATCH = 500;

  private final CareServices care;
  private final DebtStore store;

  Debts(CareServices care) {
    this.care = care;
    this.store = new DebtStore(care.ledger(), care.events());
  }

  /** Opens the patient's debt for a settlement's self-pay part, in the settlement's statement. */
  void openPart(
      Cte cte,
      String clientId,
      String lineId,
      int penaltyBps,
      String debtId,
      String encounterId,
      String settlementId,
      long principal,
      LocalDate due,
      OffsetDateTime now) {
    cte.part(
        cte.name("debt"),
        "INSERT INTO care_debts (id, client_id, credit_line_id, encounter_id, settlement_id,"
            + " status, principal, due_date, penalty_daily_rate_bps, next_reminder_on,"
            + " created_at, updated_at)"
            + " VALUES ($1, $2, $3, $4, $5, 'DUE', $6, $7, $8, $9, $10, $10) RETURNING 1",
        debtId,
        clientId,
        lineId,
        encounterId,
        settlementId,
        principal,
        due,
        penaltyBps,
        DebtRules.nextReminder(due, AppClock.day(now)),
        now);
  }

  /**
   * Brings the line's open debts up to the app's today: turns them overdue (freezing the line),
   * accrues penalty, sends due reminders. The line must be locked by the caller. Returns the open
   * debts, oldest first, as they now are.
   */
  Future<List<Row>> bringUpToDate(SqlClient tx, Call call, Row line, OffsetDateTime now) {
    LocalDate today = AppClock.day(now);
    String clientId = line.getString("client_id");
    String lineId = line.getString("id");
    return tx.preparedQuery(
            "SELECT * FROM care_debts WHERE credit_line_id = $1 AND status <> 'REPAID'"
                + " ORDER BY created_at, id FOR UPDATE")
        .execute(Tuple.of(lineId))
        .compose(
            rows -> {
              List<DebtRules.Debt> open = new ArrayList<>();
              rows.forEach(row -> open.add(DebtStore.debt(row)));
              DebtRules.CatchUp time = DebtRules.catchUp(today, open);
              List<Transfer> transfers = new ArrayList<>();
              for (DebtRules.Penalty penalty : time.penalties()) {
                transfers.add(
                    new Transfer(
                        Ledger.Layer.POSTED,
                        "care.penalty",
                        penalty.debtId(),
                        List.of(
                            Posting.debit(line.getString("penalty_account"), penalty.amount()),
                            Posting.credit(CareRows.penaltyIncome(clientId), penalty.amount()))));
              }
              List<Future<?>> updates = new ArrayList<>();
              for (DebtRules.Debt debt : time.debts()) {
                if (time.changed().contains(debt.id())) {
                  updates.add(
                      tx.preparedQuery(
                              "UPDATE care_debts SET status = $2, overdue_since = $3,"
                                  + " penalty_accrued = $4, penalty_days = $5,"
                                  + " next_reminder_on = $6, updated_at = $7 WHERE id = $1")
                          .execute(
                              Tuple.of(
                                  debt.id(),
                                  debt.status(),
                                  debt.overdueSince(),
                                  debt.penaltyAccrued(),
                                  debt.penaltyDays(),
                                  debt.nextReminder(),
                                  now)));
                }
              }
              boolean freeze = time.turnedOverdue();
              boolean freezeLine = freeze && "ACTIVE".equals(line.getString("status"));
              return Future.all(updates)
                  .compose(v -> care.ledger().record(tx, now, transfers))
                  .compose(
                      v ->
                          freezeLine
                              ? tx.preparedQuery(
                                      "UPDATE care_credit_lines SET status = 'FROZEN',"
                                          + " frozen_reason = 'DEBT_OVERDUE', updated_at = $2"
                                          + " WHERE id = $1")
                                  .execute(Tuple.of(lineId, now))
                                  .compose(x -> CreditLines.read(tx, lineId))
                                  .compose(
                                      frozen ->
                                          care.events()
                                              .emit(
                                                  tx,
                                                  clientId,
                                                  "credit_line.frozen",
                                                  care.rows().creditLine(frozen),
                                                  call.requestId()))
                                  .mapEmpty()
                              : Future.succeededFuture())
                  .compose(v -> openDebts(tx, lineId))
                  .compose(
                      debts -> {
                        Future<Void> emitted = Future.succeededFuture();
                        for (DebtRules.Notice notice : time.notices()) {
                          Row debt =
                              debts.stream()
                                  .filter(d -> d.getString("id").equals(notice.debtId()))
                                  .findFirst()
                                  .orElseThrow();
                          JsonObject json = care.rows().debt(debt);
                          emitted =
                              emitted.compose(
                                  v ->
                                      care.events()
                                          .emit(tx, clientId, notice.type(), json, call.requestId())
                                          .mapEmpty());
                        }
                        return emitted.map(debts);
                      });
            });
  }

  private static Future<List<Row>> openDebts(SqlClient tx, String lineId) {
    return tx.preparedQuery(
            "SELECT * FROM care_debts WHERE credit_line_id = $1 AND status <> 'REPAID'"
                + " ORDER BY created_at, id")
        .execute(Tuple.of(lineId))
        .map(
            rows -> {
              List<Row> list = new ArrayList<>();
              rows.forEach(list::add);
              return list;
            });
  }

  /** Debts falling due, turning overdue, accruing penalty or due a reminder, for every app. */
  @Override
  public Future<Void> runDue(String clientId) {
    String today =
        "(("
            + care.clock().nowSql("d.client_id")
            + " AT TIME ZONE 'UTC') + interval '8 hours')::date";
    return care.pool()
        .preparedQuery(
            "SELECT DISTINCT d.client_id, d.credit_line_id FROM care_debts d"
                + " WHERE d.status <> 'REPAID' AND ($1::text IS NULL OR d.client_id = $1)"
                + " AND (d.next_reminder_on <= "
                + today
                + " OR (d.due_date < "
                + today
                + " AND (d.status = 'DUE' OR d.penalty_days < "
                + today
                + " - d.due_date))) LIMIT "
                + SWEEP_BATCH)
        .execute(Tuple.of(clientId))
        .compose(
            rows -> {
              Future<Void> done = Future.succeededFuture();
              for (Row row : rows) {
                String client = row.getString("client_id");
                String lineId = row.getString("credit_line_id");
                done =
                    done.compose(
                        v ->
                            care.pool()
                                .withTransaction(
                                    tx ->
                                        CreditLines.lock(tx, client, lineId)
                                            .compose(
                                                line ->
                                                    care.clock()
                                                        .now(tx, client)
                                                        .compose(
                                                            now ->
                                                                bringUpToDate(
                                                                    tx,
                                                                    Call.internal(client),
                                                                    line,
                                                                    now))))
                                .<Void>mapEmpty());
              }
              return done.onSuccess(v -> care.events().nudge());
            });
  }

  Future<JsonObject> list(
      String clientId,
      String lineId,
      String status,
      OffsetDateTime from,
      OffsetDateTime until,
      Page.Request page) {
    // as stored: overdue and penalty are the sweeper's (and advanceClock's) work, not a read's
    return ListQuery.of("SELECT d.* FROM care_debts d", "d")
        .eq("d.client_id", clientId)
        .eq("d.credit_line_id", lineId)
        .eq("d.status", status)
        .createdFrom(from)
        .createdUntil(until)
        .page(care.pool(), page, care.rows()::debt);
  }

  Future<JsonObject> get(String clientId, String id) {
    return care.pool()
        .preparedQuery("SELECT * FROM care_debts WHERE client_id = $1 AND id = $2")
        .execute(Tuple.of(clientId, id))
        .map(rows -> care.rows().debt(CareRows.one(rows, "debt", id)));
  }

  /**
   * Records a repayment: one transaction through {@code Transactions} — the store reads the line
   * and its open debts under the line's lock, {@link DebtRules} bring the debts up to the app's
   * today and allocate the repayment, the store writes both.
   */
  Future<Answer> repay(Call call, String lineId, JsonObject request) {
    DebtRules.Request asked =
        new DebtRules.Request(
            lineId,
            request.getJsonObject("amount").getLong("amount"),
            request.getString("source_ref"),
            request.getString("debt_id"));
    return care.transactions()
        .run(
            call,
            tx ->
                Future.all(
                        store.readForRepayment(tx, lineId, asked.sourceRef(), asked.debtId()),
                        tx.now())
                    .map(
                        read -> {
                          DebtStore.ToRepay found = read.resultAt(0);
                          if (found == null) {
                            return Plan.refuse(Problem.notFound("No credit line " + lineId + "."));
                          }
                          OffsetDateTime now = read.resultAt(1);
                          List<DebtRules.Debt> open =
                              found.debts().stream().map(DebtStore::debt).toList();
                          DebtRules.State state =
                              new DebtRules.State(
                                  lineState(found.line()),
                                  found.repaymentWithSourceRef(),
                                  found.debtFound(),
                                  open);
                          DebtRules.Decision decision =
                              DebtRules.decide(asked, state, AppClock.day(now));
                          if (decision instanceof DebtRules.Refuse no) {
                            return Plan.refuse(no.problem());
                          }
                          return repaid(call, found, (DebtRules.Repay) decision, request, now);
                        }));
  }

  private static DebtRules.LineState lineState(Row line) {
    return new DebtRules.LineState(line.getString("status"), line.getString("frozen_reason"));
  }

  /** The answer, the events and the writes of a repayment the rules accepted. */
  private Plan repaid(
      Call call,
      DebtStore.ToRepay found,
      DebtRules.Repay repay,
      JsonObject request,
      OffsetDateTime now) {
    Row line = found.line();
    JsonObject lineJson = care.rows().creditLine(line);
    List<DebtStore.Event> emitted =
        care.rows()
            .timeEvents(line, repay.froze(lineState(line)), repay.time(), found.debts(), now);
    long amount = repay.penalty() + repay.principal();
    JsonObject repayment =
        new JsonObject()
            .put("id", Ids.next("rpy"))
            .put("object", "repayment")
            .put("livemode", lineJson.getBoolean("livemode"))
            .put("credit_line_id", line.getString("id"))
            .put("status", "SUCCEEDED")
            .put("amount", Rows.money(amount))
            .put("allocations", DebtStore.allocations(repay.allocations()))
            .put("source_ref", request.getString("source_ref"))
            .put("metadata", request.getJsonObject("metadata", new JsonObject()))
            .put("created_at", Times.format(now));
    emitted.add(new DebtStore.Event("repayment.succeeded", repayment));
    return Plan.apply(
        201,
        repayment,
        store.repay(
            call.clientId(), call.requestId(), line, repay, repayment, request, emitted, now));
  }

  Future<JsonObject> listRepayments(String clientId, String lineId, Page.Request page) {
    return care.pool()
        .preparedQuery("SELECT id FROM care_credit_lines WHERE client_id = $1 AND id = $2")
        .execute(Tuple.of(clientId, lineId))
        .compose(
            rows -> {
              CareRows.one(rows, "credit line", lineId);
              return ListQuery.of("SELECT r.* FROM care_repayments r", "r")
                  .eq("r.client_id", clientId)
                  .eq("r.credit_line_id", lineId)
                  .page(care.pool(), page, care.rows()::repayment);
            });
  }
}
