package io.scenebank.gateway.care;

import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.ledger.Ledger.Transfer;
import io.scenebank.gateway.tx.Cte;
import io.scenebank.gateway.tx.Tx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of a care refund. Reading locks the encounter's credit line (every care operation that
 * moves money on a line locks it first), then, each in a statement of its own after the lock, reads
 * the line with its balances and locks and reads the encounter, its settlement, the charges named
 * by the request and the line's open debts (with the settlement's debt, even if repaid). Writing is
 * one statement: the penalty time accrued and the refund in the ledger, the debts as they end, the
 * line's status, the charges, the settlement, the encounter, the refund row and the events.
 */
final class RefundStore {

  private final Ledger ledger;
  private final Events events;

  RefundStore(Ledger ledger, Events events) {
    this.ledger = ledger;
    this.events = events;
  }

  /**
   * An encounter to refund charges of, as read under its line's lock: the line (from {@link
   * CareRows#LINE_SELECT}), the encounter, its settlement (null unless settled), the charges named,
   * by id, the line's open debts, oldest first, and the settlement's debt (null if none).
   */
  record ToRefund(
      Row line,
      Row encounter,
      Row settlement,
      Map<String, Row> charges,
      List<Row> openDebts,
      Row debt) {}

  /** What {@link #read} returns for the app's encounter; null if it has no such encounter. */
  Future<ToRefund> read(Tx tx, String encounterId, List<String> chargeIds) {
    String clientId = tx.clientId();
    tx.send(
        "SELECT 1 FROM care_credit_lines WHERE id = (SELECT credit_line_id FROM care_encounters"
            + " WHERE client_id = $1 AND id = $2) FOR UPDATE",
        clientId,
        encounterId);
    ledger.ensure(
        tx,
        List.of(
            CareRows.hospitalSettlement(clientId),
            CareRows.insurerReceivable(clientId, "pooled_fund"),
            CareRows.insurerReceivable(clientId, "personal_account"),
            CareRows.patientRefunds(clientId),
            CareRows.penaltyIncome(clientId)));
    Future<RowSet<Row>> line =
        tx.send(
            CareRows.LINE_SELECT
                + " WHERE l.client_id = $1 AND l.id = (SELECT credit_line_id FROM care_encounters"
                + " WHERE client_id = $1 AND id = $2)",
            clientId,
            encounterId);
    Future<RowSet<Row>> encounter =
        tx.send(
            "SELECT * FROM care_encounters WHERE client_id = $1 AND id = $2 FOR UPDATE",
            clientId,
            encounterId);
    Future<RowSet<Row>> settlement =
        tx.send(
            "SELECT s.* FROM care_settlements s JOIN care_encounters e ON e.settlement_id = s.id"
                + " WHERE e.client_id = $1 AND e.id = $2 FOR UPDATE OF s",
            clientId,
            encounterId);
    Future<RowSet<Row>> charges =
        tx.send(
            "SELECT * FROM care_charges WHERE client_id = $1 AND encounter_id = $2"
                + " AND id = ANY ($3::text[]) ORDER BY id FOR UPDATE",
            clientId,
            encounterId,
            chargeIds.toArray(String[]::new));
    Future<RowSet<Row>> debts =
        tx.send(
            "SELECT d.* FROM care_debts d WHERE d.client_id = $1 AND d.credit_line_id ="
                + " (SELECT credit_line_id FROM care_encounters WHERE client_id = $1 AND id = $2)"
                + " AND (d.status <> 'REPAID' OR d.id = (SELECT s.debt_id FROM care_settlements s"
                + " JOIN care_encounters e ON e.settlement_id = s.id"
                + " WHERE e.client_id = $1 AND e.id = $2))"
                + " ORDER BY d.created_at, d.id FOR UPDATE",
            clientId,
            encounterId);
    return Future.all(List.of(line, encounter, settlement, charges, debts))
        .map(
            v -> {
              if (encounter.result().size() == 0) {
                return null;
              }
              Row found = encounter.result().iterator().next();
              Row settled =
                  settlement.result().size() == 0 ? null : settlement.result().iterator().next();
              Map<String, Row> byId = new LinkedHashMap<>();
              charges.result().forEach(c -> byId.put(c.getString("id"), c));
              String debtId = settled == null ? null : settled.getString("debt_id");
              List<Row> open = new ArrayList<>();
              Row debt = null;
              for (Row row : debts.result()) {
                if (!"REPAID".equals(row.getString("status"))) {
                  open.add(row);
                }
                if (row.getString("id").equals(debtId)) {
                  debt = row;
                }
              }
              return new ToRefund(
                  line.result().iterator().next(), found, settled, byId, open, debt);
            });
  }

