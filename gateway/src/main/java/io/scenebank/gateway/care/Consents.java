package io.scenebank.gateway.care;

import io.scenebank.gateway.care.Patients.Patient;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.time.TimeDriven;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Patients' consents to pay-after-care: asked by the hospital, answered by the patient. */
final class Consents implements TimeDriven {

  private static final int DEFAULT_EXPIRY_SECONDS = 1800;
  private static final int EXPIRE_BATCH = 500;

  private final CareServices care;

  Consents(CareServices care) {
    this.care = care;
  }

  Future<JsonObject> create(Call call, JsonObject request) {
    Patient patient = Patient.of(request.getJsonObject("patient"));
    String id = Ids.next("cns");
    JsonObject limit = request.getJsonObject("requested_limit");
    int expiresIn = request.getInteger("expires_in_seconds", DEFAULT_EXPIRY_SECONDS);
    byte[] sealed = care.patients().seal(patient, id);
    return care.pool()
        .withTransaction(
            tx ->
                care.clock()
                    .now(tx, call.clientId())
                    .compose(
                        now ->
                            tx.preparedQuery(
                                    "INSERT INTO care_consents (id, client_id, status, purpose,"
                                        + " patient_sealed, patient_masked, hospital_patient_ref,"
                                        + " requested_limit, expires_at, metadata, created_at,"
                                        + " updated_at) VALUES ($1, $2, 'PENDING', $3, $4, $5, $6,"
                                        + " $7, $8, $9, $10, $10) RETURNING *")
                                .execute(
                                    Tuple.tuple()
                                        .addString(id)
                                        .addString(call.clientId())
                                        .addString(request.getString("purpose", "PAY_AFTER_CARE"))
                                        .addBuffer(io.vertx.core.buffer.Buffer.buffer(sealed))
                                        .addJsonObject(patient.masked())
                                        .addString(request.getString("hospital_patient_ref"))
                                        .addLong(limit == null ? null : limit.getLong("amount"))
                                        .addOffsetDateTime(now.plusSeconds(expiresIn))
                                        .addJsonObject(
                                            request.getJsonObject("metadata", new JsonObject()))
                                        .addOffsetDateTime(now)))
                    .compose(
                        rows -> call.answer(tx, 201, care.rows().consent(rows.iterator().next()))));
  }

  Future<JsonObject> list(
      String clientId,
      String status,
      String patientRef,
      OffsetDateTime from,
      OffsetDateTime until,
      Page.Request page) {
    return ListQuery.of("SELECT c.* FROM care_consents c", "c")
        .eq("c.client_id", clientId)
        .eq("c.status", status)
        .eq("c.hospital_patient_ref", patientRef)
        .createdFrom(from)
        .createdUntil(until)
        .page(care.pool(), page, care.rows()::consent);
  }

  /** The consent as stored: expiry is the sweeper's (and advanceClock's) work, not a read's. */
  Future<JsonObject> get(String clientId, String id) {
    return care.pool()
        .preparedQuery("SELECT * FROM care_consents WHERE client_id = $1 AND id = $2")
        .execute(Tuple.of(clientId, id))
        .map(rows -> care.rows().consent(CareRows.one(rows, "consent", id)));
  }

  /** The patient's answer (in the sandbox, given through the simulator). */
  Future<JsonObject> decide(Call call, String id, String decision) {
    String status = "APPROVE".equals(decision) ? "APPROVED" : "REJECTED";
    return runDue(call.clientId())
        .compose(
            v ->
                care.pool()
                    .withTransaction(
                        tx ->
                            tx.preparedQuery(
                                    "SELECT * FROM care_consents WHERE client_id = $1 AND id = $2"
                                        + " FOR UPDATE")
                                .execute(Tuple.of(call.clientId(), id))
                                .compose(
                                    rows -> {
                                      Row consent = CareRows.one(rows, "consent", id);
                                      if (!"PENDING".equals(consent.getString("status"))) {
                                        throw new Problem(
                                            409,
                                            "consent_not_pending",
                                            "The consent is not pending",
                                            "Consent "
                                                + id
                                                + " is "
                                                + consent.getString("status")
                                                + ".");
                                      }
                                      return care.clock().now(tx, call.clientId());
                                    })
                                .compose(
                                    now ->
                                        tx.preparedQuery(
                                                "UPDATE care_consents SET status = $2,"
                                                    + " decided_at = $3, updated_at = $3"
                                                    + " WHERE id = $1 RETURNING *")
                                            .execute(Tuple.of(id, status, now)))
                                .compose(
                                    rows -> {
                                      JsonObject consent =
                                          care.rows().consent(rows.iterator().next());
                                      return care.events()
                                          .emit(
                                              tx,
                                              call.clientId(),
                                              "APPROVED".equals(status)
                                                  ? "consent.approved"
                                                  : "consent.rejected",
                                              consent,
                                              call.requestId())
                                          .compose(e -> call.answer(tx, 200, consent));
                                    })))
        .onSuccess(c -> care.events().nudge());
  }

  /** Expires the pending consents whose time has come, with a {@code consent.expired} each. */
  @Override
  public Future<Void> runDue(String clientId) {
    return care.pool()
        .withTransaction(
            tx ->
                tx.preparedQuery(
                        "UPDATE care_consents c SET status = 'EXPIRED', decided_at = c.expires_at,"
                            + " updated_at = "
                            + care.clock().nowSql("c.client_id")
                            + " WHERE c.id IN (SELECT id FROM care_consents x"
                            + " WHERE x.status = 'PENDING' AND ($1::text IS NULL OR x.client_id = $1)"
                            + " AND x.expires_at <= "
                            + care.clock().nowSql("x.client_id")
                            + " ORDER BY x.expires_at LIMIT "
                            + EXPIRE_BATCH
                            + " FOR UPDATE SKIP LOCKED) RETURNING *")
                    .execute(Tuple.of(clientId))
                    .compose(
                        rows -> {
                          List<Future<String>> emitted = new ArrayList<>();
                          for (Row row : rows) {
                            emitted.add(
                                care.events()
                                    .emit(
                                        tx,
                                        row.getString("client_id"),
                                        "consent.expired",
                                        care.rows().consent(row),
                                        null));
                          }
                          return Future.all(emitted).map(rows.rowCount());
                        }))
        .map(
            expired -> {
              if (expired > 0) {
                care.events().nudge();
              }
              return null;
            });
  }
}
