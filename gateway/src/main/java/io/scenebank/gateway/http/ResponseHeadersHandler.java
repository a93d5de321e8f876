package io.scenebank.gateway.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/** Headers every API response carries: nothing is cached, nothing is sniffed. */
public final class ResponseHeadersHandler implements PlatformHandler {

  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
  private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
  private static final CharSequence X_CONTENT_TYPE_OPTIONS =
      HttpHeaders.createOptimized("X-Content-Type-Options");

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap headers = ctx.response().headers();
    headers.set(HttpHeaders.CACHE_CONTROL, NO_STORE);
    headers.set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    ctx.next();
  }
}
