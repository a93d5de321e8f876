package io.scenebank.gateway.support;

import io.scenebank.gateway.http.RequestIdHandler;
import io.scenebank.gateway.security.Caller;
import io.scenebank.gateway.tx.Guard;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlClient;

/**
 * What a service needs to know about the request it serves: the calling app, the request id (for
 * the events it emits) and path (for the problems it stores), what its transaction must check and
 * record first ({@link Guard}: nonce, idempotency key), and — for operations not yet run through
 * {@code Transactions} — how to store the idempotent answer in the service's own transaction.
 */
public record Call(
    String clientId, String requestId, String path, Completion completion, Guard guard) {

  /**
   * Stores the answer of an idempotent request in the transaction that makes its effect, so that a
   * crash between commit and reply cannot let a retry make the effect twice.
   */
  @FunctionalInterface
  public interface Completion {
    /**
     * Stores the answer in {@code tx}. Fails (rolling the transaction back) when another attempt
     * with the same key has finished first.
     */
    Future<Void> complete(SqlClient tx, int status, JsonObject body);

    /** For requests without an idempotency key (reads, internal work). */
    Completion NONE = (tx, status, body) -> Future.succeededFuture();
  }

  private static final String COMPLETION = "scenebank.completion";
  private static final String NONCE = "scenebank.nonce";
  private static final String CLAIM = "scenebank.claim";

  /** The call behind a request that passed authentication. */
  public static Call of(RoutingContext ctx) {
    Completion completion = ctx.get(COMPLETION);
    return new Call(
        Caller.of(ctx).clientId(),
        RequestIdHandler.requestId(ctx),
        ctx.request().path(),
        completion == null ? Completion.NONE : completion,
        new Guard(ctx.get(NONCE), ctx.get(CLAIM)));
  }

  /** A call made by the gateway itself for an app (time-driven work). */
  public static Call internal(String clientId) {
    return new Call(clientId, null, null, Completion.NONE, Guard.NONE);
  }

  /** The verified signature's nonce, for the request's transaction to record. */
  public static void attachNonce(RoutingContext ctx, Guard.Nonce nonce) {
    ctx.put(NONCE, nonce);
  }

  public static Guard.Nonce nonce(RoutingContext ctx) {
    return ctx.get(NONCE);
  }

  /** The idempotency key, for the request's transaction to claim. */
  public static void attachClaim(RoutingContext ctx, Guard.Claim claim) {
    ctx.put(CLAIM, claim);
  }

  /** Attaches the completion of the request's idempotency key. */
  public static void attach(RoutingContext ctx, Completion completion) {
    ctx.put(COMPLETION, completion);
  }

  /** Completes the idempotent answer in {@code tx} and passes {@code body} on. */
  public Future<JsonObject> answer(SqlClient tx, int status, JsonObject body) {
    return completion.complete(tx, status, body).map(v -> body);
  }
}
