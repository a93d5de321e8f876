package io.scenebank.gateway.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * One embedded PostgreSQL that several gateways share, as the instances of one deployment do: its
 * settings name the database, one master key and one public URL.
 */
public final class FleetDatabase implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final Map<String, String> settings;

  private FleetDatabase(EmbeddedPostgres postgres, Map<String, String> settings) {
    this.postgres = postgres;
    this.settings = Map.copyOf(settings);
  }

  public static FleetDatabase start(String name, String publicUrl)
      throws IOException, SQLException {
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(TestGateway.newDataDir(name + "-pg"))
            .setCleanDataDirectory(true)
            .start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE fleet");
    }
    byte[] master = new byte[32];
    new SecureRandom().nextBytes(master);
    Map<String, String> settings = new HashMap<>();
    settings.put(
        "DATABASE_URL", "postgresql://postgres@localhost:" + postgres.getPort() + "/fleet");
    settings.put("SCENEBANK_MASTER_KEY", Base64.getEncoder().encodeToString(master));
    settings.put("SCENEBANK_PUBLIC_URL", publicUrl);
    return new FleetDatabase(postgres, settings);
  }

  /** The shared settings, in a map the caller may add to. */
  public Map<String, String> settings() {
    return new HashMap<>(settings);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
