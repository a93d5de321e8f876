package io.scenebank.gateway.bills;

import io.scenebank.gateway.bills.connector.BillerConnector;
import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.time.AppClock;
import io.vertx.sqlclient.Pool;
import java.util.function.Function;

/** The connector of a biller, for an app: the sandbox biller, or the biller's system over HTTP. */
final class Connectors {

  private final Pool pool;
  private final AppClock clock;
  private final Mode mode;
  private final Function<Biller, BillerConnector> http;

  /**
   * @param http makes (and may cache) the HTTP/JSON connector of a biller
   */
  Connectors(Pool pool, AppClock clock, Mode mode, Function<Biller, BillerConnector> http) {
    this.pool = pool;
    this.clock = clock;
    this.mode = mode;
    this.http = http;
  }

  BillerConnector of(Biller biller, String clientId) {
    if (biller.sandbox()) {
      if (!mode.sandbox()) {
        throw new IllegalStateException("sandbox biller " + biller.id() + " in production");
      }
      return new SandboxBiller(pool, clock, clientId, biller.id());
    }
    return http.apply(biller);
  }

  SandboxBiller sandbox(Biller biller, String clientId) {
    return new SandboxBiller(pool, clock, clientId, biller.id());
  }
}
