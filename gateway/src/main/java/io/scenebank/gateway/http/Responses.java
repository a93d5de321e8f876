package io.scenebank.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every response body leaves the gateway through here, so that the stages registered for the
 * request (store the idempotent result, sign the response) see exactly the bytes that are sent.
 */
public final class Responses {

  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
  public static final String JSON = "application/json";
  private static final String STAGES = "scenebank.responseStages";
  private static final String GATE = "scenebank.responseGate";

  /** Work on the final response before it is written: may add headers, may store it. */
  @FunctionalInterface
  public interface Stage {
    Future<Void> apply(RoutingContext ctx, int status, String contentType, Buffer body);
  }

  private Responses() {}

  /** Registers a stage for this request's response. */
  public static void addStage(RoutingContext ctx, Stage stage) {
    List<Stage> stages = ctx.get(STAGES);
    if (stages == null) {
      stages = new ArrayList<>(2);
      ctx.put(STAGES, stages);
    }
    stages.add(stage);
  }

  /**
   * Holds the response until {@code condition} completes; if it fails, its failure is answered
   * instead (a read that ran beside the recording of its nonce, and the nonce was not fresh).
   */
  public static void gate(RoutingContext ctx, Future<Void> condition) {
    ctx.put(GATE, condition);
  }

  /** Sends a JSON body with the given status. */
  public static void json(RoutingContext ctx, int status, JsonObject body) {
    send(ctx, status, JSON, Buffer.buffer(body.encode()));
  }

  /** Sends a body: runs the stages, then writes status, content type and body. */
  public static void send(RoutingContext ctx, int status, String contentType, Buffer body) {
    Future<Void> gate = ctx.remove(GATE);
    if (gate != null) {
      gate.onComplete(
          ar -> {
            if (ar.succeeded()) {
              send(ctx, status, contentType, body);
            } else if (!ctx.response().ended()) {
              ProblemHandler.respond(ctx, ar.cause());
            }
          });
      return;
    }
    List<Stage> stages = ctx.remove(STAGES);
    Future<Void> ready = Future.succeededFuture();
    if (stages != null) {
      for (Stage stage : stages) {
        ready = ready.compose(v -> stage.apply(ctx, status, contentType, body));
      }
    }
    ready.onComplete(
        ar -> {
          if (ctx.response().ended()) {
            return;
          }
          if (ar.failed()) {
            // fail closed: an answer that could not be signed is never sent; the client sees a
            // reset connection and retries (with the same Idempotency-Key, which replays it)
            LOG.error("a response stage failed; closing the connection unanswered", ar.cause());
            ctx.response().reset();
            ctx.request().connection().close();
            return;
          }
          ctx.response().setStatusCode(status).putHeader("Content-Type", contentType).end(body);
        });
  }
}
