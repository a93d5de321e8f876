package io.scenebank.gateway.care;

import io.scenebank.gateway.http.Problem;
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
  private final EncounterStore store;
  private final RefundStore refunds;

  Settlements(CareServices care, Encounters encounters, Debts debts) {
    this.care = care;
    this.encounters = encounters;
    this.store = new EncounterStore(care.ledger(), care.events(), debts);
    this.refunds = new RefundStore(care.ledger(), care.events());
  }

  private record Split(long pooled, long personal, long selfPay) {
    static Split of(JsonObject json) {
      return new Split(
          json.getJsonObject("pooled_fund").getLong("amount"),
          json.getJsonObject("personal_account").getLong("amount"),
          json.getJsonObject("self_pay").getLong("amount"));
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

  /**
   * Refunds settled charges: one transaction through {@code Transactions} — the store reads under
   * the line's lock, {@link CareRefundRules} check the items and the split and bring the line's
   * debts up to the app's today, the store writes.
   */
  Future<Answer> refund(Call call, String encounterId, JsonObject request) {
    Split asked = Split.of(request.getJsonObject("insurance_split"));
    SettlementRules.Split split =
        new SettlementRules.Split(asked.pooled(), asked.personal(), asked.selfPay());
    Map<String, Long> merged = new LinkedHashMap<>();
    for (Object item : request.getJsonArray("items")) {
      JsonObject json = (JsonObject) item;
      merged.merge(
          json.getString("charge_id"),
          json.getJsonObject("amount").getLong("amount"),
          Math::addExact);
    }
    List<CareRefundRules.Item> items =
        merged.entrySet().stream()
            .map(e -> new CareRefundRules.Item(e.getKey(), e.getValue()))
            .toList();
    return care.transactions()
        .run(
            call,
            tx ->
                Future.all(refunds.read(tx, encounterId, List.copyOf(merged.keySet())), tx.now())
                    .map(
                        read -> {
                          RefundStore.ToRefund found = read.resultAt(0);
                          if (found == null) {
                            return Plan.refuse(
                                Problem.notFound("No encounter " + encounterId + "."));
                          }
                          OffsetDateTime now = read.resultAt(1);
                          CareRefundRules.Decision decision =
                              CareRefundRules.decide(
                                  items, split, refundState(encounterId, found), AppClock.day(now));
                          if (decision instanceof CareRefundRules.Refuse no) {
                            return Plan.refuse(no.problem());
                          }
                          return refunded(
                              call,
                              found,
                              items,
                              split,
                              (CareRefundRules.Refund) decision,
                              request,
                              now);
                        }));
  }

  /** What the refund rules need, from the rows read. */
  private static CareRefundRules.State refundState(String encounterId, RefundStore.ToRefund found) {
    Map<String, CareRefundRules.Charge> charges = new LinkedHashMap<>();
    found
        .charges()
        .forEach(
            (id, c) ->
                charges.put(
                    id,
                    new CareRefundRules.Charge(
                        id,
                        c.getString("status"),
                        c.getLong("amount"),
                        c.getLong("refunded_amount"))));
    Row s = found.settlement();
    CareRefundRules.Settlement settlement =
        s == null
            ? null
            : new CareRefundRules.Settlement(
                new SettlementRules.Split(
                    s.getLong("pooled_fund"), s.getLong("personal_account"), s.getLong("self_pay")),
                new SettlementRules.Split(
                    s.getLong("refunded_pooled_fund"),
                    s.getLong("refunded_personal_account"),
                    s.getLong("refunded_self_pay")),
                s.getString("debt_id"));
    return new CareRefundRules.State(
        encounterId,
        found.encounter().getString("status"),
        charges,
        settlement,
        lineState(found.line()),
        found.openDebts().stream().map(DebtStore::debt).toList(),
        found.debt() == null ? null : DebtStore.debt(found.debt()));
  }

  private static DebtRules.LineState lineState(Row line) {
    return new DebtRules.LineState(line.getString("status"), line.getString("frozen_reason"));
  }

  /** The answer, the events and the writes of a refund the rules accepted. */
  private Plan refunded(
      Call call,
      RefundStore.ToRefund found,
      List<CareRefundRules.Item> items,
      SettlementRules.Split split,
      CareRefundRules.Refund refund,
      JsonObject request,
      OffsetDateTime now) {
    Row line = found.line();
    List<DebtStore.Event> emitted =
        care.rows()
            .timeEvents(line, refund.froze(lineState(line)), refund.time(), found.openDebts(), now);
    Row encounter = found.encounter();
    JsonArray refunded = new JsonArray();
    for (CareRefundRules.Item item : items) {
      refunded.add(
          new JsonObject()
              .put("charge_id", item.chargeId())
              .put("amount", Rows.money(item.amount())));
    }
    JsonObject answer =
        new JsonObject()
            .put("id", Ids.next("crf"))
            .put("object", "care_refund")
            .put("livemode", care.rows().encounter(encounter).getBoolean("livemode"))
            .put("encounter_id", encounter.getString("id"))
            .put("settlement_id", found.settlement().getString("id"))
            .put("status", "SUCCEEDED")
            .put("amount", Rows.money(refund.total()))
            .put("items", refunded)
            .put("split", CareRows.split(split.pooled(), split.personal(), split.selfPay()))
            .put("hospital_debited", Rows.money(refund.total()))
            .put("debt_reduced", Rows.money(refund.debtReduced()))
            .put("patient_refunded", Rows.money(refund.patientRefunded()))
            .put("reason", request.getString("reason"))
            .put("metadata", request.getJsonObject("metadata", new JsonObject()))
            .put("created_at", Times.format(now));
    emitted.add(new DebtStore.Event("care_refund.succeeded", answer));
    return Plan.apply(
        201,
        answer,
        refunds.refund(
            call.clientId(),
            call.requestId(),
            found,
            split,
            refund,
            answer,
            request,
            emitted,
            now));
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
