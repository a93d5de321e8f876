package io.scenebank.gateway.db;

import io.scenebank.gateway.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's PostgreSQL: the server named by {@code DATABASE_URL}, or else an embedded
 * PostgreSQL the gateway starts itself ({@link LocalPostgres}: durable, password-protected, on
 * loopback), whose data lives in {@code SCENEBANK_DATA_DIR/postgres} and survives restarts. Either
 * way the gateway reaches it through one vertx-pg-client pool, whose waits are bounded so that a
 * database that is down or unreachable fails a request quickly instead of holding it.
 */
public final class Database {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  static final String EMBEDDED_DATABASE = "scenebank";
  static final int CONNECT_TIMEOUT_MS = 5_000;
  static final int POOL_WAIT_SECONDS = 10;

  private final Vertx vertx;
  private final Pool pool;
  private final LocalPostgres embedded;

  private Database(Vertx vertx, Pool pool, LocalPostgres embedded) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedded = embedded;
  }

  /** Connects (starting the embedded server if no URL is configured) and migrates the schema. */
  public static Future<Database> start(Vertx vertx, Config config) {
    PoolOptions poolOptions =
        new PoolOptions()
            .setMaxSize(config.dbPoolSize())
            .setName("scenebank")
            .setConnectionTimeout(POOL_WAIT_SECONDS)
            .setConnectionTimeoutUnit(TimeUnit.SECONDS);
    if (config.databaseUrl().isPresent()) {
      DatabaseUrl url = DatabaseUrl.parse(config.databaseUrl().get());
      List<PgConnectOptions> hosts = url.hosts().stream().map(Database::bounded).toList();
      LOG.atInfo()
          .addKeyValue("hosts", hosts.stream().map(h -> h.getHost() + ":" + h.getPort()).toList())
          .addKeyValue("database", hosts.get(0).getDatabase())
          .addKeyValue("read_write", url.readWrite())
          .log("using external PostgreSQL");
      Pool pool =
          url.readWrite()
              ? pool(vertx, new PrimaryLocator(vertx, hosts), poolOptions)
              : pool(vertx, hosts.get(0), poolOptions);
      return new Database(vertx, pool, null).migrate();
    }
    Path dir = config.dataDir();
    return vertx
        .executeBlocking(
            () -> {
              try {
                return LocalPostgres.start(dir);
              } catch (NoClassDefFoundError missing) {
                // the container image leaves the embedded PostgreSQL out
                throw new IllegalStateException(
                    "this build has no embedded PostgreSQL (the container image): set"
                        + " DATABASE_URL to the bank's PostgreSQL",
                    missing);
              }
            })
        .compose(
            pg -> {
              PgConnectOptions admin = embeddedOptions(pg).setDatabase("postgres");
              return createDatabaseIfMissing(vertx, admin)
                  .map(v -> new Database(vertx, pool(vertx, embeddedOptions(pg), poolOptions), pg))
                  .recover(e -> stopEmbedded(vertx, pg).compose(x -> Future.failedFuture(e)));
            })
        .compose(Database::migrate);
  }

  private Future<Database> migrate() {
    return Migrations.run(pool)
        .map(this)
        .recover(e -> close().compose(v -> Future.failedFuture(e)));
  }

  private static Pool pool(Vertx vertx, PgConnectOptions options, PoolOptions poolOptions) {
    return PgBuilder.pool()
        .with(poolOptions)
        .with(net())
        .connectingTo(options)
        .using(vertx)
        .build();
  }

  /** A pool whose every new connection goes where {@code target} says (the current primary). */
  private static Pool pool(
      Vertx vertx, Supplier<Future<SqlConnectOptions>> target, PoolOptions poolOptions) {
    return PgBuilder.pool().with(poolOptions).with(net()).connectingTo(target).using(vertx).build();
  }

  private static NetClientOptions net() {
    // a server that does not answer a new connection fails it fast; keep-alive notices a dead peer
    return new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setTcpKeepAlive(true);
  }

  private static PgConnectOptions embeddedOptions(LocalPostgres pg) {
    return bounded(new PgConnectOptions())
        .setHost("127.0.0.1")
        .setPort(pg.port())
        .setUser(LocalPostgres.SUPERUSER)
        .setPassword(pg.password())
        .setDatabase(EMBEDDED_DATABASE);
  }

  private static PgConnectOptions bounded(PgConnectOptions options) {
    // a money operation's writes are one long statement: cache it like the short ones
    options.setCachePreparedStatements(true).setPreparedStatementCacheSqlLimit(32_768);
    return options;
  }

  private static Future<Void> createDatabaseIfMissing(Vertx vertx, PgConnectOptions admin) {
    Pool adminPool = pool(vertx, admin, new PoolOptions().setMaxSize(1));
    return adminPool
        .query("SELECT 1 FROM pg_database WHERE datname = '" + EMBEDDED_DATABASE + "'")
        .execute()
        .compose(
            rows ->
                rows.size() > 0
                    ? Future.<Void>succeededFuture()
                    : adminPool
                        .query("CREATE DATABASE " + EMBEDDED_DATABASE + " ENCODING 'UTF8'")
                        .execute()
                        .<Void>mapEmpty())
        .eventually(adminPool::close);
  }

  private static Future<Void> stopEmbedded(Vertx vertx, LocalPostgres pg) {
    return vertx.executeBlocking(
        () -> {
          pg.close();
          return null;
        });
  }

  public Pool pool() {
    return pool;
  }

  /** True when the gateway runs its own embedded PostgreSQL. */
  public boolean isEmbedded() {
    return embedded != null;
  }

  /** Closes the pool, then stops the embedded server if there is one. */
  public Future<Void> close() {
    Future<Void> closed = pool.close();
    return embedded == null ? closed : closed.transform(ar -> stopEmbedded(vertx, embedded));
  }
}
