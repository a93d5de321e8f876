package io.scenebank.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Every response body leaves the gateway through here. */
public final class Responses {

  public static final String JSON = "application/json";

  private Responses() {}

  /** Sends a JSON body with the given status. */
  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON);
    end(ctx, body);
  }

  /** Ends the response with a JSON body; status and content type are already set. */
  static void end(RoutingContext ctx, JsonObject body) {
    ctx.response().end(Buffer.buffer(body.encode()));
  }
}
