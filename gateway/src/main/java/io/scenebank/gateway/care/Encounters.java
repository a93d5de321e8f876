package io.scenebank.gateway.care;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.support.Times;
import io.scenebank.gateway.tx.Answer;
import io.scenebank.gateway.tx.Plan;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Encounters (visits) and their charges. A charge holds its amount on the credit line (pending
 * layer); a void releases it. Locks are always taken line first, then encounter, then charges.
 */
final class Encounters {

  private final CareServices care;
  private final EncounterStore charges;

  Encounters(CareServices care) {
    this.care = care;
    this.charges = new EncounterStore(care.ledger(), care.events(), null);
  }

  /** The app's encounter, unlocked: to find its line before locking line then encounter. */
  Future<Row> find(SqlClient client, String clientId, String encounterId) {
    return client
        .preparedQuery("SELECT * FROM care_encounters WHERE client_id = $1 AND id = $2")
        .execute(Tuple.of(clientId, encounterId))
        .map(rows -> CareRows.one(rows, "encounter", encounterId));
  }

  Future<JsonObject> create(Call call, JsonObject request) {
    String lineId = request.getString("credit_line_id");
    String ref = request.getString("hospital_encounter_ref");
    return care.pool()
        .withTransaction(
            tx ->
                CreditLines.lock(tx, call.clientId(), lineId)
                    .compose(
                        line -> {
                          CreditLines.requireActive(line);
                          return tx.preparedQuery(
                                  "SELECT id FROM care_encounters WHERE credit_line_id = $1"
                                      + " AND hospital_encounter_ref = $2")
                              .execute(Tuple.of(lineId, ref));
                        })
                    .compose(
                        dup -> {
                          if (dup.size() > 0) {
                            throw Problem.conflict(
                                "duplicate_encounter_ref",
                                "Encounter "
                                    + dup.iterator().next().getString("id")
                                    + " already has hospital_encounter_ref "
                                    + ref
                                    + ".");
                          }
                          return care.clock().now(tx, call.clientId());
                        })
                    .compose(
                        now ->
                            tx.preparedQuery(
                                    "INSERT INTO care_encounters (id, client_id, credit_line_id,"
                                        + " hospital_encounter_ref, department, visit_type, status,"
                                        + " metadata, created_at, updated_at)"
                                        + " VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7, $8, $8)"
                                        + " RETURNING *")
                                .execute(
                                    Tuple.tuple()
                                        .addString(Ids.next("enc"))
                                        .addString(call.clientId())
                                        .addString(lineId)
                                        .addString(ref)
                                        .addString(request.getString("department"))
                                        .addString(request.getString("visit_type"))
                                        .addJsonObject(
                                            request.getJsonObject("metadata", new JsonObject()))
                                        .addOffsetDateTime(now)))
                    .compose(
                        rows ->
                            call.answer(tx, 201, care.rows().encounter(rows.iterator().next()))));
  }

  Future<JsonObject> list(
      String clientId,
      String status,
      String lineId,
      OffsetDateTime from,
      OffsetDateTime until,
      Page.Request page) {
    return ListQuery.of("SELECT e.* FROM care_encounters e", "e")
        .eq("e.client_id", clientId)
        .eq("e.status", status)
        .eq("e.credit_line_id", lineId)
        .createdFrom(from)
        .createdUntil(until)
        .page(care.pool(), page, care.rows()::encounter);
  }

  Future<JsonObject> get(String clientId, String id) {
    return find(care.pool(), clientId, id).map(care.rows()::encounter);
  }

  /**
   * Cancels an open encounter, voiding the charges it holds: one transaction through {@code
   * Transactions} — the store reads under the line's lock, {@link ReleaseRules} decide, the store
   * releases the holds.
   */
  Future<Answer> cancel(Call call, String encounterId) {
    return care.transactions()
        .run(
            call,
            tx ->
                Future.all(charges.readForCancel(tx, encounterId), tx.now())
                    .map(
                        read -> {
                          EncounterStore.ToRelease found = read.resultAt(0);
                          if (found == null) {
                            return Plan.refuse(
                                Problem.notFound("No encounter " + encounterId + "."));
                          }
                          Row encounter = found.encounter();
                          List<ReleaseRules.Charge> held =
                              found.charges().stream().map(Encounters::releasable).toList();
                          ReleaseRules.Decision decision =
                              ReleaseRules.cancel(encounterId, encounter.getString("status"), held);
                          if (decision instanceof ReleaseRules.Refuse no) {
                            return Plan.refuse(no.problem());
                          }
                          ReleaseRules.Release release = (ReleaseRules.Release) decision;
                          OffsetDateTime now = read.resultAt(1);
                          String reason = "encounter cancelled";
                          List<JsonObject> voided =
                              found.charges().stream().map(c -> voided(c, reason, now)).toList();
                          JsonObject cancelled = care.rows().encounter(encounter);
                          JsonObject totals = cancelled.getJsonObject("totals");
                          totals
                              .put("held", Rows.money(encounter.getLong("held") - release.amount()))
                              .put(
                                  "voided",
                                  Rows.money(encounter.getLong("voided") + release.amount()));
                          cancelled.put("status", "CANCELLED");
                          CareJson.with(cancelled, "metadata", "cancelled_at", Times.format(now));
                          cancelled.put("updated_at", Times.format(now));
                          return Plan.apply(
                              200,
                              cancelled,
                              charges.release(
                                  call.clientId(),
                                  call.requestId(),
                                  encounter,
                                  release,
                                  encounterId,
                                  reason,
                                  true,
                                  voided,
                                  now));
                        }));
  }

