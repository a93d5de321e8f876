package io.scenebank.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One HTTP server on one event loop; the gateway deploys one per core on the same port. On undeploy
 * the server stops accepting and lets in-flight requests finish within the grace period.
 */
public final class HttpVerticle extends VerticleBase {

  private final HttpServerOptions options;
  private final Function<io.vertx.core.Vertx, Router> routerFactory;
  private final Duration shutdownGrace;
  private HttpServer server;

  public HttpVerticle(
      HttpServerOptions options,
      Function<io.vertx.core.Vertx, Router> routerFactory,
      Duration shutdownGrace) {
    this.options = options;
    this.routerFactory = routerFactory;
    this.shutdownGrace = shutdownGrace;
  }

  @Override
  public Future<?> start() {
    // building the router compiles the contract's schemas (hundreds of milliseconds): on a worker,
    // so that the event loops of the verticles already serving are never blocked by it
    return vertx
        .executeBlocking(() -> routerFactory.apply(vertx), false)
        .compose(
            router -> {
              server =
                  vertx
                      .createHttpServer(options)
                      .requestHandler(request -> router.handle(RequestShapeHandler.admit(request)))
                      .invalidRequestHandler(
                          request -> router.handle(RequestShapeHandler.invalid(request)));
              return server.listen();
            });
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
