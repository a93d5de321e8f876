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
import io.scenebank.gateway.tx.Answer;
import io.scenebank.gateway.tx.Plan;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settling an encounter with its insurance split, and refunds of settled charges. One ledger
 * transaction each: the hospital is credited (or debited) the total, the insurer's parts are a
 * receivable, the self-pay part is the patient's debt.
 */
final class Settlements {

  private final CareServices care;
  private final Encounters encounters;
  private final Debts debts;
  private final EncounterStore store;

  Settlements(CareServices care, Encounters encounters, Debts debts) {
    this.care = care;
    this.encounters = encounters;
    this.debts = debts;
    this.store = new EncounterStore(care.ledger(), care.events(), debts);
  }

  private record Split(long pooled, long personal, long selfPay) {
    static Split of(JsonObject json) {
      return new Split(
          json.getJsonObject("pooled_fund").getLong("amount"),
          json.getJsonObject("personal_account").getLong("amount"),
          json.getJsonObject("self_pay").getLong("amount"));
    }

    long total() {
      return pooled + personal + selfPay;
    }

    String describe(long expected, String what) {
      return "pooled_fund "
          + pooled
          + " + personal_account "
          + personal
          + " + self_pay "
          + selfPay
          + " = "
          + total()
          + ", but "
          + expected
          + " is "
          + what
          + ".";
    }
  }

  /**
   * Settles an encounter: one transaction through {@code Transactions} — the store reads under the
   * line's lock, {@link SettlementRules} decide, the store writes.
   */
  Future<Answer> settle(Call call, String encounterId, JsonObject request) {
    Split asked = Split.of(request.getJsonObject("insurance_split"));
    SettlementRules.Split split =
        new SettlementRules.Split(asked.pooled(), asked.personal(), asked.selfPay());
    JsonObject insurer = request.getJsonObject("insurer");
    return care.transactions()
        .run(
            call,
            tx ->
                Future.all(store.readForSettlement(tx, encounterId), tx.now())
                    .map(
                        read -> {
                          EncounterStore.ToSettle found = read.resultAt(0);
                          if (found == null) {
                            return Plan.refuse(
                                Problem.notFound("No encounter " + encounterId + "."));
                          }
                          Row encounter = found.encounter();
                          SettlementRules.Decision decision =
                              SettlementRules.decide(
                                  encounterId,
                                  encounter.getString("status"),
                                  "SETTLED".equals(encounter.getString("status"))
                                      ? Encounters.settledDetail(encounter)
                                      : null,
                                  found.held(),
                                  split,
                                  insurer != null);
                          if (decision instanceof SettlementRules.Refuse refuse) {
                            return Plan.refuse(refuse.problem());
                          }
                          long total = ((SettlementRules.Settle) decision).total();
                          OffsetDateTime now = read.resultAt(1);
                          return settled(call, found, split, total, insurer, request, now);
                        }));
  }

  private Plan settled(
      Call call,
      EncounterStore.ToSettle found,
      SettlementRules.Split split,
      long total,
      JsonObject insurer,
      JsonObject request,
      OffsetDateTime now) {
    Row encounter = found.encounter();
    String id = Ids.next("stl");
    String debtId = split.selfPay() > 0 ? Ids.next("dbt") : null;
    LocalDate due = AppClock.day(now).plusDays(encounter.getInteger("grace_period_days"));
    JsonArray lines = new JsonArray();
    for (SettlementRules.Held charge : found.held()) {
      lines.add(
          new JsonObject()
              .put("charge_id", charge.id())
              .put("item_code", charge.itemCode())
              .put("description", charge.description())
              .put("category", charge.category())
              .put("quantity", charge.quantity())
              .put("amount", Rows.money(charge.amount())));
    }
    JsonObject settlement =
        care.rows()
            .settlement(
                id,
                encounter.getString("id"),
                encounter.getString("credit_line_id"),
                split.pooled(),
                split.personal(),
                split.selfPay(),
                insurer,
                debtId,
                due,
                lines,
                request.getJsonObject("metadata", new JsonObject()),
                now,
                now);
    JsonObject settledEncounter = care.rows().encounter(encounter);
    settledEncounter
        .put("status", "SETTLED")
        .put("settlement_id", id)
        .put("settled_at", Times.format(now))
        .put("updated_at", Times.format(now));
    JsonObject totals = settledEncounter.getJsonObject("totals");
    totals
        .put("held", Rows.money(0))
        .put("settled", Rows.money(totals.getJsonObject("settled").getLong("amount") + total));
    return Plan.apply(
        201,
        settlement,
        store.settle(
            call.clientId(),
            call.requestId(),
            encounter,
            split,
            total,
            settlement,
            settledEncounter,
            request,
            now));
  }

