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
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.TimeDriven;
import io.scenebank.gateway.tx.Cte;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
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

  Debts(CareServices care) {
    this.care = care;
  }

  /** The first reminder day strictly after {@code after}, or null (there is always a next one). */
  static LocalDate nextReminder(LocalDate due, LocalDate after) {
    for (LocalDate day : List.of(due.minusDays(3), due.minusDays(1))) {
      if (day.isAfter(after)) {
        return day;
      }
    }
    // weekly while overdue: a week after the first overdue day, and every week after that
    LocalDate firstOverdue = due.plusDays(1);
    long weeks = Math.max(1, ChronoUnit.DAYS.between(firstOverdue, after) / 7 + 1);
    LocalDate day = firstOverdue.plusWeeks(weeks);
    return day.isAfter(after) ? day : day.plusWeeks(1);
  }

  /**
   * Penalty for {@code days} days on {@code principal} at {@code bps} a day, rounded down daily.
   */
  static long penalty(long principal, int bps, long days) {
    return Math.multiplyExact(Math.multiplyExact(principal, (long) bps) / 10_000, days);
  }

  /** Writes the debt of a settlement (in the settlement's transaction). */
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
        nextReminder(due, AppClock.day(now)),
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
              List<Transfer> transfers = new ArrayList<>();
              List<Future<?>> updates = new ArrayList<>();
              List<String[]> eventsToEmit = new ArrayList<>(); // {type, debt id}
              boolean freeze = false;
              for (Row debt : rows) {
                String status = debt.getString("status");
                LocalDate due = debt.getLocalDate("due_date");
                LocalDate overdueSince = debt.getLocalDate("overdue_since");
                long penaltyAccrued = debt.getLong("penalty_accrued");
                int penaltyDays = debt.getInteger("penalty_days");
                LocalDate nextReminder = debt.getLocalDate("next_reminder_on");
                boolean changed = false;
                if (today.isAfter(due)) {
                  if ("DUE".equals(status)) {
                    status = "OVERDUE";
                    overdueSince = due.plusDays(1);
                    eventsToEmit.add(new String[] {"debt.overdue", debt.getString("id")});
                    freeze = true;
                    changed = true;
                  }
                  int target = (int) ChronoUnit.DAYS.between(due, today);
                  if (target > penaltyDays) {
                    long unpaid = debt.getLong("principal") - debt.getLong("repaid_principal");
                    long amount =
                        penalty(
                            unpaid,
                            debt.getInteger("penalty_daily_rate_bps"),
                            target - penaltyDays);
                    penaltyDays = target;
                    changed = true;
                    if (amount > 0) {
                      penaltyAccrued += amount;
                      transfers.add(
                          new Transfer(
                              Ledger.Layer.POSTED,
                              "care.penalty",
                              debt.getString("id"),
                              List.of(
                                  Posting.debit(line.getString("penalty_account"), amount),
                                  Posting.credit(CareRows.penaltyIncome(clientId), amount))));
                    }
                  }
                }
                if (nextReminder != null && !today.isBefore(nextReminder)) {
                  nextReminder = nextReminder(due, today);
                  eventsToEmit.add(new String[] {"debt.reminder", debt.getString("id")});
                  changed = true;
                }
                if (changed) {
                  updates.add(
                      tx.preparedQuery(
                              "UPDATE care_debts SET status = $2, overdue_since = $3,"
                                  + " penalty_accrued = $4, penalty_days = $5,"
                                  + " next_reminder_on = $6, updated_at = $7 WHERE id = $1")
                          .execute(
                              Tuple.of(
                                  debt.getString("id"),
                                  status,
                                  overdueSince,
                                  penaltyAccrued,
                                  penaltyDays,
                                  nextReminder,
                                  now)));
                }
              }
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
                        for (String[] event : eventsToEmit) {
                          Row debt =
                              debts.stream()
                                  .filter(d -> d.getString("id").equals(event[1]))
                                  .findFirst()
                                  .orElseThrow();
                          JsonObject json = care.rows().debt(debt);
                          emitted =
                              emitted.compose(
                                  v ->
                                      care.events()
                                          .emit(tx, clientId, event[0], json, call.requestId())
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

  /** A line frozen for an overdue debt becomes active again once no debt is overdue. */
  Future<Void> unfreezeIfClear(SqlClient tx, String lineId, OffsetDateTime now) {
    return tx.preparedQuery(
            "UPDATE care_credit_lines SET status = 'ACTIVE', frozen_reason = NULL, updated_at = $2"
                + " WHERE id = $1 AND status = 'FROZEN' AND frozen_reason = 'DEBT_OVERDUE'"
                + " AND NOT EXISTS (SELECT 1 FROM care_debts WHERE credit_line_id = $1"
                + " AND status = 'OVERDUE')")
        .execute(Tuple.of(lineId, now))
        .mapEmpty();
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

  Future<JsonObject> repay(Call call, String lineId, JsonObject request) {
    long amount = request.getJsonObject("amount").getLong("amount");
    String sourceRef = request.getString("source_ref");
    String debtId = request.getString("debt_id");
    return care.pool()
        .withTransaction(
            tx ->
                CreditLines.lock(tx, call.clientId(), lineId)
                    .compose(
                        line ->
                            tx.preparedQuery(
                                    "SELECT id FROM care_repayments WHERE credit_line_id = $1"
                                        + " AND source_ref = $2")
                                .execute(Tuple.of(lineId, sourceRef))
                                .compose(
                                    dup -> {
                                      if (dup.size() > 0) {
                                        throw Problem.conflict(
                                            "duplicate_source_ref",
                                            "source_ref "
                                                + sourceRef
                                                + " was already recorded as "
                                                + dup.iterator().next().getString("id")
                                                + ".");
                                      }
                                      return debtId == null
                                          ? Future.succeededFuture()
                                          : tx.preparedQuery(
                                                  "SELECT id FROM care_debts WHERE id = $1"
                                                      + " AND credit_line_id = $2")
                                              .execute(Tuple.of(debtId, lineId))
                                              .map(r -> CareRows.one(r, "debt", debtId));
                                    })
                                .compose(v -> care.clock().now(tx, call.clientId()))
                                .compose(
                                    now ->
                                        bringUpToDate(tx, call, line, now)
                                            .compose(
                                                debts ->
                                                    repay(
                                                        tx, call, line, debts, debtId, amount,
                                                        request, now)))))
        .onSuccess(r -> care.events().nudge());
  }

  private Future<JsonObject> repay(
      SqlClient tx,
      Call call,
      Row line,
      List<Row> debts,
      String debtId,
      long amount,
      JsonObject request,
      OffsetDateTime now) {
    String lineId = line.getString("id");
    List<Row> targets =
        debts.stream().filter(d -> debtId == null || d.getString("id").equals(debtId)).toList();
    long owed = 0;
    for (Row debt : targets) {
      owed += outstanding(debt);
    }
    if (owed == 0) {
      throw Problem.unprocessable(
          "nothing_outstanding",
          (debtId == null ? "Credit line " + lineId : "Debt " + debtId)
              + " has nothing outstanding.");
    }
    if (amount > owed) {
      throw Problem.unprocessable(
          "repayment_exceeds_outstanding", amount + " fen offered, " + owed + " fen outstanding.");
    }
    long left = amount;
    long principalPaid = 0;
    long penaltyPaid = 0;
    JsonArray allocations = new JsonArray();
    List<Future<?>> updates = new ArrayList<>();
    for (Row debt : targets) {
      if (left == 0) {
        break;
      }
      long penaltyDue = debt.getLong("penalty_accrued") - debt.getLong("repaid_penalty");
      long principalDue = debt.getLong("principal") - debt.getLong("repaid_principal");
      long toPenalty = Math.min(left, penaltyDue);
      left -= toPenalty;
      long toPrincipal = Math.min(left, principalDue);
      left -= toPrincipal;
      if (toPenalty + toPrincipal == 0) {
        continue;
      }
      penaltyPaid += toPenalty;
      principalPaid += toPrincipal;
      boolean repaid = toPenalty == penaltyDue && toPrincipal == principalDue;
      allocations.add(
          new JsonObject()
              .put("debt_id", debt.getString("id"))
              .put("principal", Rows.money(toPrincipal))
              .put("penalty", Rows.money(toPenalty)));
      updates.add(
          tx.preparedQuery(
                  "UPDATE care_debts SET repaid_principal = repaid_principal + $2,"
                      + " repaid_penalty = repaid_penalty + $3,"
                      + " status = CASE WHEN $4 THEN 'REPAID' ELSE status END,"
                      + " repaid_at = CASE WHEN $4 THEN $5 ELSE repaid_at END,"
                      + " next_reminder_on = CASE WHEN $4 THEN NULL ELSE next_reminder_on END,"
                      + " updated_at = $5 WHERE id = $1")
              .execute(Tuple.of(debt.getString("id"), toPrincipal, toPenalty, repaid, now)));
    }
    String id = Ids.next("rpy");
    String clientId = call.clientId();
    Transfer transfer =
        new Transfer(
            Ledger.Layer.POSTED,
            "care.repayment",
            id,
            List.of(
                Posting.debit(CareRows.repaymentsReceived(clientId), amount),
                Posting.credit(line.getString("penalty_account"), penaltyPaid),
                Posting.credit(line.getString("principal_account"), principalPaid)));
    return Future.all(updates)
        .compose(v -> care.ledger().record(tx, now, List.of(transfer)))
        .compose(v -> unfreezeIfClear(tx, lineId, now))
        .compose(
            v ->
                tx.preparedQuery(
                        "INSERT INTO care_repayments (id, client_id, credit_line_id, amount,"
                            + " allocations, source_ref, metadata, created_at)"
                            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *")
                    .execute(
                        Tuple.tuple()
                            .addString(id)
                            .addString(clientId)
                            .addString(lineId)
                            .addLong(amount)
                            .addJsonArray(allocations)
                            .addString(request.getString("source_ref"))
                            .addJsonObject(request.getJsonObject("metadata", new JsonObject()))
                            .addOffsetDateTime(now)))
        .compose(
            rows -> {
              JsonObject repayment = care.rows().repayment(rows.iterator().next());
              return care.events()
                  .emit(tx, clientId, "repayment.succeeded", repayment, call.requestId())
                  .compose(e -> call.answer(tx, 201, repayment));
            });
  }

  static long outstanding(Row debt) {
    return debt.getLong("principal")
        + debt.getLong("penalty_accrued")
        - debt.getLong("repaid_principal")
        - debt.getLong("repaid_penalty");
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
