package io.scenebank.gateway.faults;

import static io.scenebank.gateway.testing.MoneyTraffic.waitFor;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.db.LocalPostgres;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.MoneyTraffic;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.gateway.testing.WebhookReceiver;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The gateway on {@code DATABASE_URL} while its PostgreSQL goes away under load and comes back:
 * {@code /v1} answers {@code 503} problems with {@code Retry-After} in time (no hang, no 500), the
 * readiness probe says why, and once the database is back the same gateway serves again — nothing
 * acknowledged lost, nothing applied twice, webhook deliveries resumed.
 */
class DatabaseOutageTest {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  @Test
  void databaseDown_answers503WithRetryAfter_andServesAgainWithoutRestart_losingNothing()
      throws Exception {
    Path databaseDir = TestGateway.newDataDir("outage-db");
    LocalPostgres database = LocalPostgres.start(databaseDir);
    int port = database.port();
    String password = database.password();
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    Gateway gateway =
        TestGateway.start(
            TestGateway.newDataDir("outage-gw"),
            Map.of(
                "DATABASE_URL",
                "postgresql://postgres:" + password + "@127.0.0.1:" + port + "/postgres",
                "SCENEBANK_MASTER_KEY",
                Base64.getEncoder().encodeToString(masterKey),
                "SCENEBANK_OPERATOR_JWK",
                TestGateway.OPERATOR_KEY.publicJwk().toJson(),
                "SCENEBANK_REQUEST_TIMEOUT_MS",
                Long.toString(REQUEST_TIMEOUT.toMillis()),
                "SCENEBANK_RATE_LIMIT_PER_SECOND",
                "100000",
                "SCENEBANK_RATE_LIMIT_BURST",
                "100000",
                "SCENEBANK_PAYMENT_VELOCITY_LIMIT",
                "1000000",
                "SCENEBANK_WEBHOOK_RETRY_SCHEDULE",
                "1,1,1,1,1,1,1,1,1,1",
                "SCENEBANK_WEBHOOK_POLL_MS",
                "100"));
    Http http = new Http(gateway.port());
    try (WebhookReceiver receiver = new WebhookReceiver(gateway.issuer())) {
      MoneyTraffic traffic = MoneyTraffic.setUp(gateway.issuer(), receiver.url());
      TestApp probe = TestApp.signUp(gateway, SignatureAlgorithm.ED25519);
      probe.token(); // its token is issued while the database is up
      traffic.start(2);
      traffic.awaitMoreAcknowledged(30, Duration.ofSeconds(60));

      database.close(); // a fast shutdown under load: sessions end, then connections are refused
      waitFor(
          () -> http.get("/health/ready").status() == 503,
          Duration.ofSeconds(30),
          "the readiness probe to report the database down");
      JsonObject readiness = http.get("/health/ready").json();
      assertThat(readiness.getJsonObject("checks").getString("database")).isEqualTo("DOWN");

      for (int i = 0; i < 10; i++) {
        long start = System.nanoTime();
        Http.Response answer =
            i % 2 == 0
                ? probe.request("GET", "/v1/client/keys").send()
                : probe
                    .request("POST", "/v1/webhook-endpoints")
                    .body(
                        new JsonObject()
                            .put("url", receiver.url())
                            .put("event_types", List.of("*"))
                            .encode())
                    .send();
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(answer.status()).as(answer.body()).isEqualTo(503);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.json().getString("code")).isEqualTo("service_unavailable");
        assertThat(answer.header("Retry-After")).isNotBlank();
        assertThat(answer.header("Signature")).as("signed like every /v1 answer").isNotBlank();
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at io.");
        assertThat(millis).isLessThan(REQUEST_TIMEOUT.toMillis());
      }

      // the token endpoint cannot look the app up: "try again", not "unknown client"
      Http.Response token =
          probe.tokenResponse(probe.assertion(probe.key().signer(), Map.of()), null);
      assertThat(token.status()).as(token.body()).isEqualTo(503);
      assertThat(token.header("Retry-After")).isNotBlank();

      // introspection cannot tell whether the token was revoked: "try again", never "inactive"
      Http.Response introspection =
          http.post(
              "/oauth2/introspect",
              "token="
                  + probe.token()
                  + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type"
                  + "%3Ajwt-bearer&client_assertion="
                  + probe.assertion(probe.key().signer(), Map.of()),
              "Content-Type",
              "application/x-www-form-urlencoded");
      assertThat(introspection.status()).as(introspection.body()).isEqualTo(503);
      assertThat(introspection.body()).doesNotContain("\"active\"");

      database = LocalPostgres.start(databaseDir, port); // back, on the same address
      waitFor(
          () -> http.get("/health/ready").status() == 200,
          Duration.ofSeconds(60),
          "the gateway to be ready again");
      traffic.awaitMoreAcknowledged(30, Duration.ofSeconds(60)); // serving, without a restart
      traffic.finish(Duration.ofSeconds(120));

      MoneyTraffic.Report report;
      List<String> events;
      try (Connection db =
          DriverManager.getConnection(
              "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password)) {
        report = traffic.verify(db);
        events = traffic.eventIds(db);
      }
      System.out.println("database outage: " + report);
      assertThat(report.lost()).as(report.toString()).isZero();
      assertThat(report.duplicated()).as(report.toString()).isZero();
      assertThat(report.present()).isEqualTo(report.acknowledged()).isGreaterThan(60);
      assertThat(report.inDoubtApplied()).isEqualTo(report.inDoubt());
      assertThat(report.answers())
          .containsKey("503 service_unavailable")
          .doesNotContainKey("500 internal_error")
          .allSatisfy(
              (answer, count) ->
                  assertThat(answer)
                      .isIn(
                          "2xx",
                          "503 service_unavailable",
                          "503 request_timeout",
                          "409 idempotency_in_flight"));

      Http.Response check =
          TestApp.operatorOf(gateway).request("GET", "/v1/operator/ledger/check").send();
      assertThat(check.status()).as(check.body()).isEqualTo(200);
      assertThat(check.json().getBoolean("balanced")).as(check.body()).isTrue();

      // deliveries resumed: every event of the apps reached the receiver
      waitFor(
          () -> delivered(receiver).containsAll(events),
          Duration.ofSeconds(60),
          "every event to be delivered");
    } finally {
      await(gateway.stop());
      database.close();
    }
  }

  private static Set<String> delivered(WebhookReceiver receiver) {
    return receiver.delivered.stream().map(w -> w.id()).collect(Collectors.toSet());
  }
}
