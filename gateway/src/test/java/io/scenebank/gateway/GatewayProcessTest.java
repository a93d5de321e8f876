package io.scenebank.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The gateway as an operator runs it: a separate JVM configured by environment variables, JSON logs
 * on stdout, stopped by SIGTERM.
 */
class GatewayProcessTest {

  @Test
  void main_configuredByEnvironment_logsJsonWithRequestIds_andStopsCleanlyOnSigterm()
      throws Exception {
    Path dataDir = TestGateway.newDataDir("process");
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dlogback.configurationFile=logback.xml",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("SCENEBANK_") || k.equals("DATABASE_URL"));
    env.put("SCENEBANK_HTTP_HOST", "127.0.0.1");
    env.put("SCENEBANK_HTTP_PORT", "0");
    env.put("SCENEBANK_DATA_DIR", dataDir.toString());
    env.put("SCENEBANK_SHUTDOWN_GRACE_SECONDS", "5");
    builder.redirectErrorStream(true);
    Process process = builder.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (Exception ignored) {
                // the process ended
              }
            });
    reader.start();
    try {
      JsonObject started = waitFor(lines, l -> "gateway started".equals(l.getString("msg")));
      int port = started.getInteger("port");

      Http.Response live = new Http(port).get("/health/live", "X-Request-Id", "ops-check-42");
      assertThat(live.status()).isEqualTo(200);
      JsonObject access = waitFor(lines, l -> "ops-check-42".equals(l.getString("request_id")));
      assertThat(access.getString("path")).isEqualTo("/health/live");
      assertThat(access.getInteger("status")).isEqualTo(200);

      // SIGTERM, as an orchestrator sends it (Process.destroy would also close our end of stdout)
      assertThat(process.toHandle().destroy()).isTrue();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      reader.join(5_000);
      assertThat(process.exitValue()).isEqualTo(143);
      assertThat(lines).anyMatch(l -> l.contains("\"msg\":\"gateway stopped\""));
      // every line the process wrote is one JSON object
      assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(new JsonObject(l)).isNotNull());
    } finally {
      process.destroyForcibly();
    }
  }

  private static JsonObject waitFor(List<String> lines, Predicate<JsonObject> match)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      for (String line : lines) {
        if (line.startsWith("{")) {
          JsonObject json = new JsonObject(line);
          if (match.test(json)) {
            return json;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no such log line; the process wrote:\n" + String.join("\n", lines));
  }
}
