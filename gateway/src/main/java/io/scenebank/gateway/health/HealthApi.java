package io.scenebank.gateway.health;

import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: it can serve traffic — the
 * database answers and the instance is not shutting down (load balancers stop sending it traffic
 * while in-flight requests drain).
 */
public final class HealthApi {

  static final long DATABASE_TIMEOUT_MS = 2_000;

  private final Pool pool;
  private final BooleanSupplier draining;

  public HealthApi(Pool pool, BooleanSupplier draining) {
    this.pool = pool;
    this.draining = draining;
  }

  public void register(Operations operations) {
    operations.add("getLiveness", this::live).add("getReadiness", this::ready);
  }

  private void live(RoutingContext ctx) {
    Responses.json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  private void ready(RoutingContext ctx) {
    databaseUp()
        .onComplete(
            ar -> {
              boolean database = ar.succeeded();
              boolean accepting = !draining.getAsBoolean();
              boolean up = database && accepting;
              JsonObject checks =
                  new JsonObject()
                      .put("database", database ? "UP" : "DOWN")
                      .put("accepting_traffic", accepting ? "UP" : "DOWN");
              Responses.json(
                  ctx,
                  up ? 200 : 503,
                  new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks));
            });
  }

  private Future<Void> databaseUp() {
    return pool.query("SELECT 1")
        .execute()
        .<Void>mapEmpty()
        .timeout(DATABASE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }
}
