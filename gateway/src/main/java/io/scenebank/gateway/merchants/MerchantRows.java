package io.scenebank.gateway.merchants;

import static io.scenebank.gateway.support.Rows.metadata;
import static io.scenebank.gateway.support.Rows.money;
import static io.scenebank.gateway.support.Rows.putIfPresent;
import static io.scenebank.gateway.support.Rows.time;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.support.Masking;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.support.Times;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/** Rows of the merchant tables as the contract shows them, and the ledger accounts involved. */
public final class MerchantRows {

  private final Mode mode;

  public MerchantRows(Mode mode) {
    this.mode = mode;
  }

  public boolean livemode() {
    return mode.livemode();
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
            .put("livemode", mode.livemode())
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

  /** A payment as the contract shows it: from its row, or from what a transaction decided. */
  public record PaymentView(
      String id,
      String type,
      String status,
      String merchantId,
      long amount,
      long refunded,
      String description,
      String orderRef,
      String qrPayload,
      OffsetDateTime expiresAt,
      OffsetDateTime paidAt,
      OffsetDateTime closedAt,
      OffsetDateTime cancelledAt,
      OffsetDateTime reversedAt,
      String declineCode,
      String declineMessage,
      String payerAccountId,
      String payerAccountMasked,
      String payerHolderName,
      JsonObject funding,
      JsonObject metadata,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt) {

    /**
     * The row's view; the row may carry the payer's {@code account_masked}, {@code holder_name}.
     */
    static PaymentView of(Row row) {
      boolean payer = row.getColumnIndex("account_masked") >= 0;
      return new PaymentView(
          row.getString("id"),
          row.getString("type"),
          row.getString("status"),
          row.getString("merchant_id"),
          row.getLong("amount"),
          row.getLong("refunded_amount"),
          row.getString("description"),
          row.getString("merchant_order_ref"),
          row.getString("qr_payload"),
          row.getOffsetDateTime("expires_at"),
          row.getOffsetDateTime("paid_at"),
          row.getOffsetDateTime("closed_at"),
          row.getOffsetDateTime("cancelled_at"),
          row.getOffsetDateTime("reversed_at"),
          row.getString("decline_code"),
          row.getString("decline_message"),
          row.getString("payer_account_id"),
          payer ? row.getString("account_masked") : null,
          payer ? row.getString("holder_name") : null,
          row.getValue("funding") instanceof JsonObject f ? f : null,
          Rows.metadata(row),
          row.getOffsetDateTime("created_at"),
          row.getOffsetDateTime("updated_at"));
    }
  }

  /** A payment; the row may carry the payer's {@code account_masked} and {@code holder_name}. */
  public JsonObject payment(Row row) {
    return payment(PaymentView.of(row));
  }

  public JsonObject payment(PaymentView p) {
    JsonObject json =
        new JsonObject()
            .put("id", p.id())
            .put("object", "payment")
            .put("livemode", mode.livemode())
            .put("type", p.type())
            .put("status", p.status())
            .put("merchant_id", p.merchantId())
            .put("amount", money(p.amount()))
            .put("refunded_amount", money(p.refunded()))
            .put("description", p.description())
            .put("merchant_order_ref", p.orderRef());
    putIfPresent(json, "qr_payload", p.qrPayload());
    putIfPresent(json, "expires_at", Times.format(p.expiresAt()));
    putIfPresent(json, "paid_at", Times.format(p.paidAt()));
    putIfPresent(json, "closed_at", Times.format(p.closedAt()));
    putIfPresent(json, "cancelled_at", Times.format(p.cancelledAt()));
    putIfPresent(json, "reversed_at", Times.format(p.reversedAt()));
    putIfPresent(json, "decline_code", p.declineCode());
    putIfPresent(json, "decline_message", p.declineMessage());
    if (p.payerAccountId() != null) {
      JsonObject payer = new JsonObject().put("account_id", p.payerAccountId());
      if (p.payerAccountMasked() != null) {
        payer.put("account_masked", p.payerAccountMasked());
        payer.put("name_masked", Masking.name(p.payerHolderName()));
      }
      json.put("payer", payer);
    }
    if (p.funding() != null) {
      json.put("funding", p.funding());
    }
    return json.put("metadata", p.metadata() == null ? new JsonObject() : p.metadata())
        .put("created_at", Times.format(p.createdAt()))
        .put("updated_at", Times.format(p.updatedAt()));
  }

  JsonObject refund(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "refund")
            .put("livemode", mode.livemode())
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
        .put("livemode", mode.livemode())
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
            .put("livemode", mode.livemode())
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
