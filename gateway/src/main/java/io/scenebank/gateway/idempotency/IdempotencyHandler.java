package io.scenebank.gateway.idempotency;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.http.Responses;
import io.scenebank.gateway.security.Caller;
import io.scenebank.gateway.support.Call;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlClient;
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

  public IdempotencyHandler(IdempotencyStore store) {
    this.store = store;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = ctx.request().getHeader(HEADER);
    if (key == null) {
      ctx.fail(
          Problem.badRequest("idempotency_key_missing", "POST requests need an Idempotency-Key.")
              .withErrors(
                  java.util.List.of(
                      new Problem.FieldError("header:" + HEADER, "required on every POST"))));
      return;
    }
    String clientId = Caller.of(ctx).clientId();
    byte[] hash = hash(ctx);
    store
        .begin(clientId, key, hash)
        .onFailure(ctx::fail)
        .onSuccess(
            outcome -> {
              if (outcome instanceof IdempotencyStore.Proceed) {
                byte[] requestHash = hash;
                Call.attach(
                    ctx,
                    new Call.Completion() {
                      @Override
                      public Future<Void> complete(SqlClient tx, int status, JsonObject body) {
                        return store.completeWithin(
                            tx,
                            clientId,
                            key,
                            requestHash,
                            status,
                            Responses.JSON,
                            Buffer.buffer(body.encode()));
                      }

                      @Override
                      public Future<Void> restate(int status, JsonObject body) {
                        return store.restate(
                            clientId,
                            key,
                            requestHash,
                            status,
                            Responses.JSON,
                            Buffer.buffer(body.encode()));
                      }
                    });
                Responses.addStage(
                    ctx, (c, status, type, body) -> finish(clientId, key, status, type, body));
                ctx.next();
              } else if (outcome instanceof IdempotencyStore.Replay replay) {
                ctx.response().putHeader(REPLAYED, "true");
                Responses.send(ctx, replay.status(), replay.contentType(), replay.body());
              } else if (outcome instanceof IdempotencyStore.InFlight) {
                ctx.fail(
                    Problem.conflict(
                            "idempotency_in_flight",
                            "A request with this Idempotency-Key is still being processed; retry"
                                + " shortly.")
                        .withHeader("Retry-After", "1"));
              } else {
                ctx.fail(
                    Problem.unprocessable(
                        "idempotency_key_reused",
                        "This Idempotency-Key was used for a different request (method, path or"
                            + " body) in the last 24 hours."));
              }
            });
  }

  private Future<Void> finish(String clientId, String key, int status, String type, Buffer body) {
    return storable(status)
        ? store.complete(clientId, key, status, type, body)
        : store.release(clientId, key);
  }

  /** What the operation itself answered; anything else changed nothing and may be retried. */
  static boolean storable(int status) {
    return (status >= 200 && status < 300) || status == 404 || status == 409 || status == 422;
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
