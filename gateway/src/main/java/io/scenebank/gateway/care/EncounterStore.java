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
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The SQL of a charge. Reading locks the encounter's credit line (every care operation that moves
 * money on a line locks it first), then reads the line's balances and the encounter in a statement
 * of its own, so that it sees what the previous holder of the lock committed. Writing is one
 * statement: the hold in the ledger, the encounter's totals, the charge and its event.
 */
final class EncounterStore {

  private final Ledger ledger;
  private final Events events;
  private final Debts debts;

  EncounterStore(Ledger ledger, Events events, Debts debts) {
    this.ledger = ledger;
    this.events = events;
    this.debts = debts;
  }

  /** Locks the line of the app's encounter (nothing, if there is no such encounter). */
  private static void lockLine(Tx tx, String encounterId) {
    tx.send(
        "SELECT 1 FROM care_credit_lines WHERE id = (SELECT credit_line_id FROM care_encounters"
            + " WHERE client_id = $1 AND id = $2) FOR UPDATE",
        tx.clientId(),
        encounterId);
  }

  /** The encounter and its line, the line locked; null if the app has no such encounter. */
  Future<ChargeRules.State> read(Tx tx, String encounterId, String reference) {
    lockLine(tx, encounterId);
    return tx.send(
            "SELECT e.id, e.status AS encounter_status, l.id AS line_id, l.status AS line_status,"
                + " l.frozen_reason, l.limit_amount, coalesce(p.pending, 0) AS held,"
                + " coalesce(p.posted, 0) + coalesce(q.posted, 0) AS outstanding,"
                + " (SELECT c.id FROM care_charges c WHERE c.encounter_id = e.id"
                + "   AND c.hospital_charge_ref = $3) AS duplicate"
                + " FROM care_encounters e JOIN care_credit_lines l ON l.id = e.credit_line_id"
                + " LEFT JOIN ledger_accounts p ON p.code = l.principal_account"
                + " LEFT JOIN ledger_accounts q ON q.code = l.penalty_account"
                + " WHERE e.client_id = $1 AND e.id = $2",
            tx.clientId(),
            encounterId,
            reference)
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              return new ChargeRules.State(
                  row.getString("id"),
                  row.getString("encounter_status"),
                  row.getString("line_id"),
                  row.getString("line_status"),
                  row.getString("frozen_reason"),
                  row.getLong("limit_amount"),
                  row.getLong("held"),
                  row.getLong("outstanding"),
                  row.getString("duplicate"));
            });
  }

  /**
   * The writes of a held charge: the hold (line principal, pending layer, against the line's holds
   * account), the encounter's totals, the charge row and {@code charge.held}.
   */
  Cte hold(
      String clientId,
      String requestId,
      ChargeRules.State state,
      JsonObject charge,
      JsonObject request,
      OffsetDateTime now) {
    String id = charge.getString("id");
    long amount = request.getJsonObject("amount").getLong("amount");
    Cte cte = new Cte();
    ledger.write(
        cte,
        now,
        List.of(
            new Transfer(
                Ledger.Layer.PENDING,
                "care.hold",
                id,
                List.of(
                    Posting.debit(CareRows.principalAccount(clientId, state.lineId()), amount),
                    Posting.credit(CareRows.holds(clientId, state.lineId()), amount)))));
    cte.part(
        cte.name("encounter"),
        "UPDATE care_encounters SET held = held + $2, charge_count = charge_count + 1,"
            + " updated_at = $3 WHERE id = $1 RETURNING 1",
        state.encounterId(),
        amount,
        now);
    cte.part(
        cte.name("charge"),
        "INSERT INTO care_charges (id, client_id, encounter_id, credit_line_id, item_code,"
            + " description, category, quantity, unit_amount, amount, status, hospital_charge_ref,"
            + " metadata, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
            + " 'HELD', $11, $12, $13, $13) RETURNING 1",
        id,
        clientId,
        state.encounterId(),
        state.lineId(),
        request.getString("item_code"),
        request.getString("description"),
        request.getString("category"),
        request.getInteger("quantity"),
        request.getJsonObject("unit_amount").getLong("amount"),
        amount,
        request.getString("hospital_charge_ref"),
        request.getJsonObject("metadata", new JsonObject()),
        now);
    events.write(cte, clientId, "charge.held", charge, requestId);
    return cte;
  }

  /** An encounter (with its line's principal account) and the charges to release. */
  record ToRelease(Row encounter, List<Row> charges) {}

  /**
   * Locks the encounter's line, then reads the encounter and its charge {@code chargeId}; null if
   * the app has no such encounter (no charges if the encounter has no such charge).
   */
  Future<ToRelease> readForVoid(Tx tx, String encounterId, String chargeId) {
    lockLine(tx, encounterId);
    return readToRelease(
        tx,
        encounterId,
        tx.send(
            "SELECT c.* FROM care_charges c JOIN care_encounters e ON e.id = c.encounter_id"
                + " WHERE e.client_id = $1 AND c.encounter_id = $2 AND c.id = $3",
            tx.clientId(),
            encounterId,
            chargeId));
  }

  /**
   * Locks the encounter's line, then reads the encounter and the charges it holds, oldest first;
   * null if the app has no such encounter.
   */
  Future<ToRelease> readForCancel(Tx tx, String encounterId) {
    lockLine(tx, encounterId);
    return readToRelease(
        tx,
        encounterId,
        tx.send(
            "SELECT c.* FROM care_charges c JOIN care_encounters e ON e.id = c.encounter_id"
                + " WHERE e.client_id = $1 AND c.encounter_id = $2 AND c.status = 'HELD'"
                + " ORDER BY c.created_at, c.id",
            tx.clientId(),
            encounterId));
  }

  private static Future<ToRelease> readToRelease(
      Tx tx, String encounterId, Future<io.vertx.sqlclient.RowSet<Row>> charges) {
    Future<io.vertx.sqlclient.RowSet<Row>> encounter =
        tx.send(
            "SELECT e.*, l.principal_account FROM care_encounters e"
                + " JOIN care_credit_lines l ON l.id = e.credit_line_id"
                + " WHERE e.client_id = $1 AND e.id = $2",
            tx.clientId(),
            encounterId);
    return Future.all(encounter, charges)
        .map(
            v -> {
              if (encounter.result().size() == 0) {
                return null;
              }
              List<Row> rows = new java.util.ArrayList<>();
              charges.result().forEach(rows::add);
              return new ToRelease(encounter.result().iterator().next(), rows);
            });
  }

  /**
   * The writes of released holds: the release in the ledger (line principal, pending layer, against
   * the line's holds account; {@code reference} the charge voided or the encounter cancelled), the
   * charges voided, the encounter's totals (and its status, if {@code cancel}), {@code
   * charge.voided} for each charge.
   */
  Cte release(
      String clientId,
      String requestId,
      Row encounter,
      ReleaseRules.Release release,
      String reference,
      String reason,
      boolean cancel,
      List<JsonObject> voided,
      OffsetDateTime now) {
    String lineId = encounter.getString("credit_line_id");
    long amount = release.amount();
    Cte cte = new Cte();
    ledger.write(
        cte,
        now,
        List.of(
            holdRelease(
                reference, encounter.getString("principal_account"), clientId, lineId, amount)));
    if (!release.charges().isEmpty()) {
      cte.part(
          cte.name("charges"),
          "UPDATE care_charges SET status = 'VOIDED', voided_at = $2, void_reason = $3,"
              + " updated_at = $2 WHERE id = ANY ($1::text[]) AND status = 'HELD' RETURNING 1",
          release.charges().toArray(String[]::new),
          now,
          reason);
    }
    cte.part(
        cte.name("encounter"),
        cancel
            ? "UPDATE care_encounters SET status = 'CANCELLED', held = held - $2,"
                + " voided = voided + $2, cancelled_at = $3, updated_at = $3 WHERE id = $1"
                + " RETURNING 1"
            : "UPDATE care_encounters SET held = held - $2, voided = voided + $2,"
                + " updated_at = $3 WHERE id = $1 RETURNING 1",
        encounter.getString("id"),
        amount,
        now);
    for (JsonObject charge : voided) {
      events.write(cte, clientId, "charge.voided", charge, requestId);
    }
    return cte;
  }

  /** An encounter to settle: its row (with its line's terms) and its held charges. */
  record ToSettle(Row encounter, List<SettlementRules.Held> held) {}

  /**
   * Locks the encounter's line, then reads the encounter with its line's terms and its held
   * charges, oldest first; null if the app has no such encounter. The hospital's accounts are made
   * sure to exist.
   */
  Future<ToSettle> readForSettlement(Tx tx, String encounterId) {
    String clientId = tx.clientId();
    lockLine(tx, encounterId);
    ledger.ensure(
        tx,
        List.of(
            CareRows.insurerReceivable(clientId, "pooled_fund"),
            CareRows.insurerReceivable(clientId, "personal_account"),
            CareRows.hospitalSettlement(clientId)));
    Future<io.vertx.sqlclient.RowSet<Row>> encounter =
        tx.send(
            "SELECT e.*, l.grace_period_days, l.penalty_daily_rate_bps, l.principal_account"
                + " FROM care_encounters e JOIN care_credit_lines l ON l.id = e.credit_line_id"
                + " WHERE e.client_id = $1 AND e.id = $2",
            clientId,
            encounterId);
    Future<io.vertx.sqlclient.RowSet<Row>> charges =
        tx.send(
            "SELECT c.* FROM care_charges c JOIN care_encounters e ON e.id = c.encounter_id"
                + " WHERE e.client_id = $1 AND c.encounter_id = $2 AND c.status = 'HELD'"
                + " ORDER BY c.created_at, c.id",
            clientId,
            encounterId);
    return Future.all(encounter, charges)
        .map(
            v -> {
              if (encounter.result().size() == 0) {
                return null;
              }
              List<SettlementRules.Held> held = new java.util.ArrayList<>();
              for (Row c : charges.result()) {
                held.add(
                    new SettlementRules.Held(
                        c.getString("id"),
                        c.getString("item_code"),
                        c.getString("description"),
                        c.getString("category"),
                        c.getInteger("quantity"),
                        c.getLong("amount")));
              }
              return new ToSettle(encounter.result().iterator().next(), held);
            });
  }

  /**
   * The writes of a settlement: the holds released and the split booked (hospital credited the
   * total, the insurer's parts receivable, self-pay on the line's principal), the charges settled,
   * the settlement, the patient's debt (if any self-pay), the encounter, {@code encounter.settled}.
   */
  Cte settle(
      String clientId,
      String requestId,
      Row encounter,
      SettlementRules.Split split,
      long total,
      JsonObject settlement,
      JsonObject settledEncounter,
      JsonObject request,
      OffsetDateTime now) {
    String id = settlement.getString("id");
    String encounterId = encounter.getString("id");
    String lineId = encounter.getString("credit_line_id");
    String principal = encounter.getString("principal_account");
    String debtId = settlement.getJsonObject("patient_due").getString("debt_id");
    java.time.LocalDate due =
        java.time.LocalDate.parse(settlement.getJsonObject("patient_due").getString("due_date"));
    Cte cte = new Cte();
    ledger.write(
        cte,
        now,
        List.of(
            holdRelease(id, principal, clientId, lineId, total),
            new Transfer(
                Ledger.Layer.POSTED,
                "care.settlement",
                id,
                List.of(
                    Posting.debit(
                        CareRows.insurerReceivable(clientId, "pooled_fund"), split.pooled()),
                    Posting.debit(
                        CareRows.insurerReceivable(clientId, "personal_account"), split.personal()),
                    Posting.debit(principal, split.selfPay()),
                    Posting.credit(CareRows.hospitalSettlement(clientId), total)))));
    cte.part(
        cte.name("charges"),
        "UPDATE care_charges SET status = 'SETTLED', updated_at = $2"
            + " WHERE encounter_id = $1 AND status = 'HELD' RETURNING 1",
        encounterId,
        now);
    cte.part(
        cte.name("settlement"),
        "INSERT INTO care_settlements (id, client_id, encounter_id, credit_line_id, total,"
            + " pooled_fund, personal_account, self_pay, insurer, lines, debt_id, due_date,"
            + " settled_at, metadata, created_at)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13)"
            + " RETURNING 1",
        id,
        clientId,
        encounterId,
        lineId,
        total,
        split.pooled(),
        split.personal(),
        split.selfPay(),
        request.getJsonObject("insurer"),
        settlement.getJsonArray("lines"),
        debtId,
        due,
        now,
        request.getJsonObject("metadata", new JsonObject()));
    if (debtId != null) {
      debts.openPart(
          cte,
          clientId,
          lineId,
          encounter.getInteger("penalty_daily_rate_bps"),
          debtId,
          encounterId,
          id,
          split.selfPay(),
          due,
          now);
    }
    cte.part(
        cte.name("encounter"),
        "UPDATE care_encounters SET status = 'SETTLED', held = 0, settled = settled + $2,"
            + " settlement_id = $3, settled_at = $4, updated_at = $4 WHERE id = $1 RETURNING 1",
        encounterId,
        total,
        id,
        now);
    events.write(cte, clientId, "encounter.settled", settledEncounter, requestId);
    return cte;
  }

  /**
   * Held money back to the line's principal: the pending transfer a void, cancel or settle posts.
   */
  private static Transfer holdRelease(
      String reference, String principal, String clientId, String lineId, long amount) {
    return new Transfer(
        Ledger.Layer.PENDING,
        "care.hold_release",
        reference,
        List.of(
            Posting.credit(principal, amount),
            Posting.debit(CareRows.holds(clientId, lineId), amount)));
  }
}