  /**
   * The writes of a refund: the penalty time accrued (line's penalty account to penalty income) and
   * the refund (hospital debited the total; the insurer's parts off its receivable, the debt's part
   * off the line's principal, the rest payable to the patient) in the ledger; the debts that
   * changed, as they end; the line's status if it froze or thawed; the charges' refunded amounts;
   * the settlement's and the encounter's refunded totals; the refund; the events.
   */
  Cte refund(
      String clientId,
      String requestId,
      ToRefund found,
      SettlementRules.Split split,
      CareRefundRules.Refund refund,
      JsonObject answer,
      JsonObject request,
      List<DebtStore.Event> emitted,
      OffsetDateTime now) {
    Row line = found.line();
    String id = answer.getString("id");
    String encounterId = found.encounter().getString("id");
    String settlementId = found.settlement().getString("id");
    long total = refund.total();
    Cte cte = new Cte();
    List<Transfer> transfers = new ArrayList<>();
    for (DebtRules.Penalty penalty : refund.time().penalties()) {
      transfers.add(
          new Transfer(
              Ledger.Layer.POSTED,
              "care.penalty",
              penalty.debtId(),
              List.of(
                  Posting.debit(line.getString("penalty_account"), penalty.amount()),
                  Posting.credit(CareRows.penaltyIncome(clientId), penalty.amount()))));
    }
    transfers.add(
        new Transfer(
            Ledger.Layer.POSTED,
            "care.refund",
            id,
            List.of(
                Posting.debit(CareRows.hospitalSettlement(clientId), total),
                Posting.credit(CareRows.insurerReceivable(clientId, "pooled_fund"), split.pooled()),
                Posting.credit(
                    CareRows.insurerReceivable(clientId, "personal_account"), split.personal()),
                Posting.credit(line.getString("principal_account"), refund.debtReduced()),
                Posting.credit(CareRows.patientRefunds(clientId), refund.patientRefunded()))));
    ledger.write(cte, now, transfers);
    debts(cte, refund, now);
    DebtRules.LineState before =
        new DebtRules.LineState(line.getString("status"), line.getString("frozen_reason"));
    if (refund.froze(before) || !refund.line().equals(before)) {
      cte.part(
          cte.name("line"),
          "UPDATE care_credit_lines SET status = $2, frozen_reason = $3, updated_at = $4"
              + " WHERE id = $1 RETURNING 1",
          line.getString("id"),
          refund.line().status(),
          refund.line().frozenReason(),
          now);
    }
    cte.part(
        cte.name("charges"),
        "UPDATE care_charges c SET refunded_amount = u.refunded, status = u.status, updated_at = $4"
            + " FROM unnest($1::text[], $2::bigint[], $3::text[]) AS u (id, refunded, status)"
            + " WHERE c.id = u.id RETURNING 1",
        refund.charges().stream().map(CareRefundRules.Refunded::id).toArray(String[]::new),
        refund.charges().stream().map(CareRefundRules.Refunded::refunded).toArray(Long[]::new),
        refund.charges().stream().map(CareRefundRules.Refunded::status).toArray(String[]::new),
        now);
    cte.part(
        cte.name("settlement"),
        "UPDATE care_settlements SET refunded_pooled_fund = refunded_pooled_fund + $2,"
            + " refunded_personal_account = refunded_personal_account + $3,"
            + " refunded_self_pay = refunded_self_pay + $4 WHERE id = $1 RETURNING 1",
        settlementId,
        split.pooled(),
        split.personal(),
        split.selfPay());
    cte.part(
        cte.name("encounter"),
        "UPDATE care_encounters SET refunded = refunded + $2, updated_at = $3 WHERE id = $1"
            + " RETURNING 1",
        encounterId,
        total,
        now);
    cte.part(
        cte.name("refund"),
        "INSERT INTO care_refunds (id, client_id, encounter_id, settlement_id, amount, items,"
            + " pooled_fund, personal_account, self_pay, debt_reduced, patient_refunded, reason,"
            + " metadata, created_at)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING 1",
        id,
        clientId,
        encounterId,
        settlementId,
        total,
        answer.getJsonArray("items"),
        split.pooled(),
        split.personal(),
        split.selfPay(),
        refund.debtReduced(),
        refund.patientRefunded(),
        request.getString("reason"),
        request.getJsonObject("metadata", new JsonObject()),
        now);
    for (DebtStore.Event event : emitted) {
      events.write(cte, clientId, event.type(), event.object(), requestId);
    }
    return cte;
  }

  /** The debts time or the refund changed, written as they end (one statement, each once). */
  private static void debts(Cte cte, CareRefundRules.Refund refund, OffsetDateTime now) {
    DebtStore.write(
        cte,
        refund.debts().stream().filter(d -> refund.changed().contains(d.id())).toList(),
        d -> d.id().equals(refund.repaid()),
        now);
  }
}
