package io.scenebank.gateway.http;

import io.scenebank.gateway.idempotency.IdempotencyHandler;
import io.scenebank.gateway.metrics.GatewayMetrics;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line and one set of measurements per request when it ends: method, path (never the query
 * or body, which may carry personal data), the contract's operation, status, the problem's code if
 * it was refused, duration and bytes sent. The request id comes with every line.
 *
 * <p>{@code sent} tells whether the whole response reached the connection: {@code false} means the
 * client went away (or the connection broke) before the response was written, not a failure of the
 * request itself.
 */
public final class AccessLogHandler implements PlatformHandler {

  /** Where a route puts its operation id. */
  public static final String OPERATION = "scenebank.operation";

  /** Where {@link ProblemHandler} puts the code of the problem it answered. */
  static final String PROBLEM_CODE = "scenebank.problem";

  private static final Logger LOG = LoggerFactory.getLogger("scenebank.access");
  private final GatewayMetrics metrics;

  public AccessLogHandler(GatewayMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        done -> {
          long nanos = System.nanoTime() - start;
          int status = ctx.response().getStatusCode();
          String operation = Objects.requireNonNullElse(ctx.get(OPERATION), "none");
          String code = ctx.get(PROBLEM_CODE);
          metrics.request(operation, status, nanos);
          if (code != null) {
            metrics.problem(status, code);
          }
          if ("true".equals(ctx.response().headers().get(IdempotencyHandler.REPLAYED))) {
            metrics.replay();
          }
          LOG.atInfo()
              .addKeyValue("method", ctx.request().method().name())
              .addKeyValue("path", ctx.request().path())
              .addKeyValue("operation", operation)
              .addKeyValue("status", status)
              .addKeyValue("code", code)
              .addKeyValue("duration_ms", nanos / 1_000_000)
              .addKeyValue("bytes_sent", ctx.response().bytesWritten())
              .addKeyValue("sent", done.succeeded())
              .log("request");
        });
    ctx.next();
  }
}
