package io.scenebank.gateway.faults;

import static io.scenebank.gateway.testing.MoneyTraffic.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.GatewayProcess;
import io.scenebank.gateway.testing.MoneyTraffic;
import io.scenebank.gateway.testing.Operators;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.gateway.testing.WebhookReceiver;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.model.LedgerCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Crashes of the packaged gateway under money traffic (pay-after-care charges, payer-code payments,
 * bill payments, each retried with its idempotency key until it has a final answer): {@code kill
 * -9} of every PostgreSQL process and the gateway at a random moment, {@code kill -9} of the
 * gateway alone, and SIGTERM. After each, on the same data directory: every acknowledged operation
 * is there with its amount, nothing is there twice, the ledger check is balanced, and every event
 * committed reaches the partner's webhook receiver. Each test prints its counts.
 */
class CrashSafetyIT {

  private static final Map<String, String> SETTINGS =
      Map.of(
          "SCENEBANK_OPERATOR_JWK", TestGateway.OPERATOR_KEY.publicJwk().toJson(),
          "SCENEBANK_RATE_LIMIT_PER_SECOND", "100000",
          "SCENEBANK_RATE_LIMIT_BURST", "100000",
          "SCENEBANK_PAYMENT_VELOCITY_LIMIT", "1000000",
          "SCENEBANK_REQUEST_TIMEOUT_MS", "5000",
          "SCENEBANK_WEBHOOK_RETRY_SCHEDULE", "1,1,1,1,1,1,1,1,1,1",
          "SCENEBANK_WEBHOOK_POLL_MS", "200",
          "SCENEBANK_WEBHOOK_TIMEOUT_MS", "2000",
          "SCENEBANK_SHUTDOWN_GRACE_SECONDS", "10");

  @Test
  void killMinus9OfPostgresAndGateway_losesNothingAcknowledged_appliesNothingTwice()
      throws Exception {
    underLoad(
        "kill -9 of PostgreSQL and the gateway",
        gateway -> {
          int killed = gateway.killEverything();
          assertThat(killed).as("PostgreSQL processes killed").isGreaterThan(1);
          gateway.start();
          assertThat(lastStartOfPostgres(gateway))
              .as("PostgreSQL recovered from its write-ahead log")
              .contains("not properly shut down");
        });
  }

  @Test
  void killMinus9OfTheGatewayAlone_losesNothingAcknowledged_andReplacesItsOrphanedPostgres()
      throws Exception {
    underLoad(
        "kill -9 of the gateway",
        gateway -> {
          gateway.killGateway();
          assertThat(gateway.postgresProcesses()).as("its PostgreSQL outlives it").isNotEmpty();
          gateway.start();
          assertThat(gateway.logged("stopping an orphaned embedded PostgreSQL")).isTrue();
        });
  }

  @Test
  void sigtermUnderLoad_answersWhatItStarted_refusesNew_andStopsPostgresCleanly() throws Exception {
    MoneyTraffic.Report report =
        underLoad(
            "SIGTERM under load",
            gateway -> {
              assertThat(gateway.terminate()).as("exit status after SIGTERM").isEqualTo(143);
              assertThat(gateway.logged("embedded PostgreSQL stopped")).isTrue();
              assertThat(gateway.postgresProcesses()).isEmpty();
              assertThat(gateway.dataDir().resolve("postgres/postmaster.pid")).doesNotExist();
              gateway.start();
              assertThat(lastStartOfPostgres(gateway))
                  .as("the next start finds a cleanly shut down cluster")
                  .contains("database system was shut down at");
            });
    // while it drained, requests on open connections were answered 503 (then connections refused)
    assertThat(report.answers()).containsKey("503 service_unavailable");
  }

  /** What a test does to the gateway once the traffic runs, up to its restart. */
  private interface Fault {
    void inflict(GatewayProcess gateway) throws Exception;
  }

  /**
   * A packaged gateway under money traffic from 9 callers; at a random moment the fault; then the
   * traffic goes on until every operation has its final answer, and everything is checked.
   */
  private static MoneyTraffic.Report underLoad(String name, Fault fault) throws Exception {
    GatewayProcess gateway = GatewayProcess.start("faults", SETTINGS);
    try (WebhookReceiver receiver = new WebhookReceiver(gateway.url())) {
      MoneyTraffic traffic = MoneyTraffic.setUp(gateway.url(), receiver.url());
      traffic.start(3);
      traffic.awaitMoreAcknowledged(randomMoment(), Duration.ofSeconds(90));
      fault.inflict(gateway);
      MoneyTraffic.Report report = finishAndVerify(name, gateway, traffic, receiver);
      // around a fault an answer is final, or says "retry" in one of its forms; never an error
      assertThat(report.answers().keySet()).isSubsetOf(MoneyTraffic.RETRYABLE);
      return report;
    } finally {
      gateway.destroy();
    }
  }

  /** Between 20 and 80 more acknowledged operations: the crash comes at a random moment. */
  private static int randomMoment() {
    return ThreadLocalRandom.current().nextInt(20, 81);
  }

  private static MoneyTraffic.Report finishAndVerify(
      String fault, GatewayProcess gateway, MoneyTraffic traffic, WebhookReceiver receiver)
      throws Exception {
    traffic.awaitMoreAcknowledged(30, Duration.ofSeconds(120)); // serving again after the fault
    traffic.finish(Duration.ofSeconds(120));
    MoneyTraffic.Report report;
    List<String> events;
    try (Connection db = gateway.database()) {
      report = traffic.verify(db);
      events = traffic.eventIds(db);
    }
    System.out.println(fault + ": " + report);
    assertThat(report.lost()).as(report.toString()).isZero();
    assertThat(report.duplicated()).as(report.toString()).isZero();
    assertThat(report.present()).isEqualTo(report.acknowledged()).isEqualTo(report.issued());
    assertThat(report.inDoubtApplied()).as(report.toString()).isEqualTo(report.inDoubt());

    LedgerCheck check = operator(gateway).operator().checkLedger();
    assertThat(check.getBalanced()).as("ledger check %s", check).isTrue();
    assertThat(check.getDiscrepancies()).isEmpty();

    waitFor(
        () -> delivered(receiver).containsAll(events),
        Duration.ofSeconds(120),
        "every committed event to reach the receiver");
    System.out.println(
        fault + ": " + events.size() + " events committed, every one delivered at least once");
    return report;
  }

  private static Set<String> delivered(WebhookReceiver receiver) {
    return receiver.delivered.stream().map(w -> w.id()).collect(Collectors.toSet());
  }

  private static ScenebankClient operator(GatewayProcess gateway) throws Exception {
    try (Connection db = gateway.database()) {
      return Operators.client(db, gateway.url());
    }
  }

  /** PostgreSQL's account of its last start, from its own log. */
  private static String lastStartOfPostgres(GatewayProcess gateway) throws Exception {
    Path logs = gateway.dataDir().resolve("postgres/log");
    String all;
    try (Stream<Path> files = Files.list(logs)) {
      all =
          files
              .sorted()
              .map(
                  f -> {
                    try {
                      return Files.readString(f);
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .collect(Collectors.joining());
    }
    int last = all.lastIndexOf("database system was");
    return last < 0 ? "" : all.substring(last, all.indexOf('\n', last));
  }
}