  private Future<JsonObject> settlementOf(SqlClient client, String id) {
    return client
        .preparedQuery("SELECT * FROM care_settlements WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> care.rows().settlement(rows.iterator().next()));
  }

  Future<JsonObject> get(String clientId, String encounterId) {
    return encounters
        .find(care.pool(), clientId, encounterId)
        .compose(
            encounter -> {
              String id = encounter.getString("settlement_id");
              if (id == null) {
                throw Problem.notFound("Encounter " + encounterId + " is not settled.");
              }
              return settlementOf(care.pool(), id);
            });
  }

  Future<JsonObject> refund(Call call, String encounterId, JsonObject request) {
    Split split = Split.of(request.getJsonObject("insurance_split"));
    Map<String, Long> items = new LinkedHashMap<>();
    for (Object item : request.getJsonArray("items")) {
      JsonObject json = (JsonObject) item;
      items.merge(
          json.getString("charge_id"),
          json.getJsonObject("amount").getLong("amount"),
          Math::addExact);
    }
    return encounters.withLocked(
        call,
        encounterId,
        (tx, line, encounter, now) -> {
          if (!"SETTLED".equals(encounter.getString("status"))) {
            throw Problem.conflict(
                "encounter_not_settled",
                "Encounter "
                    + encounterId
                    + " is "
                    + encounter.getString("status")
                    + "; void the charge instead.");
          }
          String settlementId = encounter.getString("settlement_id");
          return tx.preparedQuery("SELECT * FROM care_settlements WHERE id = $1 FOR UPDATE")
              .execute(Tuple.of(settlementId))
              .compose(
                  settlements ->
                      tx.preparedQuery(
                              "SELECT * FROM care_charges WHERE encounter_id = $1"
                                  + " AND id = ANY ($2) ORDER BY id FOR UPDATE")
                          .execute(
                              Tuple.of(encounterId, (Object) items.keySet().toArray(String[]::new)))
                          .compose(
                              charges ->
                                  refund(
                                      tx,
                                      call,
                                      line,
                                      settlements.iterator().next(),
                                      charges,
                                      items,
                                      split,
                                      request,
                                      now)));
        });
  }

  private Future<JsonObject> refund(
      SqlClient tx,
      Call call,
      Row line,
      Row settlement,
      Iterable<Row> charges,
      Map<String, Long> items,
      Split split,
      JsonObject request,
      OffsetDateTime now) {
    Map<String, Row> byId = new LinkedHashMap<>();
    charges.forEach(c -> byId.put(c.getString("id"), c));
    long total = 0;
    JsonArray refunded = new JsonArray();
    for (Map.Entry<String, Long> item : items.entrySet()) {
      Row charge = byId.get(item.getKey());
      if (charge == null || "VOIDED".equals(charge.getString("status"))) {
        throw Problem.unprocessable(
            "charge_not_in_encounter",
            "Charge " + item.getKey() + " is not a settled charge of this encounter.");
      }
      long amount = charge.getLong("amount");
      long already = charge.getLong("refunded_amount");
      if (already + item.getValue() > amount) {
        throw Problem.unprocessable(
            "refund_exceeds_charged",
            "Charge "
                + item.getKey()
                + ": "
                + amount
                + " charged, "
                + already
                + " already refunded, "
                + item.getValue()
                + " requested.");
      }
      total += item.getValue();
      refunded.add(
          new JsonObject()
              .put("charge_id", item.getKey())
              .put("amount", Rows.money(item.getValue())));
    }
    if (split.total() != total) {
      throw Problem.unprocessable("split_mismatch", split.describe(total, "refunded"));
    }
    checkPart(split.pooled(), settlement, "pooled_fund");
    checkPart(split.personal(), settlement, "personal_account");
    checkPart(split.selfPay(), settlement, "self_pay");
    long refundTotal = total;
    String debtId = settlement.getString("debt_id");
    Future<Row> debt =
        debtId == null
            ? Future.succeededFuture()
            : debts
                .bringUpToDate(tx, call, line, now)
                .compose(
                    open ->
                        tx.preparedQuery("SELECT * FROM care_debts WHERE id = $1")
                            .execute(Tuple.of(debtId))
                            .map(rows -> rows.iterator().next()));
    return debt.compose(
        d -> {
          long unpaidPrincipal =
              d == null ? 0 : d.getLong("principal") - d.getLong("repaid_principal");
          long debtReduced = Math.min(split.selfPay(), unpaidPrincipal);
          long patientRefunded = split.selfPay() - debtReduced;
          return book(
              tx,
              call,
              line,
              settlement,
              d,
              refunded,
              refundTotal,
              split,
              debtReduced,
              patientRefunded,
              byId,
              items,
              request,
              now);
        });
  }

  private static void checkPart(long part, Row settlement, String column) {
    long left = settlement.getLong(column) - settlement.getLong("refunded_" + column);
    if (part > left) {
      throw Problem.unprocessable(
          "split_mismatch",
          column + " " + part + " is more than the " + left + " of it settled and not refunded.");
    }
  }

  private Future<JsonObject> book(
      SqlClient tx,
      Call call,
      Row line,
      Row settlement,
      Row debt,
      JsonArray refunded,
      long total,
      Split split,
      long debtReduced,
      long patientRefunded,
      Map<String, Row> charges,
      Map<String, Long> items,
      JsonObject request,
      OffsetDateTime now) {
    String clientId = call.clientId();
    String id = Ids.next("crf");
    String encounterId = settlement.getString("encounter_id");
    Transfer transfer =
        new Transfer(
            Ledger.Layer.POSTED,
            "care.refund",
            id,
            List.of(
                Posting.debit(CareRows.hospitalSettlement(clientId), total),
                Posting.credit(CareRows.insurerReceivable(clientId, "pooled_fund"), split.pooled()),
                Posting.credit(
                    CareRows.insurerReceivable(clientId, "personal_account"), split.personal()),
                Posting.credit(line.getString("principal_account"), debtReduced),
                Posting.credit(CareRows.patientRefunds(clientId), patientRefunded)));
    List<Future<?>> updates = new ArrayList<>();
    for (Map.Entry<String, Long> item : items.entrySet()) {
      Row charge = charges.get(item.getKey());
      long after = charge.getLong("refunded_amount") + item.getValue();
      updates.add(
          tx.preparedQuery(
                  "UPDATE care_charges SET refunded_amount = $2, status = $3, updated_at = $4"
                      + " WHERE id = $1")
              .execute(
                  Tuple.of(
                      item.getKey(),
                      after,
                      after == charge.getLong("amount") ? "REFUNDED" : "PARTIALLY_REFUNDED",
                      now)));
    }
    updates.add(
        tx.preparedQuery(
                "UPDATE care_settlements SET refunded_pooled_fund = refunded_pooled_fund + $2,"
                    + " refunded_personal_account = refunded_personal_account + $3,"
                    + " refunded_self_pay = refunded_self_pay + $4 WHERE id = $1")
            .execute(
                Tuple.of(
                    settlement.getString("id"),
                    split.pooled(),
                    split.personal(),
                    split.selfPay())));
    updates.add(
        tx.preparedQuery(
                "UPDATE care_encounters SET refunded = refunded + $2, updated_at = $3"
                    + " WHERE id = $1")
            .execute(Tuple.of(encounterId, total, now)));
    if (debt != null && debtReduced > 0) {
      updates.add(
          tx.preparedQuery(
                  "UPDATE care_debts SET principal = principal - $2,"
                      + " status = CASE WHEN principal - $2 + penalty_accrued - repaid_principal"
                      + " - repaid_penalty = 0 THEN 'REPAID' ELSE status END,"
                      + " repaid_at = CASE WHEN principal - $2 + penalty_accrued - repaid_principal"
                      + " - repaid_penalty = 0 THEN $3 ELSE repaid_at END,"
                      + " updated_at = $3 WHERE id = $1")
              .execute(Tuple.of(debt.getString("id"), debtReduced, now)));
    }
    return Future.all(updates)
        .compose(v -> care.ledger().record(tx, now, List.of(transfer)))
        .compose(v -> debts.unfreezeIfClear(tx, line.getString("id"), now))
        .compose(
            v ->
                tx.preparedQuery(
                        "INSERT INTO care_refunds (id, client_id, encounter_id, settlement_id,"
                            + " amount, items, pooled_fund, personal_account, self_pay,"
                            + " debt_reduced, patient_refunded, reason, metadata, created_at)"
                            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
                            + " $14) RETURNING *")
                    .execute(
                        Tuple.tuple()
                            .addString(id)
                            .addString(clientId)
                            .addString(encounterId)
                            .addString(settlement.getString("id"))
                            .addLong(total)
                            .addJsonArray(refunded)
                            .addLong(split.pooled())
                            .addLong(split.personal())
                            .addLong(split.selfPay())
                            .addLong(debtReduced)
                            .addLong(patientRefunded)
                            .addString(request.getString("reason"))
                            .addJsonObject(request.getJsonObject("metadata", new JsonObject()))
                            .addOffsetDateTime(now)))
        .compose(
            rows -> {
              JsonObject refund = care.rows().refund(rows.iterator().next());
              return care.events()
                  .emit(tx, clientId, "care_refund.succeeded", refund, call.requestId())
                  .compose(e -> call.answer(tx, 201, refund));
            });
  }

  Future<JsonObject> listRefunds(String clientId, String encounterId, Page.Request page) {
    return encounters
        .find(care.pool(), clientId, encounterId)
        .compose(
            e ->
                ListQuery.of("SELECT r.* FROM care_refunds r", "r")
                    .eq("r.encounter_id", encounterId)
                    .page(care.pool(), page, care.rows()::refund));
  }
}
