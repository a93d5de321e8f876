package io.scenebank.gateway.faults;

import static io.scenebank.gateway.testing.MoneyTraffic.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.MoneyTraffic;
import io.scenebank.gateway.testing.Operators;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.gateway.testing.WebhookReceiver;
import io.scenebank.sdk.model.LedgerCheck;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The cluster of {@code bin/cluster} — a PostgreSQL primary with a synchronous standby, two gateway
 * instances, HAProxy in front — under money traffic through HAProxy: one gateway is killed with
 * {@code kill -9}, later the primary is stopped hard and the standby promoted. Every answer is
 * final or "retry"; afterwards every acknowledged operation is there exactly once, on the promoted
 * standby, the ledger balances and every committed event reaches the partner. It prints what was
 * answered in each phase and how long the service took to recover.
 */
class FailoverIT {

  @Test
  void killingAGatewayAndFailingOverThePrimary_losesNothingAcknowledged() throws Exception {
    Path dir = TestGateway.newDataDir("cluster");
    int front = freePort();
    int pg = freePort();
    String url = "http://localhost:" + front;
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SCENEBANK_CLUSTER_DIR", dir.toAbsolutePath().toString());
    env.put("SCENEBANK_CLUSTER_PORT", Integer.toString(front));
    env.put("SCENEBANK_CLUSTER_PG_PORT", Integer.toString(pg));
    env.put("SCENEBANK_PUBLIC_URL", url);
    env.put("SCENEBANK_OPERATOR_JWK", TestGateway.OPERATOR_KEY.publicJwk().toJson());
    env.put("SCENEBANK_RATE_LIMIT_PER_SECOND", "100000");
    env.put("SCENEBANK_RATE_LIMIT_BURST", "100000");
    env.put("SCENEBANK_PAYMENT_VELOCITY_LIMIT", "1000000");
    env.put("SCENEBANK_REQUEST_TIMEOUT_MS", "5000");
    env.put("SCENEBANK_WEBHOOK_RETRY_SCHEDULE", "1,1,1,1,1,1,1,1,1,1");
    env.put("SCENEBANK_WEBHOOK_POLL_MS", "200");
    env.put("JAVA_OPTS", "-Xmx256m");
    try {
      cluster(env, "start", "2");
      try (WebhookReceiver receiver = new WebhookReceiver(url)) {
        MoneyTraffic traffic = MoneyTraffic.setUp(url, receiver.url());
        traffic.start(3);
        Map<String, Map<String, Integer>> phases = new LinkedHashMap<>();
        Map<String, Long> recovery = new LinkedHashMap<>();

        traffic.awaitMoreAcknowledged(40, Duration.ofSeconds(90));
        Map<String, Integer> mark = traffic.answers();
        phases.put("both gateways, primary and standby", mark);

        long killed = System.nanoTime();
        cluster(env, "kill-gateway", "1");
        traffic.awaitMoreAcknowledged(1, Duration.ofSeconds(60));
        recovery.put("kill -9 of gateway 1", millisSince(killed));
        traffic.awaitMoreAcknowledged(40, Duration.ofSeconds(90));
        phases.put("one gateway left", since(mark, mark = traffic.answers()));

        long failed = System.nanoTime();
        cluster(env, "fail-primary");
        traffic.awaitMoreAcknowledged(1, Duration.ofSeconds(120));
        recovery.put("primary stopped, standby promoted", millisSince(failed));
        traffic.awaitMoreAcknowledged(40, Duration.ofSeconds(120));
        phases.put("after failover", since(mark, mark = traffic.answers()));

        traffic.finish(Duration.ofSeconds(120));
        phases.put("finishing", since(mark, traffic.answers()));
        phases.forEach(
            (phase, answers) -> System.out.println("failover: " + phase + ": " + answers));
        recovery.forEach(
            (fault, ms) ->
                System.out.println("failover: " + fault + ": served again after " + ms + " ms"));

        MoneyTraffic.Report report;
        List<String> events;
        try (Connection db = primary(dir, pg)) {
          report = traffic.verify(db);
          events = traffic.eventIds(db);
          LedgerCheck check = Operators.client(db, url).operator().checkLedger();
          assertThat(check.getBalanced()).as("ledger check %s", check).isTrue();
        }
        System.out.println("failover: " + report);
        assertThat(report.lost()).as(report.toString()).isZero();
        assertThat(report.duplicated()).as(report.toString()).isZero();
        assertThat(report.present()).isEqualTo(report.acknowledged()).isEqualTo(report.issued());
        assertThat(report.inDoubtApplied()).as(report.toString()).isEqualTo(report.inDoubt());
        assertThat(report.answers().keySet()).isSubsetOf(MoneyTraffic.RETRYABLE);
        waitFor(
            () ->
                receiver.delivered.stream()
                    .map(w -> w.id())
                    .collect(Collectors.toSet())
                    .containsAll(events),
            Duration.ofSeconds(120),
            "every committed event to reach the receiver");
      }
    } finally {
      cluster(env, "stop");
    }
  }

  /** The database that takes writes now, as a JDBC client finds it (libpq's failover rule). */
  private static Connection primary(Path dir, int pg) throws Exception {
    String password = Files.readString(dir.resolve("scenebank.pw")).trim();
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:"
            + pg
            + ",127.0.0.1:"
            + (pg + 1)
            + "/scenebank?targetServerType=primary",
        "scenebank",
        password);
  }

  private static Map<String, Integer> since(Map<String, Integer> before, Map<String, Integer> now) {
    Map<String, Integer> diff = new TreeMap<>();
    now.forEach(
        (k, v) -> {
          int d = v - before.getOrDefault(k, 0);
          if (d > 0) {
            diff.put(k, d);
          }
        });
    return diff;
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Runs {@code bin/cluster} with these arguments; fails with its output if it fails. */
  private static void cluster(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of("..", "bin", "cluster").toAbsolutePath().normalize().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("bin/cluster %s", args[0]).isTrue();
    System.out.print(output);
    assertThat(process.exitValue())
        .as("bin/cluster %s: %s", String.join(" ", args), output)
        .isZero();
  }
}
