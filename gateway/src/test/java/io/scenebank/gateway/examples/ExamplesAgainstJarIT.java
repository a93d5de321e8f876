package io.scenebank.gateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.examples.CanteenPos;
import io.scenebank.examples.HospitalVisit;
import io.scenebank.examples.MerchantShop;
import io.scenebank.examples.SandboxQuickstart;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The examples against the gateway exactly as the README starts it: the packaged jar that {@code
 * bin/gateway} runs, in its default sandbox mode, on its own embedded PostgreSQL. Runs after {@code
 * package} (Maven's integration-test phase).
 */
class ExamplesAgainstJarIT {

  private static Process gateway;
  private static String baseUrl;

  @BeforeAll
  static void startTheJar() throws Exception {
    Path jar = Path.of(System.getProperty("scenebank.gateway.jar", "target/scenebank-gateway.jar"));
    assertThat(jar).as("the packaged gateway").exists();
    Path dataDir = TestGateway.newDataDir("jar");
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            jar.toString());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("SCENEBANK_") || k.equals("DATABASE_URL"));
    env.put("SCENEBANK_HTTP_PORT", "0");
    env.put("SCENEBANK_DATA_DIR", dataDir.toString());
    env.put("SCENEBANK_SHUTDOWN_GRACE_SECONDS", "5");
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
    gateway = builder.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (Exception ignored) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (baseUrl == null && System.nanoTime() < deadline) {
      for (String line : lines) {
        if (line.startsWith("{")
            && "gateway started".equals(new JsonObject(line).getString("msg"))) {
          baseUrl = "http://localhost:" + new JsonObject(line).getInteger("port");
        }
      }
      Thread.sleep(100);
    }
    assertThat(baseUrl).as("the gateway started: %s", lines).isNotNull();
  }

  @AfterAll
  static void stopTheJar() throws Exception {
    if (gateway != null) {
      gateway.toHandle().destroy();
      assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void theQuickstart_runs() {
    SandboxQuickstart.main(new String[] {baseUrl});
  }

  @Test
  void theHospitalVisit_settles() {
    HospitalVisit.Result visit = HospitalVisit.run(baseUrl);
    assertThat(visit.settlementTotal())
        .isEqualTo(visit.pooledFund() + visit.personalAccount() + visit.selfPay());
    assertThat(visit.debtOutstanding()).isEqualTo(visit.selfPay());
  }

  @Test
  void theCanteenPos_paysLunch() {
    CanteenPos.Result lunch = CanteenPos.run(baseUrl);
    assertThat(lunch.paymentStatus()).isEqualTo("SUCCEEDED");
    assertThat(lunch.subsidy() + lunch.ownFunds()).isEqualTo(lunch.amount());
  }

  @Test
  void theMerchantShop_reconciles() {
    MerchantShop.Result shop = MerchantShop.run(baseUrl);
    assertThat(shop.webhookTypes()).contains("payment.succeeded", "refund.succeeded");
    assertThat(shop.refusedWebhooks()).isZero();
    assertThat(shop.statementTotal()).isEqualTo(shop.paid() - shop.refunded());
  }
}
