package io.scenebank.gateway.support;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/** Pieces every rendering of a database row as a contract resource uses. */
public final class Rows {

  private Rows() {}

  /** Money as the contract shows it: integer fen, CNY. */
  public static JsonObject money(long amount) {
    return new JsonObject().put("amount", amount).put("currency", "CNY");
  }

  /** A timestamp column as the contract writes it, or null. */
  public static String time(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : Times.format(value);
  }

  /** Puts the value unless it is null (optional fields are left out, not null). */
  public static void putIfPresent(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  /** The row's {@code metadata} column, or an empty object. */
  public static JsonObject metadata(Row row) {
    return row.getValue("metadata") instanceof JsonObject m ? m : new JsonObject();
  }
}
