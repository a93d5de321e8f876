package io.scenebank.gateway.care;

import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.ledger.Ledger.Transfer;
import io.scenebank.gateway.tx.Cte;
import io.scenebank.gateway.tx.Tx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of a repayment. Reading locks the credit line (every care operation that moves money on a
 * line locks it first), then reads the line with its balances, the source reference and the named
 * debt, and the line's open debts (locked), each in a statement of its own after the lock. Writing
 * is one statement: the penalty time accrued and the repayment in the ledger, the debts as they
 * end, the line's status, the repayment row and the events.
 */
final class DebtStore {

  private final Ledger ledger;
  private final Events events;

  DebtStore(Ledger ledger, Events events) {
    this.ledger = ledger;
    this.events = events;
  }

  /** A line to repay, as read under its lock. */
  record ToRepay(Row line, String repaymentWithSourceRef, boolean debtFound, List<Row> debts) {}

  /** The line (locked), what the rules need about it; null if the app has no such line. */
  Future<ToRepay> readForRepayment(Tx tx, String lineId, String sourceRef, String debtId) {
    String clientId = tx.clientId();
    tx.send(
        "SELECT 1 FROM care_credit_lines WHERE client_id = $1 AND id = $2 FOR UPDATE",
        clientId,
        lineId);
    ledger.ensure(
        tx, List.of(CareRows.penaltyIncome(clientId), CareRows.repaymentsReceived(clientId)));
    Future<RowSet<Row>> line =
        tx.send(
            "SELECT x.*, (SELECT r.id FROM care_repayments r WHERE r.credit_line_id = x.id"
                + " AND r.source_ref = $3) AS repayment_with_source_ref,"
                + " EXISTS (SELECT 1 FROM care_debts d WHERE d.id = $4"
                + " AND d.credit_line_id = x.id) AS debt_found FROM ("
                + CareRows.LINE_SELECT
                + " WHERE l.client_id = $1 AND l.id = $2) x",
            clientId,
            lineId,
            sourceRef,
            debtId);
    Future<RowSet<Row>> debts =
        tx.send(
            "SELECT * FROM care_debts WHERE client_id = $1 AND credit_line_id = $2"
                + " AND status <> 'REPAID' ORDER BY created_at, id FOR UPDATE",
            clientId,
            lineId);
    return Future.all(line, debts)
        .map(
            v -> {
              if (line.result().size() == 0) {
                return null;
              }
              Row row = line.result().iterator().next();
              List<Row> open = new ArrayList<>();
              debts.result().forEach(open::add);
              return new ToRepay(
                  row,
                  row.getString("repayment_with_source_ref"),
                  row.getBoolean("debt_found"),
                  open);
            });
  }

  /** A debt row as the rules see it. */
  static DebtRules.Debt debt(Row row) {
    return new DebtRules.Debt(
        row.getString("id"),
        row.getString("status"),
        row.getLong("principal"),
        row.getLong("penalty_accrued"),
        row.getInteger("penalty_days"),
        row.getLong("repaid_principal"),
        row.getLong("repaid_penalty"),
        row.getLocalDate("due_date"),
        row.getLocalDate("overdue_since"),
        row.getLocalDate("next_reminder_on"),
        row.getInteger("penalty_daily_rate_bps"));
  }

  /** An event to write, in order. */
  record Event(String type, JsonObject object) {}

  /**
   * The writes of a repayment: the penalty time accrued and the repayment (repayments received
   * against the line's penalty, then principal) in the ledger; the debts that changed, as they end;
   * the line's status if it froze or thawed; the repayment; the events.
   */
  Cte repay(
      String clientId,
      String requestId,
      Row line,
      DebtRules.Repay repay,
      JsonObject repayment,
      JsonObject request,
      List<Event> emitted,
      OffsetDateTime now) {
    String id = repayment.getString("id");
    String lineId = line.getString("id");
    String penaltyAccount = line.getString("penalty_account");
    Cte cte = new Cte();
    List<Transfer> transfers = new ArrayList<>();
    for (DebtRules.Penalty penalty : repay.time().penalties()) {
      transfers.add(
          new Transfer(
              Ledger.Layer.POSTED,
              "care.penalty",
              penalty.debtId(),
              List.of(
                  Posting.debit(penaltyAccount, penalty.amount()),
                  Posting.credit(CareRows.penaltyIncome(clientId), penalty.amount()))));
    }
    long amount = repay.penalty() + repay.principal();
    transfers.add(
        new Transfer(
            Ledger.Layer.POSTED,
            "care.repayment",
            id,
            List.of(
                Posting.debit(CareRows.repaymentsReceived(clientId), amount),
                Posting.credit(penaltyAccount, repay.penalty()),
                Posting.credit(line.getString("principal_account"), repay.principal()))));
    ledger.write(cte, now, transfers);
    debts(cte, repay, now);
    DebtRules.LineState before =
        new DebtRules.LineState(line.getString("status"), line.getString("frozen_reason"));
    if (repay.froze(before) || !repay.line().equals(before)) {
      cte.part(
          cte.name("line"),
          "UPDATE care_credit_lines SET status = $2, frozen_reason = $3, updated_at = $4"
              + " WHERE id = $1 RETURNING 1",
          lineId,
          repay.line().status(),
          repay.line().frozenReason(),
          now);
    }
    cte.part(
        cte.name("repayment"),
        "INSERT INTO care_repayments (id, client_id, credit_line_id, amount, allocations,"
            + " source_ref, metadata, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            + " RETURNING 1",
        id,
        clientId,
        lineId,
        amount,
        repayment.getJsonArray("allocations"),
        request.getString("source_ref"),
        request.getJsonObject("metadata", new JsonObject()),
        now);
    for (Event event : emitted) {
      events.write(cte, clientId, event.type(), event.object(), requestId);
    }
    return cte;
  }

