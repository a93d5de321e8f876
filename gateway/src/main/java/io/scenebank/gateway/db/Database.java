package io.scenebank.gateway.db;

import io.scenebank.gateway.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's PostgreSQL: the server named by {@code DATABASE_URL}, or else an embedded
 * PostgreSQL the gateway starts itself, whose data lives in {@code SCENEBANK_DATA_DIR/postgres} and
 * survives restarts. Either way the gateway reaches it through one vertx-pg-client pool.
 */
public final class Database {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  static final String EMBEDDED_DATABASE = "scenebank";

  private final Vertx vertx;
  private final Pool pool;
  private final EmbeddedPostgres embedded;

  private Database(Vertx vertx, Pool pool, EmbeddedPostgres embedded) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedded = embedded;
  }

  /** Connects (starting the embedded server if no URL is configured) and migrates the schema. */
  public static Future<Database> start(Vertx vertx, Config config) {
    PoolOptions poolOptions =
        new PoolOptions().setMaxSize(config.dbPoolSize()).setName("scenebank");
    if (config.databaseUrl().isPresent()) {
      PgConnectOptions options =
          PgConnectOptions.fromUri(config.databaseUrl().get()).setCachePreparedStatements(true);
      LOG.atInfo()
          .addKeyValue("host", options.getHost())
          .addKeyValue("database", options.getDatabase())
          .log("using external PostgreSQL");
      Database db = new Database(vertx, pool(vertx, options, poolOptions), null);
      return db.migrate();
    }
    Path dir = config.dataDir().toAbsolutePath().normalize().resolve("postgres");
    return vertx
        .executeBlocking(() -> startEmbedded(dir))
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
    return PgBuilder.pool().with(poolOptions).connectingTo(options).using(vertx).build();
  }

  private static EmbeddedPostgres startEmbedded(Path dir) {
    LOG.atInfo().addKeyValue("data_dir", dir.toString()).log("starting embedded PostgreSQL");
    try {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              // the gateway stops it after the HTTP server has drained, not in a JVM hook of its
              // own
              .setRegisterShutdownHook(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      LOG.atInfo().addKeyValue("port", pg.getPort()).log("embedded PostgreSQL is up");
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dir, e);
    }
  }

  private static PgConnectOptions embeddedOptions(EmbeddedPostgres pg) {
    return new PgConnectOptions()
        .setHost("localhost")
        .setPort(pg.getPort())
        .setUser("postgres")
        .setDatabase(EMBEDDED_DATABASE)
        .setCachePreparedStatements(true);
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

  private static Future<Void> stopEmbedded(Vertx vertx, EmbeddedPostgres pg) {
    return vertx.executeBlocking(
        () -> {
          pg.close();
          LOG.info("embedded PostgreSQL stopped");
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
