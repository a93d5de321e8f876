package io.scenebank.gateway.support;

import io.scenebank.gateway.http.RequestIdHandler;
import io.scenebank.gateway.security.Caller;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlClient;

/**
 * What a service needs to know about the request it serves: the calling app, the request id (for
 * the events it emits), and how to store the idempotent answer in the service's own transaction.
 */
public record Call(String clientId, String requestId, Completion completion) {

  /**
   * Stores the answer of an idempotent request in the transaction that makes its effect, so that a
   * crash between commit and reply cannot let a retry make the effect twice.
   */
  public interface Completion {
    /**
     * Stores the answer in {@code tx}. Fails (rolling the transaction back) when another attempt
     * with the same key has finished first.
     */
    Future<Void> complete(SqlClient tx, int status, JsonObject body);

    /**
     * Replaces the stored answer, after the commit, by a later state of the same effect (a bill
     * payment confirmed by the biller after its debit was committed and answered PENDING). If this
     * fails, the answer stored at the commit stays: true when it was stored.
     */
    Future<Void> restate(int status, JsonObject body);

    /** For requests without an idempotency key (reads, internal work). */
    Completion NONE =
        new Completion() {
          @Override
          public Future<Void> complete(SqlClient tx, int status, JsonObject body) {
            return Future.succeededFuture();
          }

          @Override
          public Future<Void> restate(int status, JsonObject body) {
            return Future.succeededFuture();
          }
        };
  }

  private static final String COMPLETION = "scenebank.completion";

  /** The call behind a request that passed authentication. */
  public static Call of(RoutingContext ctx) {
    Completion completion = ctx.get(COMPLETION);
    return new Call(
        Caller.of(ctx).clientId(),
        RequestIdHandler.requestId(ctx),
        completion == null ? Completion.NONE : completion);
  }

  /** A call made by the gateway itself for an app (time-driven work). */
  public static Call internal(String clientId) {
    return new Call(clientId, null, Completion.NONE);
  }

  /** Attaches the completion of the request's idempotency key. */
  public static void attach(RoutingContext ctx, Completion completion) {
    ctx.put(COMPLETION, completion);
  }

  /** Completes the idempotent answer in {@code tx} and passes {@code body} on. */
  public Future<JsonObject> answer(SqlClient tx, int status, JsonObject body) {
    return completion.complete(tx, status, body).map(v -> body);
  }

  /**
   * After the commit that stored the answer: stores {@code body} instead, and passes it on. A
   * failure to do so is not the caller's: the answer stored at the commit stays.
   */
  public Future<JsonObject> restate(int status, JsonObject body) {
    return completion.restate(status, body).otherwiseEmpty().map(v -> body);
  }
}
