package io.scenebank.gateway.tx;

import io.scenebank.gateway.http.Problem;
import io.vertx.core.json.JsonObject;

/**
 * What an operation decided from what it read: to write (and answer), or to refuse. The writes are
 * one statement; the transaction wrapper adds the idempotent answer to it and commits with it.
 */
public sealed interface Plan {

  /** Write {@code writes}, then answer {@code status} with {@code answer}. */
  record Apply(int status, JsonObject answer, Cte writes) implements Plan {}

  /** Change nothing and answer with the problem (stored as the idempotent answer if final). */
  record Refuse(Problem problem) implements Plan {}

  static Plan apply(int status, JsonObject answer, Cte writes) {
    return new Apply(status, answer, writes);
  }

  static Plan refuse(Problem problem) {
    return new Refuse(problem);
  }
}
