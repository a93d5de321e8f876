package io.scenebank.gateway.idempotency;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.http.Responses;
import io.scenebank.gateway.security.Nonces;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.tx.Guard;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * On every POST under /v1, after authentication and validation: the first request with an {@code
 * Idempotency-Key} runs and its answer is stored; a repeat with the same body gets the stored
 * answer ({@code Idempotent-Replayed: true}); a different body is {@code 422
 * idempotency_key_reused}; a repeat while the first still runs is {@code 409
 * idempotency_in_flight}. Answers that changed nothing (5xx) are not stored, so a retry runs anew.
 */
public final class IdempotencyHandler implements Handler<RoutingContext> {

  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED = "Idempotent-Replayed";

  private final IdempotencyStore store;
  private final Nonces nonces;

  public IdempotencyHandler(IdempotencyStore store, Nonces nonces) {
    this.store = store;
    this.nonces = nonces;
  }

  /**
   * For operations run through {@code Transactions}: the key and the request's hash go to the
   * operation's transaction, which claims the key, stores the answer and records the nonce.
   */
  public Handler<RoutingContext> inTransaction() {
    return ctx -> {
      String key = ctx.request().getHeader(HEADER);
      if (key == null) {
        ctx.fail(missing());
        return;
      }
      Call.attachClaim(ctx, new Guard.Claim(key, hash(ctx)));
      ctx.next();
    };
  }

  private static Problem missing() {
    return Problem.badRequest("idempotency_key_missing", "POST requests need an Idempotency-Key.")
        .withErrors(
            java.util.List.of(
                new Problem.FieldError("header:" + HEADER, "required on every POST")));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = ctx.request().getHeader(HEADER);
    if (key == null) {
      ctx.fail(missing());
      return;
    }
    String clientId = Call.of(ctx).clientId();
    byte[] hash = hash(ctx);
    nonces
        .record(Call.nonce(ctx))
        .compose(v -> store.begin(clientId, key, hash))
        .onFailure(ctx::fail)
        .onSuccess(
            outcome -> {
              if (outcome instanceof IdempotencyStore.Proceed) {
                byte[] requestHash = hash;
                Call.attach(
                    ctx,
                    (tx, status, body) ->
                        store.completeWithin(
                            tx,
                            clientId,
                            key,
                            requestHash,
                            status,
                            Responses.JSON,
                            Buffer.buffer(body.encode())));
                Responses.addStage(
                    ctx, (c, status, type, body) -> finish(clientId, key, status, type, body));
                ctx.next();
              } else if (outcome instanceof IdempotencyStore.Replay replay) {
                ctx.response().putHeader(REPLAYED, "true");
                Responses.send(ctx, replay.status(), replay.contentType(), replay.body());
              } else {
                ctx.fail(IdempotencyStore.problem(outcome));
              }
            });
  }

  private Future<Void> finish(String clientId, String key, int status, String type, Buffer body) {
    return IdempotencyStore.storable(status)
        ? store.complete(clientId, key, status, type, body)
        : store.release(clientId, key);
  }

  private static byte[] hash(RoutingContext ctx) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(ctx.request().method().name().getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) '\n');
      sha.update(ctx.request().uri().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      Buffer body = ctx.body().buffer();
      if (body != null) {
        sha.update(body.getBytes());
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
