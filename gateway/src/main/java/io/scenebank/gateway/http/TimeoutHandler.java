package io.scenebank.gateway.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.time.Duration;

/** A request still unanswered after the configured time gets {@code 503 request_timeout}. */
public final class TimeoutHandler implements PlatformHandler {

  private final long timeoutMs;

  public TimeoutHandler(Duration timeout) {
    this.timeoutMs = timeout.toMillis();
  }

  @Override
  public void handle(RoutingContext ctx) {
    long timer =
        ctx.vertx()
            .setTimer(
                timeoutMs,
                t -> {
                  if (!ctx.response().headWritten()) {
                    ctx.fail(
                        new Problem(
                                503,
                                "request_timeout",
                                "Request timed out",
                                "The gateway did not finish the request in time; it is safe to retry"
                                    + " with the same Idempotency-Key.")
                            .withHeader("Retry-After", "1"));
                  }
                });
    ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
    ctx.next();
  }
}
