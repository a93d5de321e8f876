package io.scenebank.gateway.hostile;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON exactly as a hostile client means it: control characters and unpaired surrogates as
 * {@code \\uXXXX} escapes (so {@code "\ud800"} is sent as those six characters, which no JSON
 * library would write), everything else as UTF-8 characters. {@link Raw} values are copied as
 * written (for numbers such as {@code 1e400}).
 */
final class Json {

  private Json() {}

  /** JSON text copied into the output as it is. */
  record Raw(String text) {}

  /** A deep, mutable copy of a contract example (JsonObject/JsonArray become Map/List). */
  static Object copy(Object value) {
    if (value instanceof JsonObject o) {
      return copy(o.getMap());
    }
    if (value instanceof JsonArray a) {
      return copy(a.getList());
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
      return copy;
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      l.forEach(v -> copy.add(copy(v)));
      return copy;
    }
    return value;
  }

  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Raw raw) {
      sb.append(raw.text());
    } else if (value instanceof String s) {
      string(sb, s);
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else if (value instanceof JsonObject || value instanceof JsonArray) {
      write(sb, copy(value));
    } else if (value instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, String.valueOf(e.getKey()));
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (value instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(sb, list.get(i));
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("not JSON: " + value.getClass());
    }
  }

  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pairedHigh =
          Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
      boolean pairedLow =
          Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
      if (c == '"') {
        sb.append("\\\"");
      } else if (c == '\\') {
        sb.append("\\\\");
      } else if (c < 0x20
          || (c >= 0x7f && c <= 0x9f)
          || (Character.isSurrogate(c) && !pairedHigh && !pairedLow)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
