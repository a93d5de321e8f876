package io.scenebank.gateway;

import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.db.Migrations;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayLifecycleTest {

  @Test
  void restart_onTheSameDataDirectory_keepsTheDataAndDoesNotMigrateAgain() {
    Path dir = TestGateway.newDataDir("restart");
    Gateway first = TestGateway.start(dir, Map.of());
    OffsetDateTime migratedAt = migratedAt(first);
    await(first.stop());

    Gateway second = TestGateway.start(dir, Map.of());
    try {
      assertThat(new Http(second.port()).get("/health/ready").status()).isEqualTo(200);
      RowSet<Row> instances =
          await(
              second
                  .database()
                  .pool()
                  .query("SELECT stopped_at FROM gateway_instances ORDER BY started_at")
                  .execute());
      List<OffsetDateTime> stoppedAt = new ArrayList<>();
      instances.forEach(r -> stoppedAt.add(r.getOffsetDateTime("stopped_at")));
      // the first run's row survived the restart, and records its clean stop
      assertThat(stoppedAt).hasSize(2);
      assertThat(stoppedAt.get(0)).isNotNull();
      assertThat(stoppedAt.get(1)).isNull();
      assertThat(migratedAt(second)).isEqualTo(migratedAt);
      assertThat(dir.resolve("postgres/PG_VERSION")).exists();
    } finally {
      await(second.stop());
    }
  }

  @Test
  void stop_whileARequestIsInFlight_letsItFinishAndRefusesNewConnections() throws Exception {
    Gateway gateway =
        TestGateway.start(TestGateway.newDataDir("drain"), Map.of("SCENEBANK_HTTP_INSTANCES", "1"));
    int port = gateway.port();
    String body = "{\"slow\":\"client\"}";
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /health/live HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.length()
                  + "\r\nX-Request-Id: in-flight-1\r\n\r\n"
                  + body.substring(0, 4))
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(300);

      Future<Void> stopping = gateway.stop();
      Thread.sleep(500);
      assertThat(stopping.isComplete()).as("stop waits for the request in flight").isFalse();
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .isInstanceOf(ConnectException.class);

      out.write(body.substring(4).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
      StringBuilder rest = new StringBuilder();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        rest.append(line).append('\n');
      }
      assertThat(rest.toString()).containsIgnoringCase("x-request-id: in-flight-1");
      assertThat(rest.toString()).contains("{\"status\":\"UP\"}");

      await(stopping);
    }
  }

  @Test
  void migrations_whenAnAppliedScriptWasChanged_refuseToRun() {
    Gateway gateway = TestGateway.shared();
    var pool = gateway.database().pool();
    String original =
        await(pool.query("SELECT checksum FROM schema_migrations WHERE version = 1").execute())
            .iterator()
            .next()
            .getString(0);
    await(
        pool.query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1").execute());
    try {
      assertThatThrownBy(() -> await(Migrations.run(pool)))
          .hasMessageContaining("V1__gateway_instances was changed after it was applied");
    } finally {
      await(
          pool.preparedQuery("UPDATE schema_migrations SET checksum = $1 WHERE version = 1")
              .execute(io.vertx.sqlclient.Tuple.of(original)));
    }
    assertThat(await(Migrations.run(pool))).isEmpty();
  }

  private static OffsetDateTime migratedAt(Gateway gateway) {
    return await(
            gateway
                .database()
                .pool()
                .query("SELECT applied_at FROM schema_migrations WHERE version = 1")
                .execute())
        .iterator()
        .next()
        .getOffsetDateTime(0);
  }
}
