package io.scenebank.gateway.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/** Vert.x contexts. */
public final class Contexts {

  private Contexts() {}

  /**
   * The future, completed on {@code context}: a client created elsewhere (a shared HTTP client, a
   * token provider) completes on its own event loop, and the caller must go on on its own.
   */
  public static <T> Future<T> onContext(Context context, Future<T> future) {
    if (future.isComplete()) {
      return future;
    }
    Promise<T> on = Promise.promise();
    future.onComplete(ar -> context.runOnContext(v -> on.handle(ar)));
    return on.future();
  }
}
