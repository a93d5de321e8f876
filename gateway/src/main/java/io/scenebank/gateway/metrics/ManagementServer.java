package io.scenebank.gateway.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port: {@code GET /metrics} in Prometheus's text format, and nothing else. It is a
 * separate listener (by default on loopback) so that the partners' port never shows it; whoever can
 * reach it can read counts, never money, personal data or secrets.
 *
 * <p>Each scrape first reads the webhook backlog (deliveries due, age of the oldest) from the
 * database, so that the figure is as fresh as the scrape and no timer runs between scrapes. If the
 * database does not answer, the scrape still answers, with the last figures.
 */
public final class ManagementServer {

  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final Pool pool;
  private final GatewayMetrics metrics;
  private HttpServer server;

  public ManagementServer(Vertx vertx, Pool pool, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.pool = pool;
    this.metrics = metrics;
  }

  /** Listens on {@code host:port} ({@code 0}: any free port). */
  public Future<Integer> start(String host, int port) {
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
            .requestHandler(this::handle);
    return server
        .listen()
        .map(
            s -> {
              LOG.atInfo()
                  .addKeyValue("host", host)
                  .addKeyValue("port", s.actualPort())
                  .log("management server started");
              return s.actualPort();
            });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    if (!"/metrics".equals(request.path())) {
      request.response().setStatusCode(404).end();
      return;
    }
    if (request.method() != HttpMethod.GET) {
      request.response().setStatusCode(405).putHeader("Allow", "GET").end();
      return;
    }
    backlog()
        .onComplete(
            ar ->
                request
                    .response()
                    .putHeader("Content-Type", PROMETHEUS_TEXT)
                    .putHeader("Cache-Control", "no-store")
                    .end(metrics.scrape()));
  }

  private Future<Void> backlog() {
    return pool.query(
            "SELECT count(*) AS due,"
                + " COALESCE(EXTRACT(EPOCH FROM now() - min(next_attempt_at)), 0)::float8 AS oldest"
                + " FROM webhook_attempts WHERE status = 'PENDING' AND next_attempt_at <= now()")
        .execute()
        .map(
            rows -> {
              Row row = rows.iterator().next();
              metrics.webhookBacklog(
                  row.getLong("due"), Duration.ofMillis((long) (row.getDouble("oldest") * 1000)));
              return (Void) null;
            })
        .recover(
            e -> {
              LOG.atWarn()
                  .addKeyValue("error", e.getMessage())
                  .log("metrics: the webhook backlog could not be read; last figures served");
              return Future.succeededFuture();
            });
  }
}
