package io.scenebank.gateway;

import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.LogCapture;
import io.scenebank.gateway.testing.TestGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With DATABASE_URL the gateway uses that server and starts no PostgreSQL of its own. */
class ExternalDatabaseTest {

  @Test
  void start_withDatabaseUrl_migratesAndUsesThatServer() throws Exception {
    // a separate PostgreSQL server playing the bank's production database
    try (EmbeddedPostgres external =
        EmbeddedPostgres.builder()
            .setDataDirectory(TestGateway.newDataDir("external-pg"))
            .setCleanDataDirectory(true)
            .start()) {
      try (Connection c = external.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE bank");
      }
      Path gatewayDir = TestGateway.newDataDir("external-gw");
      String url = "postgresql://postgres:s3cret-pw@localhost:" + external.getPort() + "/bank";

      try (LogCapture logs = new LogCapture()) {
        Gateway gateway =
            TestGateway.start(
                gatewayDir,
                Map.of(
                    "DATABASE_URL",
                    url,
                    "SCENEBANK_MASTER_KEY",
                    java.util.Base64.getEncoder().encodeToString(new byte[32])));
        try {
          assertThat(gateway.database().isEmbedded()).isFalse();
          Http.Response ready = new Http(gateway.port()).get("/health/ready");
          assertThat(ready.status()).isEqualTo(200);
          assertThat(ready.json().getJsonObject("checks").getString("database")).isEqualTo("UP");
        } finally {
          await(gateway.stop());
        }
        assertThat(gatewayDir.resolve("postgres")).doesNotExist();
        assertThat(logs.lines()).isNotEmpty().noneMatch(l -> l.contains("s3cret-pw"));
      }

      try (Connection c = external.getDatabase("postgres", "bank").getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT (SELECT count(*) FROM schema_migrations),"
                      + " (SELECT count(*) FROM gateway_instances WHERE stopped_at IS NOT NULL)")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
        assertThat(rs.getInt(2)).isEqualTo(1);
      }
    }
  }
}
