package io.scenebank.gateway.care;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.ledger.Ledger.Transfer;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
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

  /**
   * Runs {@code work} in a transaction holding the encounter's line and the encounter itself, both
   * locked in that order.
   */
  <T> Future<T> withLocked(Call call, String encounterId, Locked<T> work) {
    return find(care.pool(), call.clientId(), encounterId)
        .compose(
            found ->
                care.pool()
                    .withTransaction(
                        tx ->
                            CreditLines.lock(tx, call.clientId(), found.getString("credit_line_id"))
                                .compose(
                                    line ->
                                        tx.preparedQuery(
                                                "SELECT * FROM care_encounters WHERE id = $1"
                                                    + " FOR UPDATE")
                                            .execute(Tuple.of(encounterId))
                                            .compose(
                                                rows ->
                                                    care.clock()
                                                        .now(tx, call.clientId())
                                                        .compose(
                                                            now ->
                                                                work.apply(
                                                                    tx,
                                                                    line,
                                                                    rows.iterator().next(),
                                                                    now))))))
        .onSuccess(r -> care.events().nudge());
  }

  /** Work on a locked line and encounter. */
  @FunctionalInterface
  interface Locked<T> {
    Future<T> apply(SqlClient tx, Row line, Row encounter, OffsetDateTime now);
  }

  static void requireOpen(Row encounter) {
    String status = encounter.getString("status");
    if (!"OPEN".equals(status)) {
      throw Problem.conflict(
          "encounter_not_open", "Encounter " + encounter.getString("id") + " is " + status + ".");
    }
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

  Future<JsonObject> cancel(Call call, String encounterId) {
    return withLocked(
        call,
        encounterId,
        (tx, line, encounter, now) -> {
          requireOpen(encounter);
          return tx.preparedQuery(
                  "UPDATE care_charges SET status = 'VOIDED', voided_at = $2,"
                      + " void_reason = 'encounter cancelled', updated_at = $2"
                      + " WHERE encounter_id = $1 AND status = 'HELD' RETURNING *")
              .execute(Tuple.of(encounterId, now))
              .compose(
                  voided -> {
                    long total = 0;
                    Future<Void> emitted = Future.succeededFuture();
                    for (Row charge : voided) {
                      total += charge.getLong("amount");
                      JsonObject json = care.rows().charge(charge);
                      emitted =
                          emitted.compose(
                              v ->
                                  care.events()
                                      .emit(
                                          tx,
                                          call.clientId(),
                                          "charge.voided",
                                          json,
                                          call.requestId())
                                      .mapEmpty());
                    }
                    long released = total;
                    return emitted
                        .compose(v -> release(tx, line, encounterId, released, now))
                        .compose(
                            v ->
                                tx.preparedQuery(
                                        "UPDATE care_encounters SET status = 'CANCELLED',"
                                            + " held = held - $2, voided = voided + $2,"
                                            + " cancelled_at = $3, updated_at = $3"
                                            + " WHERE id = $1 RETURNING *")
                                    .execute(Tuple.of(encounterId, released, now)));
                  })
              .compose(rows -> call.answer(tx, 200, care.rows().encounter(rows.iterator().next())));
        });
  }

  /** Releases {@code amount} of holds on the line (pending layer). */
  private Future<Void> release(
      SqlClient tx, Row line, String reference, long amount, OffsetDateTime now) {
    return care.ledger()
        .record(
            tx,
            now,
            List.of(
                new Transfer(
                    Ledger.Layer.PENDING,
                    "care.hold_release",
                    reference,
                    List.of(
                        Posting.credit(line.getString("principal_account"), amount),
                        Posting.debit(
                            CareRows.holds(line.getString("client_id"), line.getString("id")),
                            amount)))))
        .mapEmpty();
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

  Future<JsonObject> voidCharge(Call call, String encounterId, String chargeId, String reason) {
    return withLocked(
        call,
        encounterId,
        (tx, line, encounter, now) ->
            tx.preparedQuery(
                    "SELECT * FROM care_charges WHERE id = $1 AND encounter_id = $2 FOR UPDATE")
                .execute(Tuple.of(chargeId, encounterId))
                .compose(
                    rows -> {
                      Row charge = CareRows.one(rows, "charge", chargeId);
                      String status = charge.getString("status");
                      if (!"HELD".equals(status)) {
                        throw Problem.conflict(
                            "charge_not_held",
                            "Charge "
                                + chargeId
                                + " is "
                                + status
                                + ("VOIDED".equals(status) ? "." : "; refund it instead."));
                      }
                      long amount = charge.getLong("amount");
                      return release(tx, line, chargeId, amount, now)
                          .compose(
                              v ->
                                  tx.preparedQuery(
                                          "UPDATE care_encounters SET held = held - $2,"
                                              + " voided = voided + $2, updated_at = $3"
                                              + " WHERE id = $1")
                                      .execute(Tuple.of(encounterId, amount, now)))
                          .compose(
                              v ->
                                  tx.preparedQuery(
                                          "UPDATE care_charges SET status = 'VOIDED',"
                                              + " voided_at = $2, void_reason = $3,"
                                              + " updated_at = $2 WHERE id = $1 RETURNING *")
                                      .execute(Tuple.of(chargeId, now, reason)));
                    })
                .compose(
                    rows -> {
                      JsonObject charge = care.rows().charge(rows.iterator().next());
                      return care.events()
                          .emit(tx, call.clientId(), "charge.voided", charge, call.requestId())
                          .compose(e -> call.answer(tx, 200, charge));
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
