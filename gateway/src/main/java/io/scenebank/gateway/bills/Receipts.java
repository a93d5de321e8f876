package io.scenebank.gateway.bills;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.security.SigningKeys;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.support.Times;
import io.scenebank.sdk.internal.jose.Jws;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * E-receipts (电子回单) of successful bill payments: the receipt's fields signed by the gateway as a
 * compact JWS with its current Ed25519 key, verifiable by anyone with the published JWKS.
 */
final class Receipts {

  static final String ISSUER = "Scenebank 开放银行";
  static final String TYPE = "receipt+jwt";

  private final SigningKeys keys;
  private final Mode mode;

  Receipts(SigningKeys keys, Mode mode) {
    this.keys = keys;
    this.mode = mode;
  }

  /** Issues the receipt of a payment that just succeeded, in its transaction. */
  Future<Void> issue(
      SqlClient tx,
      Row payment,
      Biller biller,
      String period,
      String holderMasked,
      String payerMasked,
      String billerReference,
      OffsetDateTime paidAt) {
    String number =
        "R"
            + DateTimeFormatter.BASIC_ISO_DATE.format(
                paidAt.atZoneSameInstant(Times.CHINA).toLocalDate())
            + Ids.random(12).toUpperCase();
    JsonObject content =
        new JsonObject()
            .put("receipt_number", number)
            .put("bill_payment_id", payment.getString("id"))
            .put("biller_id", biller.id())
            .put("biller_name", biller.name())
            .put("category", biller.category())
            .put("account_number", payment.getString("account_number"));
    if (holderMasked != null) {
      content.put("account_holder_masked", holderMasked);
    }
    if (period != null) {
      content.put("period", period);
    }
    content
        .put("amount", Rows.money(payment.getLong("amount")))
        .put("payer_account_masked", payerMasked)
        .put("biller_reference", billerReference)
        .put("paid_at", Times.format(paidAt))
        .put("issued_at", Times.format(paidAt))
        .put("issuer", ISSUER);
    SigningKeys.Active key = keys.current(SignatureAlgorithm.ED25519);
    // the payload as plain maps, so that it is written exactly as the stored JSON
    @SuppressWarnings("unchecked")
    Map<String, Object> claims = io.vertx.core.json.Json.decodeValue(content.encode(), Map.class);
    String jws = Jws.sign(Map.of("typ", TYPE), claims, key.signer());
    return tx.preparedQuery(
            "INSERT INTO bill_receipts (bill_payment_id, receipt_number, content, jws, kid,"
                + " created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(payment.getString("id"), number, content, jws, key.kid(), paidAt))
        .mapEmpty();
  }

  /** The receipt of the app's payment: 404 if no such payment, 409 if it has not succeeded. */
  Future<JsonObject> get(SqlClient client, String clientId, String paymentId) {
    return client
        .preparedQuery(
            "SELECT p.status, r.* FROM bill_payments p LEFT JOIN bill_receipts r"
                + " ON r.bill_payment_id = p.id WHERE p.client_id = $1 AND p.id = $2")
        .execute(Tuple.of(clientId, paymentId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.notFound("No bill payment " + paymentId + ".");
              }
              Row row = rows.iterator().next();
              if (row.getString("jws") == null) {
                throw Problem.conflict(
                    "receipt_not_available",
                    "Bill payment " + paymentId + " is " + row.getString("status") + ".");
              }
              return new JsonObject()
                  .put("object", "bill_receipt")
                  .put("bill_payment_id", paymentId)
                  .put("livemode", mode.livemode())
                  .put("receipt", (JsonObject) row.getValue("content"))
                  .put("jws", row.getString("jws"))
                  .put("kid", row.getString("kid"))
                  .put("created_at", Times.format(row.getOffsetDateTime("created_at")));
            });
  }
}
