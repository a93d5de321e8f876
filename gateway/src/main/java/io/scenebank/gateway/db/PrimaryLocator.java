package io.scenebank.gateway.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnectOptions;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the pool's next connection goes: the first host of the list that takes writes (not in
 * recovery, not read-only), as libpq's {@code target_session_attrs=read-write} chooses. The answer
 * is kept for a second, so a burst of new connections costs one look; after a failover (the old
 * primary's connections break, the pool opens new ones) the promoted standby is found within that
 * second of its promotion. No host that takes writes: the connection fails as "database
 * unavailable" (503 with Retry-After), never with a write to a standby.
 */
final class PrimaryLocator implements Supplier<Future<SqlConnectOptions>> {

  private static final Logger LOG = LoggerFactory.getLogger(PrimaryLocator.class);
  private static final long KEEP_NANOS = 1_000_000_000L;

  /** No host of the list takes writes now (all down, or all standbys during a failover). */
  static final class NoWritableHost extends java.io.IOException {
    NoWritableHost() {
      super("no host of DATABASE_URL takes writes", null);
    }
  }

  private final Vertx vertx;
  private final List<PgConnectOptions> hosts;
  private PgConnectOptions current;
  private long foundAt;
  private Future<SqlConnectOptions> looking;

  PrimaryLocator(Vertx vertx, List<PgConnectOptions> hosts) {
    this.vertx = vertx;
    this.hosts = List.copyOf(hosts);
  }

  @Override
  public synchronized Future<SqlConnectOptions> get() {
    if (current != null && System.nanoTime() - foundAt < KEEP_NANOS) {
      return Future.succeededFuture(current);
    }
    if (looking == null) {
      looking = look(0).andThen(ar -> settle(ar.succeeded() ? ar.result() : null));
    }
    return looking;
  }

  private synchronized void settle(SqlConnectOptions found) {
    PgConnectOptions previous = current;
    current = (PgConnectOptions) found;
    foundAt = System.nanoTime();
    looking = null;
    if (found != null && found != previous) {
      LOG.atInfo()
          .addKeyValue("host", current.getHost())
          .addKeyValue("port", current.getPort())
          .log("database primary found");
    }
  }

  /** Tries the hosts in order from {@code index}; the first that takes writes. */
  private Future<SqlConnectOptions> look(int index) {
    if (index == hosts.size()) {
      return Future.failedFuture(new NoWritableHost());
    }
    PgConnectOptions host = hosts.get(index);
    return PgConnection.connect(vertx, host)
        .compose(
            connection ->
                connection
                    .query(
                        "SELECT pg_is_in_recovery()"
                            + " OR current_setting('transaction_read_only') = 'on' AS read_only")
                    .execute()
                    .map(rows -> !rows.iterator().next().getBoolean("read_only"))
                    .eventually(connection::close))
        .otherwise(false)
        .compose(
            writable ->
                writable ? Future.succeededFuture((SqlConnectOptions) host) : look(index + 1));
  }
}
