package io.scenebank.gateway.db;

import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.testing.TestGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL as the gateway runs it, read back from the running server: durable
 * settings, data checksums, loopback only, password (SCRAM) logins only; and a data directory made
 * by an older version (trusting every local connection, fsync off) brought under the same rules.
 */
class EmbeddedPostgresTest {

  @Test
  void embeddedServer_isDurable_checksummed_andClosedToAnyoneWithoutThePassword() throws Exception {
    Path dataDir = TestGateway.newDataDir("durable");
    Gateway gateway = TestGateway.start(dataDir, Map.of());
    try {
      try (Connection c = connect(dataDir, password(dataDir));
          Statement s = c.createStatement()) {
        assertThat(show(s, "fsync")).isEqualTo("on");
        assertThat(show(s, "synchronous_commit")).isEqualTo("on");
        assertThat(show(s, "full_page_writes")).isEqualTo("on");
        assertThat(show(s, "data_checksums")).isEqualTo("on");
        assertThat(show(s, "listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(show(s, "unix_socket_directories")).isEmpty();
        assertThat(show(s, "password_encryption")).isEqualTo("scram-sha-256");
        assertThat(hbaRules(s)).containsExactly("host all all 127.0.0.1 scram-sha-256");
      }
      assertThat(Files.getPosixFilePermissions(dataDir.resolve("postgres.password")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThatThrownBy(() -> connect(dataDir, null).close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password");
      assertThatThrownBy(() -> connect(dataDir, "not-the-password").close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
    } finally {
      await(gateway.stop());
    }
    // stopped cleanly: the server removed its pid file
    assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
  }

  @Test
  void dataDirectoryOfAnOlderVersion_keepsItsData_underTheNewSettings() throws Exception {
    Path dataDir = TestGateway.newDataDir("older");
    // what earlier versions left: a cluster that trusts local connections, fsync off, no password
    try (EmbeddedPostgres older =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir.resolve("postgres"))
            .setCleanDataDirectory(false)
            .start()) {
      try (Connection c = older.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE scenebank");
      }
      try (Connection c = older.getDatabase("postgres", "scenebank").getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept (note text)");
        s.execute("INSERT INTO kept VALUES ('written before the upgrade')");
      }
    }

    Gateway gateway = TestGateway.start(dataDir, Map.of());
    try {
      assertThat(
              await(gateway.database().pool().query("SELECT note FROM kept").execute())
                  .iterator()
                  .next()
                  .getString(0))
          .isEqualTo("written before the upgrade");
      try (Connection c = connect(dataDir, password(dataDir));
          Statement s = c.createStatement()) {
        assertThat(show(s, "fsync")).isEqualTo("on");
        assertThat(show(s, "synchronous_commit")).isEqualTo("on");
        assertThat(hbaRules(s)).containsExactly("host all all 127.0.0.1 scram-sha-256");
      }
      // trust is gone
      assertThatThrownBy(() -> connect(dataDir, null).close()).isInstanceOf(SQLException.class);
    } finally {
      await(gateway.stop());
    }
  }

  @Test
  void secondGateway_onTheSameDataDirectory_isRefused() {
    Path dataDir = TestGateway.newDataDir("shared-dir");
    Gateway first = TestGateway.start(dataDir, Map.of());
    try {
      assertThatThrownBy(() -> TestGateway.start(dataDir, Map.of()))
          .hasStackTraceContaining("another gateway uses the data directory");
      // the first one was not disturbed
      assertThat(await(first.database().pool().query("SELECT 1").execute()).size()).isEqualTo(1);
    } finally {
      await(first.stop());
    }
  }

  static String password(Path dataDir) throws Exception {
    return Files.readString(dataDir.resolve("postgres.password")).strip();
  }

  /** A JDBC connection to the running embedded server (its port is in postmaster.pid). */
  static Connection connect(Path dataDir, String password) throws Exception {
    List<String> pid = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    if (password != null) {
      props.setProperty("password", password);
    }
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + pid.get(3).trim() + "/scenebank", props);
  }

  private static String show(Statement s, String setting) throws SQLException {
    try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static List<String> hbaRules(Statement s) throws SQLException {
    List<String> rules = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT type, array_to_string(database, ','), array_to_string(user_name, ','),"
                + " address, auth_method, error FROM pg_hba_file_rules ORDER BY rule_number")) {
      while (rs.next()) {
        assertThat(rs.getString(6)).as("pg_hba.conf error").isNull();
        rules.add(
            String.join(
                " ",
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5)));
      }
    }
    return rules;
  }
}
