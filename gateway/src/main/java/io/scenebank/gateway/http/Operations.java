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
  private final java.util.Set<String> transactional = new java.util.HashSet<>();

  public Operations add(String operationId, Handler<RoutingContext> handler) {
    if (handlers.putIfAbsent(operationId, handler) != null) {
      throw new IllegalStateException("operation registered twice: " + operationId);
    }
    return this;
  }

  /**
   * An operation whose handler runs it through {@code Transactions}: its nonce and idempotency key
   * are checked and recorded inside its own transaction, with its answer.
   */
  public Operations addTransactional(String operationId, Handler<RoutingContext> handler) {
    transactional.add(operationId);
    return add(operationId, handler);
  }

  boolean transactional(String operationId) {
    return transactional.contains(operationId);
  }

  Map<String, Handler<RoutingContext>> handlers() {
    return handlers;
  }
}
