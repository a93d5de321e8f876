package io.scenebank.gateway.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request when it ends: method, path (never the query or body, which may carry
 * personal data), status, duration and bytes sent. The request id comes with every line.
 */
public final class AccessLogHandler implements PlatformHandler {

  private static final Logger LOG = LoggerFactory.getLogger("scenebank.access");

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        done ->
            LOG.atInfo()
                .addKeyValue("method", ctx.request().method().name())
                .addKeyValue("path", ctx.request().path())
                .addKeyValue("status", ctx.response().getStatusCode())
                .addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000)
                .addKeyValue("bytes_sent", ctx.response().bytesWritten())
                .addKeyValue("completed", done.succeeded())
                .log("request"));
    ctx.next();
  }
}