  private static ReleaseRules.Charge releasable(Row charge) {
    return new ReleaseRules.Charge(
        charge.getString("id"), charge.getString("status"), charge.getLong("amount"));
  }

  /** A charge's JSON once voided, from its row as read. */
  private JsonObject voided(Row charge, String reason, OffsetDateTime now) {
    JsonObject json = care.rows().charge(charge);
    json.put("status", "VOIDED");
    CareJson.with(json, "metadata", "voided_at", Times.format(now));
    CareJson.with(json, "metadata", "void_reason", reason);
    return json.put("updated_at", Times.format(now));
  }

  /**
   * Holds a charge on the encounter's line: one transaction through {@code Transactions} — the
   * store reads under the line's lock, {@link ChargeRules} decide, the store writes.
   */
  Future<Answer> charge(Call call, String encounterId, JsonObject request) {
    ChargeRules.Request asked =
        new ChargeRules.Request(
            request.getInteger("quantity"),
            request.getJsonObject("unit_amount").getLong("amount"),
            request.getJsonObject("amount").getLong("amount"),
            request.getString("hospital_charge_ref"));
    return care.transactions()
        .run(
            call,
            tx ->
                Future.all(charges.read(tx, encounterId, asked.reference()), tx.now())
                    .map(
                        read -> {
                          ChargeRules.State state = read.resultAt(0);
                          if (state == null) {
                            return Plan.refuse(
                                Problem.notFound("No encounter " + encounterId + "."));
                          }
                          OffsetDateTime now = read.resultAt(1);
                          if (ChargeRules.decide(asked, state) instanceof ChargeRules.Refuse no) {
                            return Plan.refuse(no.problem());
                          }
                          JsonObject charge =
                              care.rows()
                                  .heldCharge(
                                      Ids.next("chg"),
                                      state.encounterId(),
                                      state.lineId(),
                                      request,
                                      now);
                          return Plan.apply(
                              201,
                              charge,
                              charges.hold(
                                  call.clientId(), call.requestId(), state, charge, request, now));
                        }));
  }

  Future<JsonObject> listCharges(
      String clientId, String encounterId, String status, Page.Request page) {
    return find(care.pool(), clientId, encounterId)
        .compose(
            e ->
                ListQuery.of("SELECT c.* FROM care_charges c", "c")
                    .eq("c.encounter_id", encounterId)
                    .eq("c.status", status)
                    .page(care.pool(), page, care.rows()::charge));
  }

  /**
   * Voids a held charge: one transaction through {@code Transactions} — the store reads under the
   * line's lock, {@link ReleaseRules} decide, the store releases the hold.
   */
  Future<Answer> voidCharge(Call call, String encounterId, String chargeId, String reason) {
    return care.transactions()
        .run(
            call,
            tx ->
                Future.all(charges.readForVoid(tx, encounterId, chargeId), tx.now())
                    .map(
                        read -> {
                          EncounterStore.ToRelease found = read.resultAt(0);
                          if (found == null) {
                            return Plan.refuse(
                                Problem.notFound("No encounter " + encounterId + "."));
                          }
                          if (found.charges().isEmpty()) {
                            return Plan.refuse(Problem.notFound("No charge " + chargeId + "."));
                          }
                          Row charge = found.charges().get(0);
                          ReleaseRules.Decision decision =
                              ReleaseRules.voidCharge(releasable(charge));
                          if (decision instanceof ReleaseRules.Refuse no) {
                            return Plan.refuse(no.problem());
                          }
                          OffsetDateTime now = read.resultAt(1);
                          JsonObject voided = voided(charge, reason, now);
                          return Plan.apply(
                              200,
                              voided,
                              charges.release(
                                  call.clientId(),
                                  call.requestId(),
                                  found.encounter(),
                                  (ReleaseRules.Release) decision,
                                  chargeId,
                                  reason,
                                  false,
                                  List.of(voided),
                                  now));
                        }));
  }

  static String settledDetail(Row encounter) {
    return "Encounter "
        + encounter.getString("id")
        + " was settled at "
        + Times.format(encounter.getOffsetDateTime("settled_at"))
        + " ("
        + encounter.getString("settlement_id")
        + ").";
  }
}
