package io.scenebank.gateway.db;

import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.config.Config;
import io.scenebank.gateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With a primary and a standby in DATABASE_URL, the gateway writes only where writes are taken, and
 * follows the primary when the old one is gone and the other takes writes (a promotion).
 */
class PrimaryFailoverTest {

  @Test
  void newConnectionsGoToTheHostThatTakesWrites_andFollowAFailover() throws Exception {
    Vertx vertx = Vertx.vertx();
    LocalPostgres a = LocalPostgres.start(TestGateway.newDataDir("failover-a"));
    LocalPostgres b = LocalPostgres.start(TestGateway.newDataDir("failover-b"));
    Database db = null;
    try {
      // one role and password on both, one database on both; a plays the standby (read-only)
      for (LocalPostgres pg : new LocalPostgres[] {a, b}) {
        sql(vertx, pg, "postgres", "CREATE DATABASE scenebank");
      }
      sql(vertx, b, "postgres", "ALTER ROLE postgres PASSWORD '" + a.password() + "'");
      sql(vertx, a, "postgres", "ALTER SYSTEM SET default_transaction_read_only = on");
      sql(vertx, a, "postgres", "SELECT pg_reload_conf()");

      String url =
          "postgresql://postgres:"
              + a.password()
              + "@127.0.0.1:"
              + a.port()
              + ",127.0.0.1:"
              + b.port()
              + "/scenebank?target_session_attrs=read-write";
      Config config =
          Config.load(
              Map.of(
                  "DATABASE_URL",
                  url,
                  "SCENEBANK_MASTER_KEY",
                  Base64.getEncoder().encodeToString(new byte[32])));
      db = await(Database.start(vertx, config));
      assertThat(port(db)).as("the schema went to the host that takes writes").isEqualTo(b.port());

      // failover: the primary is gone, the standby is promoted (here: takes writes again)
      b.close();
      sql(vertx, a, "postgres", "ALTER SYSTEM RESET default_transaction_read_only");
      sql(vertx, a, "postgres", "SELECT pg_reload_conf()");

      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      Integer now = null;
      while (Instant.now().isBefore(deadline)) {
        try {
          now = port(db);
          if (now == a.port()) {
            break;
          }
        } catch (Exception stillFailingOver) {
          // connections to the old primary break first; the next ones find the new one
        }
        Thread.sleep(20); // between two looks at the condition
      }
      assertThat(now).as("the pool follows the promoted host").isEqualTo(a.port());
    } finally {
      if (db != null) {
        await(db.close());
      }
      a.close();
      b.close();
      await(vertx.close());
    }
  }

  private static int port(Database db) {
    return await(db.pool().query("SELECT inet_server_port() AS p").execute())
        .iterator()
        .next()
        .getInteger("p");
  }

  private static void sql(Vertx vertx, LocalPostgres pg, String database, String statement) {
    PgConnectOptions options =
        new PgConnectOptions()
            .setHost("127.0.0.1")
            .setPort(pg.port())
            .setUser(LocalPostgres.SUPERUSER)
            .setPassword(pg.password())
            .setDatabase(database);
    PgConnection connection = await(PgConnection.connect(vertx, options));
    try {
      await(connection.query(statement).execute());
    } finally {
      await(connection.close());
    }
  }
}
