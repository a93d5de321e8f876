package io.scenebank.gateway.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The implemented operations: operationId from the contract to the handler that serves it. API
 * modules register here; {@link ApiRouter} routes the rest of the contract to {@code 501}.
 */
public final class Operations {

  private final Map<String, Handler<RoutingContext>> handlers = new LinkedHashMap<>();

  public Operations add(String operationId, Handler<RoutingContext> handler) {
    if (handlers.putIfAbsent(operationId, handler) != null) {
      throw new IllegalStateException("operation registered twice: " + operationId);
    }
    return this;
  }

  Map<String, Handler<RoutingContext>> handlers() {
    return handlers;
  }
}
