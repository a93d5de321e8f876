package io.scenebank.gateway.care;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A resource's JSON changed to what it will be once a statement not sent yet is written: fields
 * replaced in place, a field the JSON did not have put where {@link CareRows} puts it (before
 * {@code before}), so the answer and the events read as they would from the stored rows.
 */
final class CareJson {

  private CareJson() {}

  /** {@code key} set to {@code value} (removed if null), new keys placed before {@code before}. */
  static JsonObject with(JsonObject json, String before, String key, Object value) {
    if (value == null) {
      json.remove(key);
      return json;
    }
    if (json.containsKey(key) || !json.containsKey(before)) {
      json.put(key, value);
      return json;
    }
    JsonObject rebuilt = new JsonObject();
    for (Map.Entry<String, Object> field : json) {
      if (field.getKey().equals(before)) {
        rebuilt.put(key, value);
      }
      rebuilt.put(field.getKey(), field.getValue());
    }
    json.clear();
    json.mergeIn(rebuilt);
    return json;
  }
}
