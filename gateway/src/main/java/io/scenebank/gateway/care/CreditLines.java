package io.scenebank.gateway.care;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;

/** Credit lines: opened on an approved consent after the bank's credit decision. */
final class CreditLines {

  private final CareServices care;
  private final Consents consents;

  CreditLines(CareServices care, Consents consents) {
    this.care = care;
    this.consents = consents;
  }

  /**
   * Locks the app's credit line and reads it with its balances. Every care transaction that moves
   * money on a line locks the line first, so that operations on one line are serialised.
   */
  static Future<Row> lock(SqlClient tx, String clientId, String lineId) {
    return tx.preparedQuery(
            "SELECT id FROM care_credit_lines WHERE client_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(clientId, lineId))
        .compose(
            rows -> {
              CareRows.one(rows, "credit line", lineId);
              return read(tx, lineId);
            });
  }

  /** The line with its current balances (as of this transaction). */
  static Future<Row> read(SqlClient tx, String lineId) {
    return tx.preparedQuery(CareRows.LINE_SELECT + " WHERE l.id = $1")
        .execute(Tuple.of(lineId))
        .map(rows -> rows.iterator().next());
  }

  static long held(Row line) {
    return line.getLong("held");
  }

  static long outstanding(Row line) {
    return line.getLong("principal_owed") + line.getLong("penalty_owed");
  }

  static void requireActive(Row line) {
    String status = line.getString("status");
    if (!"ACTIVE".equals(status)) {
      String reason = line.getString("frozen_reason");
      throw Problem.conflict(
          "credit_line_not_active",
          "Credit line "
              + line.getString("id")
              + " is "
              + status
              + (reason == null ? "" : " (" + reason + ")")
              + ".");
    }
  }

  Future<JsonObject> open(Call call, JsonObject request) {
    String consentId = request.getString("consent_id");
    return consents
        .runDue(call.clientId())
        .compose(
            v ->
                care.pool()
                    .withTransaction(
                        tx ->
                            tx.preparedQuery(
                                    "SELECT * FROM care_consents WHERE client_id = $1 AND id = $2"
                                        + " FOR UPDATE")
                                .execute(Tuple.of(call.clientId(), consentId))
                                .compose(
                                    rows ->
                                        care.clock()
                                            .now(tx, call.clientId())
                                            .compose(
                                                now ->
                                                    open(
                                                        tx,
                                                        call,
                                                        CareRows.one(rows, "consent", consentId),
                                                        request,
                                                        now)))))
        .onSuccess(line -> care.events().nudge());
  }

  private Future<JsonObject> open(
      SqlClient tx, Call call, Row consent, JsonObject request, OffsetDateTime now) {
    String consentId = consent.getString("id");
    if (!"APPROVED".equals(consent.getString("status"))) {
      throw Problem.conflict(
          "consent_not_approved",
          "Consent " + consentId + " is " + consent.getString("status") + ".");
    }
    if (consent.getString("credit_line_id") != null) {
      throw Problem.conflict(
          "consent_already_used",
          "Credit line "
              + consent.getString("credit_line_id")
              + " was already opened on this consent.");
    }
    Patients.Patient patient =
        care.patients().open(consent.getBuffer("patient_sealed").getBytes(), consentId);
    CreditPolicy.Decision decision =
        care.policy().decide(patient, consent.getLong("requested_limit"));
    if (!decision.approved()) {
      throw Problem.unprocessable(
          "credit_declined", "The credit decision for this patient is DECLINED.");
    }
    boolean frozen = decision.profile() == CreditPolicy.Profile.FROZEN;
    String id = Ids.next("cl");
    JsonObject decisionJson =
        new JsonObject()
            .put("outcome", "APPROVED")
            .put("profile", decision.profile().name())
            .put("reason", decision.reason())
            .put("decided_at", Times.format(now));
    return tx.preparedQuery(
            "INSERT INTO care_credit_lines (id, client_id, consent_id, status, frozen_reason,"
                + " patient_masked, limit_amount, decision, grace_period_days,"
                + " penalty_daily_rate_bps, principal_account, penalty_account, metadata,"
                + " created_at, updated_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)")
        .execute(
            Tuple.tuple()
                .addString(id)
                .addString(call.clientId())
                .addString(consentId)
                .addString(frozen ? "FROZEN" : "ACTIVE")
                .addString(frozen ? "PROFILE_FROZEN" : null)
                .addValue(consent.getValue("patient_masked"))
                .addLong(decision.limit())
                .addJsonObject(decisionJson)
                .addInteger(care.graceDays())
                .addInteger(care.penaltyBps())
                .addString(CareRows.principalAccount(call.clientId(), id))
                .addString(CareRows.penaltyAccount(call.clientId(), id))
                .addJsonObject(request.getJsonObject("metadata", new JsonObject()))
                .addOffsetDateTime(now))
        .compose(
            v ->
                tx.preparedQuery(
                        "UPDATE care_consents SET credit_line_id = $2, updated_at = $3"
                            + " WHERE id = $1")
                    .execute(Tuple.of(consentId, id, now)))
        .compose(
            v ->
                // the line's accounts exist from the start, so that later transactions only lock
                tx.preparedQuery(
                        "INSERT INTO ledger_accounts (code) VALUES ($1), ($2), ($3)"
                            + " ON CONFLICT (code) DO NOTHING")
                    .execute(
                        Tuple.of(
                            CareRows.principalAccount(call.clientId(), id),
                            CareRows.penaltyAccount(call.clientId(), id),
                            CareRows.holds(call.clientId(), id))))
        .compose(v -> read(tx, id))
        .compose(
            row -> {
              JsonObject line = care.rows().creditLine(row);
              return care.events()
                  .emit(tx, call.clientId(), "credit_line.opened", line, call.requestId())
                  .compose(e -> call.answer(tx, 201, line));
            });
  }

  Future<JsonObject> list(
      String clientId,
      String status,
      OffsetDateTime from,
      OffsetDateTime until,
      Page.Request page) {
    return ListQuery.of(CareRows.LINE_SELECT, "l")
        .eq("l.client_id", clientId)
        .eq("l.status", status)
        .createdFrom(from)
        .createdUntil(until)
        .page(care.pool(), page, care.rows()::creditLine);
  }

  Future<JsonObject> get(String clientId, String id) {
    return care.pool()
        .preparedQuery(CareRows.LINE_SELECT + " WHERE l.client_id = $1 AND l.id = $2")
        .execute(Tuple.of(clientId, id))
        .map(rows -> care.rows().creditLine(CareRows.one(rows, "credit line", id)));
  }

  Future<JsonObject> close(Call call, String id) {
    return care.pool()
        .withTransaction(
            tx ->
                lock(tx, call.clientId(), id)
                    .compose(
                        line -> {
                          if ("CLOSED".equals(line.getString("status"))) {
                            throw Problem.conflict(
                                "credit_line_closed", "Credit line " + id + " is CLOSED.");
                          }
                          long held = held(line);
                          long owed = outstanding(line);
                          if (held != 0 || owed != 0) {
                            throw Problem.conflict(
                                "credit_line_has_balance",
                                "Credit line "
                                    + id
                                    + " has "
                                    + held
                                    + " fen held and "
                                    + owed
                                    + " fen outstanding.");
                          }
                          return care.clock().now(tx, call.clientId());
                        })
                    .compose(
                        now ->
                            tx.preparedQuery(
                                    "UPDATE care_credit_lines SET status = 'CLOSED',"
                                        + " frozen_reason = NULL, closed_at = $2, updated_at = $2"
                                        + " WHERE id = $1")
                                .execute(Tuple.of(id, now)))
                    .compose(v -> read(tx, id))
                    .compose(row -> call.answer(tx, 200, care.rows().creditLine(row))));
  }
}
