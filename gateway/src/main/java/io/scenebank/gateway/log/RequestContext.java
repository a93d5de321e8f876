package io.scenebank.gateway.log;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * The request id and trace position of the request being served, kept in the request's (duplicated)
 * Vert.x context so that every log line written while serving it carries it, across asynchronous
 * steps.
 */
public final class RequestContext {

  private static final ContextLocal<String> REQUEST_ID = ContextLocal.registerLocal(String.class);
  private static final ContextLocal<TraceContext> TRACE =
      ContextLocal.registerLocal(TraceContext.class);

  private RequestContext() {}

  /** Registers the context local; must run before the first Vert.x instance is created. */
  public static void init() {
    // the static initializer does the work
  }

  public static void setRequestId(Context context, String requestId) {
    REQUEST_ID.put(context, requestId);
  }

  public static void setTrace(Context context, TraceContext trace) {
    TRACE.put(context, trace);
  }

  /** The trace position of the request being served, or null outside a request. */
  public static TraceContext trace() {
    Context context = Vertx.currentContext();
    return context == null ? null : TRACE.get(context);
  }

  /** The request id of the current context, or null outside a request. */
  public static String requestId() {
    Context context = Vertx.currentContext();
    return context == null ? null : REQUEST_ID.get(context);
  }
}
