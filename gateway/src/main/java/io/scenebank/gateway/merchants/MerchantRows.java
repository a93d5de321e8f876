package io.scenebank.gateway.merchants;

import static io.scenebank.gateway.support.Rows.metadata;
import static io.scenebank.gateway.support.Rows.money;
import static io.scenebank.gateway.support.Rows.putIfPresent;
import static io.scenebank.gateway.support.Rows.time;

import io.scenebank.gateway.support.Masking;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** Rows of the merchant tables as the contract shows them, and the ledger accounts involved. */
public final class MerchantRows {

  private final boolean livemode;

  public MerchantRows(boolean livemode) {
    this.livemode = livemode;
  }

  public boolean livemode() {
    return livemode;
  }

  /** What the bank owes the merchant until it is settled (a credit balance). */
  public static String balance(String clientId, String merchantId) {
    return "merchant:" + clientId + ":" + merchantId + ":balance";
  }

  /** The bank's fee income from the platform's merchants. */
  static String feeIncome(String clientId) {
    return "merchant:" + clientId + ":fee_income";
  }

  /** Paid out to the merchant's settlement account (leaves the bank). */
  static String payouts(String clientId, String merchantId) {
    return "merchant:" + clientId + ":" + merchantId + ":payouts";
  }

  JsonObject merchant(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "merchant")
            .put("livemode", livemode)
            .put("status", row.getString("status"))
            .put("business_name", row.getString("business_name"));
    putIfPresent(json, "short_name", row.getString("short_name"));
    json.put("licence_number", row.getString("licence_number"))
        .put("category", row.getString("category"))
        .put("settlement_account", (JsonObject) row.getValue("settlement_account"))
        .put("contact", (JsonObject) row.getValue("contact"))
        .put("fee_rate_bps", row.getInteger("fee_rate_bps"));
    putIfPresent(json, "address", row.getString("address"));
    if (row.getValue("review") instanceof JsonObject review) {
      json.put("review", review);
    }
    return json.put("metadata", metadata(row))
        .put("created_at", time(row, "created_at"))
        .put("updated_at", time(row, "updated_at"));
  }

  /** A payment; the row may carry the payer's {@code account_masked} and {@code holder_name}. */
  public JsonObject payment(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "payment")
            .put("livemode", livemode)
            .put("type", row.getString("type"))
            .put("status", row.getString("status"))
            .put("merchant_id", row.getString("merchant_id"))
            .put("amount", money(row.getLong("amount")))
            .put("refunded_amount", money(row.getLong("refunded_amount")))
            .put("description", row.getString("description"))
            .put("merchant_order_ref", row.getString("merchant_order_ref"));
    putIfPresent(json, "qr_payload", row.getString("qr_payload"));
    putIfPresent(json, "expires_at", time(row, "expires_at"));
    putIfPresent(json, "paid_at", time(row, "paid_at"));
    putIfPresent(json, "closed_at", time(row, "closed_at"));
    putIfPresent(json, "cancelled_at", time(row, "cancelled_at"));
    putIfPresent(json, "reversed_at", time(row, "reversed_at"));
    putIfPresent(json, "decline_code", row.getString("decline_code"));
    putIfPresent(json, "decline_message", row.getString("decline_message"));
    String payer = row.getString("payer_account_id");
    if (payer != null) {
      JsonObject p = new JsonObject().put("account_id", payer);
      int masked = row.getColumnIndex("account_masked");
      if (masked >= 0 && row.getString("account_masked") != null) {
        p.put("account_masked", row.getString("account_masked"));
        p.put("name_masked", Masking.name(row.getString("holder_name")));
      }
      json.put("payer", p);
    }
    if (row.getValue("funding") instanceof JsonObject funding) {
      json.put("funding", funding);
    }
    return json.put("metadata", metadata(row))
        .put("created_at", time(row, "created_at"))
        .put("updated_at", time(row, "updated_at"));
  }

  JsonObject refund(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "refund")
            .put("livemode", livemode)
            .put("payment_id", row.getString("payment_id"))
            .put("merchant_id", row.getString("merchant_id"))
            .put("amount", money(row.getLong("amount")))
            .put("status", row.getString("status"));
    putIfPresent(json, "failure_reason", row.getString("failure_reason"));
    json.put("reason", row.getString("reason"))
        .put("merchant_refund_ref", row.getString("merchant_refund_ref"));
    if (row.getValue("funding") instanceof JsonObject funding) {
      json.put("funding", funding);
    }
    return json.put("metadata", metadata(row)).put("created_at", time(row, "created_at"));
  }

  JsonObject statement(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "statement")
        .put("livemode", livemode)
        .put("merchant_id", row.getString("merchant_id"))
        .put("statement_date", row.getLocalDate("statement_date").toString())
        .put("status", "READY")
        .put("row_count", row.getInteger("row_count"))
        .put("totals", (JsonObject) row.getValue("totals"))
        .put("sha256", row.getString("sha256"))
        .put("signature_kid", row.getString("signature_kid"))
        .put("created_at", time(row, "created_at"));
  }

  /** A settlement; the row carries the merchant's {@code settlement_account}. */
  JsonObject settlement(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "merchant_settlement")
            .put("livemode", livemode)
            .put("merchant_id", row.getString("merchant_id"))
            .put("business_date", row.getLocalDate("business_date").toString())
            .put("gross", money(row.getLong("gross")))
            .put("refunds", money(row.getLong("refunds")))
            .put("fees", money(row.getLong("fees")))
            .put("net", money(Math.max(0, row.getLong("net"))))
            .put("status", row.getString("status"))
            .put("settlement_account", (JsonObject) row.getValue("settlement_account"));
    putIfPresent(json, "paid_at", time(row, "paid_at"));
    putIfPresent(json, "failure_reason", row.getString("failure_reason"));
    return json.put("created_at", time(row, "created_at"))
        .put("updated_at", time(row, "updated_at"));
  }
}
