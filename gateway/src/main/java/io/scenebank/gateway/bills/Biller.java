package io.scenebank.gateway.bills;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.regex.Pattern;

/** A biller of the directory, as the payment code needs it. */
record Biller(
    String id,
    String name,
    String category,
    Pattern accountFormat,
    String amountRule,
    long minAmount,
    long maxAmount,
    boolean inquiryRequired,
    boolean supportsMandates,
    boolean active,
    JsonObject connector) {

  static final int DEFAULT_TIMEOUT_MS = 5000;
  static final int DEFAULT_RETRIES = 2;
  static final int DEFAULT_DEADLINE_SECONDS = 300;

  static Biller of(Row row) {
    return new Biller(
        row.getString("id"),
        row.getString("name"),
        row.getString("category"),
        Pattern.compile(row.getString("account_regex")),
        row.getString("amount_rule"),
        row.getLong("min_amount"),
        row.getLong("max_amount"),
        row.getBoolean("inquiry_required"),
        row.getBoolean("supports_mandates"),
        "ACTIVE".equals(row.getString("status")),
        (JsonObject) row.getValue("connector"));
  }

  boolean sandbox() {
    return "SANDBOX".equals(connector.getString("type"));
  }

  boolean accepts(String accountNumber) {
    return accountFormat.matcher(accountNumber).matches();
  }

  int deadlineSeconds() {
    return connector.getInteger("confirmation_deadline_seconds", DEFAULT_DEADLINE_SECONDS);
  }
}
