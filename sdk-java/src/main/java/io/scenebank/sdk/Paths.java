package io.scenebank.sdk;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Building request paths: ids as path segments, list parameters as a query. */
final class Paths {

  private Paths() {}

  /** A path segment: ids are [A-Za-z0-9._-], anything else is refused rather than encoded. */
  static String segment(String id) {
    if (id == null || !id.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new IllegalArgumentException("not a valid id: " + id);
    }
    return id;
  }

  /** {@code ?a=1&b=2} from the non-null values, or "" when there are none. */
  static String query(Map<String, Object> parameters) {
    StringJoiner joiner = new StringJoiner("&", "?", "");
    joiner.setEmptyValue("");
    parameters.forEach(
        (name, value) -> {
          if (value != null) {
            joiner.add(
                name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
          }
        });
    return joiner.toString();
  }

  /** {@code ?limit=..&cursor=..} for a plain paged list. */
  static String page(Integer limit, String cursor) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("limit", limit);
    query.put("cursor", cursor);
    return query(query);
  }

  /** List parameters in the contract's order, all unset (a query object's starting point). */
  static Map<String, Object> unset(String... names) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    for (String name : names) {
      parameters.put(name, null);
    }
    return parameters;
  }

  /** A copy of the parameters with one changed (null: unset). */
  static Map<String, Object> copy(Map<String, Object> parameters, String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(parameters);
    copy.put(name, value);
    return copy;
  }

  /** ISO-8601 with offset, e.g. {@code 2026-11-23T10:15:30+08:00}; null stays null. */
  static String iso(OffsetDateTime time) {
    return time == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
  }
}