  /** The debts time or the repayment changed, written as they end (one statement, each once). */
  private static void debts(Cte cte, DebtRules.Repay repay, OffsetDateTime now) {
    Map<String, Boolean> changed = new LinkedHashMap<>(); // id → repaid now
    repay.time().changed().forEach(id -> changed.put(id, false));
    repay.allocations().forEach(a -> changed.put(a.debtId(), a.repaid()));
    write(
        cte,
        repay.debts().stream().filter(d -> changed.containsKey(d.id())).toList(),
        d -> changed.get(d.id()),
        now);
  }

  /**
   * Debts written as they end, in one statement: every column a rule may change ({@code repaidNow}
   * says which of them were repaid by this operation, so that {@code repaid_at} is set).
   */
  static void write(
      Cte cte,
      List<DebtRules.Debt> rows,
      java.util.function.Predicate<DebtRules.Debt> repaidNow,
      OffsetDateTime now) {
    if (rows.isEmpty()) {
      return;
    }
    cte.part(
        cte.name("debts"),
        "UPDATE care_debts d SET status = u.status, overdue_since = u.overdue_since::date,"
            + " penalty_accrued = u.penalty_accrued, penalty_days = u.penalty_days,"
            + " principal = u.principal, repaid_principal = u.repaid_principal,"
            + " repaid_penalty = u.repaid_penalty, next_reminder_on = u.next_reminder_on::date,"
            + " repaid_at = CASE WHEN u.repaid THEN $11 ELSE d.repaid_at END, updated_at = $11"
            + " FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::int[],"
            + " $6::bigint[], $7::bigint[], $8::bigint[], $9::text[], $10::boolean[])"
            + " AS u (id, status, overdue_since, penalty_accrued, penalty_days, principal,"
            + " repaid_principal, repaid_penalty, next_reminder_on, repaid)"
            + " WHERE d.id = u.id RETURNING 1",
        rows.stream().map(DebtRules.Debt::id).toArray(String[]::new),
        rows.stream().map(DebtRules.Debt::status).toArray(String[]::new),
        rows.stream().map(d -> text(d.overdueSince())).toArray(String[]::new),
        rows.stream().map(DebtRules.Debt::penaltyAccrued).toArray(Long[]::new),
        rows.stream().map(DebtRules.Debt::penaltyDays).toArray(Integer[]::new),
        rows.stream().map(DebtRules.Debt::principal).toArray(Long[]::new),
        rows.stream().map(DebtRules.Debt::repaidPrincipal).toArray(Long[]::new),
        rows.stream().map(DebtRules.Debt::repaidPenalty).toArray(Long[]::new),
        rows.stream().map(d -> text(d.nextReminder())).toArray(String[]::new),
        rows.stream().map(repaidNow::test).toArray(Boolean[]::new),
        now);
  }

  private static String text(LocalDate day) {
    return day == null ? null : day.toString();
  }

  /** The allocations as the repayment shows them. */
  static JsonArray allocations(List<DebtRules.Allocation> allocations) {
    JsonArray json = new JsonArray();
    for (DebtRules.Allocation a : allocations) {
      json.add(
          new JsonObject()
              .put("debt_id", a.debtId())
              .put("principal", io.scenebank.gateway.support.Rows.money(a.principal()))
              .put("penalty", io.scenebank.gateway.support.Rows.money(a.penalty())));
    }
    return json;
  }
}
