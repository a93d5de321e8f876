package io.scenebank.gateway.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.function.BooleanSupplier;

/**
 * While the gateway stops (SIGTERM), requests that arrive on connections already open get {@code
 * 503 service_unavailable} with {@code Retry-After} and {@code Connection: close}, so that clients
 * go to another instance; requests already in flight finish. The health probes still answer, so
 * that the load balancer sees the instance is not ready.
 */
final class DrainingHandler implements PlatformHandler {

  private static final Problem SHUTTING_DOWN =
      new Problem(
              503,
              "service_unavailable",
              "Service unavailable",
              "This gateway instance is shutting down; nothing was done. Retry (another instance"
                  + " will answer).")
          .withHeader("Retry-After", "1");

  private final BooleanSupplier draining;

  DrainingHandler(BooleanSupplier draining) {
    this.draining = draining;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (draining.getAsBoolean() && !ctx.request().path().startsWith("/health/")) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      ctx.fail(SHUTTING_DOWN);
    } else {
      ctx.next();
    }
  }
}
