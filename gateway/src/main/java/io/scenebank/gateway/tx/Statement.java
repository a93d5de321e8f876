package io.scenebank.gateway.tx;

import io.vertx.sqlclient.Tuple;

/** One SQL statement and its parameters, ready to be sent. */
public record Statement(String sql, Tuple args) {

  public static Statement of(String sql, Object... args) {
    return new Statement(sql, Tuple.from(args));
  }
}
