package io.scenebank.sdk;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
}
