package io.scenebank.gateway.bills;

import static io.scenebank.gateway.support.Rows.metadata;
import static io.scenebank.gateway.support.Rows.money;
import static io.scenebank.gateway.support.Rows.putIfPresent;
import static io.scenebank.gateway.support.Rows.time;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.support.Masking;
import io.scenebank.gateway.support.Times;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/** Rows of the bill tables as the contract shows them, and the ledger accounts of bills. */
final class BillRows {

  private final Mode mode;

  BillRows(Mode mode) {
    this.mode = mode;
  }

  boolean livemode() {
    return mode.livemode();
  }

  /** Payments debited from payers whose write-off the biller has not confirmed yet. */
  static String inFlight(String clientId, String billerId) {
    return "bills:" + clientId + ":in_flight:" + billerId;
  }

  /** Confirmed payments owed to the biller (paid out by the bank's settlement with it). */
  static String billerPayable(String clientId, String billerId) {
    return "bills:" + clientId + ":biller_payable:" + billerId;
  }

  JsonObject bill(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "bill")
            .put("livemode", mode.livemode())
            .put("biller_id", row.getString("biller_id"))
            .put("account_number", row.getString("account_number"))
            .put("period", row.getString("period"))
            .put("amount_due", money(row.getLong("amount_due")))
            .put("due_date", row.getLocalDate("due_date").toString())
            .put("issued_at", time(row, "issued_at"))
            .put("status", row.getString("status"));
    putIfPresent(json, "bill_payment_id", row.getString("bill_payment_id"));
    return json.put("created_at", time(row, "created_at"))
        .put("updated_at", time(row, "updated_at"));
  }

  /** A payment; the row carries the payer's {@code account_masked} and {@code holder_name}. */
  /** A payment just debited, PENDING, as {@link #payment(Row)} will show it once written. */
  JsonObject pendingPayment(
      String id,
      BillPayments.Order order,
      String holderName,
      String accountMasked,
      OffsetDateTime deadline,
      OffsetDateTime now) {
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("object", "bill_payment")
            .put("livemode", mode.livemode())
            .put("biller_id", order.billerId());
    putIfPresent(json, "bill_id", order.billId());
    json.put("account_number", order.accountNumber())
        .put("amount", money(order.amount()))
        .put(
            "payer",
            new JsonObject()
                .put("account_id", order.payerAccountId())
                .put("account_masked", accountMasked)
                .put("name_masked", Masking.name(holderName)))
        .put("status", "PENDING")
        .put("channel_reference", order.channelReference());
    putIfPresent(json, "mandate_id", order.mandateId());
    return json.put("confirmation_deadline", Times.format(deadline))
        .put("metadata", order.metadata())
        .put("created_at", Times.format(now))
        .put("updated_at", Times.format(now));
  }

  JsonObject payment(Row row) {
    JsonObject payer =
        new JsonObject()
            .put("account_id", row.getString("payer_account_id"))
            .put("account_masked", row.getString("account_masked"))
            .put("name_masked", Masking.name(row.getString("holder_name")));
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "bill_payment")
            .put("livemode", mode.livemode())
            .put("biller_id", row.getString("biller_id"));
    putIfPresent(json, "bill_id", row.getString("bill_id"));
    json.put("account_number", row.getString("account_number"))
        .put("amount", money(row.getLong("amount")))
        .put("payer", payer)
        .put("status", row.getString("status"))
        .put("channel_reference", row.getString("channel_reference"));
    putIfPresent(json, "biller_reference", row.getString("biller_reference"));
    putIfPresent(json, "mandate_id", row.getString("mandate_id"));
    putIfPresent(json, "confirmed_at", time(row, "confirmed_at"));
    if ("PENDING".equals(row.getString("status"))) {
      json.put("confirmation_deadline", time(row, "confirmation_deadline"));
    }
    putIfPresent(json, "reversal_reason", row.getString("reversal_reason"));
    putIfPresent(json, "reversal_detail", row.getString("reversal_detail"));
    putIfPresent(json, "reversed_at", time(row, "reversed_at"));
    return json.put("metadata", metadata(row))
        .put("created_at", time(row, "created_at"))
        .put("updated_at", time(row, "updated_at"));
  }

  JsonObject mandate(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "mandate")
            .put("livemode", mode.livemode())
            .put("biller_id", row.getString("biller_id"))
            .put("account_number", row.getString("account_number"))
            .put(
                "payer",
                new JsonObject()
                    .put("account_id", row.getString("payer_account_id"))
                    .put("account_masked", row.getString("account_masked"))
                    .put("name_masked", Masking.name(row.getString("holder_name"))))
            .put("max_amount_per_bill", money(row.getLong("max_amount_per_bill")))
            .put("status", row.getString("status"));
    putIfPresent(json, "last_bill_payment_id", row.getString("last_bill_payment_id"));
    Object exceeded = row.getValue("last_exceeded_bill");
    if (exceeded instanceof JsonObject e) {
      json.put("last_exceeded_bill", e);
    }
    putIfPresent(json, "cancelled_at", time(row, "cancelled_at"));
    putIfPresent(json, "cancel_reason", row.getString("cancel_reason"));
    return json.put("metadata", metadata(row))
        .put("created_at", time(row, "created_at"))
        .put("updated_at", time(row, "updated_at"));
  }
}
