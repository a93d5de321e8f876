package io.scenebank.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.testing.Hospital;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.LogCapture;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.gateway.testing.WebhookReceiver;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What an operations team watches: the management port's {@code /metrics} after real calls, and the
 * W3C trace a request continues into its log lines and its webhook deliveries.
 */
class ObservabilityTest {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);

  private final Gateway gateway = TestGateway.shared();
  private final Http management = new Http(gateway.managementPort());

  /**
   * Samples of the scrape whose name is {@code name} and whose labels include all of {@code
   * labels}.
   */
  private double value(String scrape, String name, Map<String, String> labels) {
    double sum = 0;
    Matcher m = SAMPLE.matcher(scrape);
    while (m.find()) {
      if (!m.group(1).equals(name)) {
        continue;
      }
      String set = m.group(2) == null ? "" : m.group(2);
      boolean all =
          labels.entrySet().stream()
              .allMatch(e -> set.contains(e.getKey() + "=\"" + e.getValue() + "\""));
      if (all) {
        sum += Double.parseDouble(m.group(3));
      }
    }
    return sum;
  }

  /** The signature with one character of its value changed (still well-formed). */
  private static String tampered(String signature) {
    int at = signature.indexOf(':') + 5;
    char c = signature.charAt(at);
    return signature.substring(0, at) + (c == 'A' ? 'B' : 'A') + signature.substring(at + 1);
  }

  private String scrape() {
    Http.Response response = management.get("/metrics");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("text/plain; version=0.0.4");
    return response.body();
  }

  @Test
  void metrics_moveWithRealCalls() {
    TestApp app = TestApp.create(SignatureAlgorithm.ED25519, "care", "sandbox");
    Hospital hospital = new Hospital(app);
    JsonObject line = hospital.line(Hospital.GOOD, 500_000L);
    JsonObject encounter = hospital.encounter(line.getString("id"));
    String before = scrape();

    hospital.held(encounter.getString("id"), 1_000);
    String path = "/v1/care/encounters/" + encounter.getString("id") + "/charges";
    String key = UUID.randomUUID().toString();
    String body = Hospital.chargeBody(700).encode();
    assertThat(app.request("POST", path).idempotencyKey(key).body(body).send().status())
        .isEqualTo(201);
    Http.Response replay = app.request("POST", path).idempotencyKey(key).body(body).send();
    assertThat(replay.header("idempotent-replayed")).isEqualTo("true");
    Http.Response forged =
        app.request("GET", "/v1/care/credit-lines/" + line.getString("id"))
            .afterSigning(h -> h.put("Signature", tampered(h.get("Signature"))))
            .send();
    assertThat(forged.status()).isEqualTo(401);
    String after = scrape();

    Map<String, String> charges = Map.of("operation", "createCharge", "status", "201");
    assertThat(value(after, "scenebank_http_requests_seconds_count", charges))
        .isEqualTo(value(before, "scenebank_http_requests_seconds_count", charges) + 3);
    assertThat(value(after, "scenebank_http_requests_seconds_bucket", charges))
        .as("a latency histogram")
        .isGreaterThan(value(before, "scenebank_http_requests_seconds_bucket", charges));
    Map<String, String> refused = Map.of("status", "401", "code", "signature_invalid");
    assertThat(value(after, "scenebank_problems_total", refused))
        .isEqualTo(value(before, "scenebank_problems_total", refused) + 1);
    assertThat(value(after, "scenebank_idempotent_replays_total", Map.of()))
        .isEqualTo(value(before, "scenebank_idempotent_replays_total", Map.of()) + 1);
    Map<String, String> holds = Map.of("kind", "care.hold");
    assertThat(value(after, "scenebank_ledger_transfers_total", holds))
        .as("two charges held (the replay posts nothing)")
        .isEqualTo(value(before, "scenebank_ledger_transfers_total", holds) + 2);
    // Vert.x's own: the database pool's use and wait time, the HTTP server
    Map<String, String> pool = Map.of("pool_type", "sql", "pool_name", "scenebank");
    assertThat(value(after, "vertx_pool_usage_seconds_count", pool))
        .isGreaterThan(value(before, "vertx_pool_usage_seconds_count", pool));
    assertThat(after).contains("vertx_pool_queue_time_seconds_count");
    assertThat(after).contains("vertx_http_server_requests_total");
    assertThat(after).contains("scenebank_webhook_backlog ");
    assertThat(after).contains("scenebank_webhook_backlog_oldest_seconds ");
  }

  @Test
  void metrics_areOnTheManagementPortOnly() {
    Http api = new Http(gateway.port());
    assertThat(api.get("/metrics").status()).isEqualTo(404);
    assertThat(management.get("/v1/client/keys").status()).isEqualTo(404);
    assertThat(management.post("/metrics", "").status()).isEqualTo(405);
  }

  @Test
  void aRequestsTrace_goesOnInItsLogLines_andItsWebhookDeliveries() {
    TestApp app = TestApp.create(SignatureAlgorithm.ED25519, "care", "events", "sandbox");
    Hospital hospital = new Hospital(app);
    JsonObject line = hospital.line(Hospital.GOOD, 500_000L);
    JsonObject encounter = hospital.encounter(line.getString("id"));
    String trace = UUID.randomUUID().toString().replace("-", "");
    String parent = "00-" + trace + "-00f067aa0ba902b7-01";
    Map<String, String> delivered = Map.of("outcome", "delivered");
    double deliveredBefore = value(scrape(), "scenebank_webhook_attempts_total", delivered);
    try (WebhookReceiver receiver = new WebhookReceiver(gateway.issuer());
        LogCapture log = new LogCapture()) {
      app.request("POST", "/v1/webhook-endpoints")
          .body(
              new JsonObject()
                  .put("url", receiver.url())
                  .put("event_types", new JsonArray().add("*"))
                  .encode())
          .send();
      Http.Response charged =
          app.request("POST", "/v1/care/encounters/" + encounter.getString("id") + "/charges")
              .header("traceparent", parent)
              .body(Hospital.chargeBody(1_000).encode())
              .send();
      assertThat(charged.status()).isEqualTo(201);

      // the access log line of the request carries the caller's trace
      log.await(
          l ->
              l.contains("\"trace_id\":\"" + trace + "\"")
                  && l.contains("\"operation\":\"createCharge\""));
      // the charge's event is delivered in the same trace, as a span of its own
      receiver.await(
          r -> traceparents(r).stream().anyMatch(v -> v.startsWith("00-" + trace + "-")),
          "a delivery in the caller's trace");
      String inTrace =
          traceparents(receiver).stream()
              .filter(v -> v.startsWith("00-" + trace + "-"))
              .findFirst()
              .orElseThrow();
      assertThat(inTrace).matches("00-" + trace + "-[0-9a-f]{16}-0[01]");
      assertThat(inTrace).doesNotContain("00f067aa0ba902b7");
      // and the delivery is counted once its outcome is recorded (just after the receiver has it)
      io.scenebank.gateway.testing.MoneyTraffic.waitFor(
          () -> value(scrape(), "scenebank_webhook_attempts_total", delivered) > deliveredBefore,
          java.time.Duration.ofSeconds(30),
          "the delivery counted");
    }
  }

  /** The {@code traceparent} of every request the receiver got. */
  private static List<String> traceparents(WebhookReceiver receiver) {
    return receiver.requests.stream()
        .flatMap(q -> q.headers().getOrDefault("traceparent", List.of()).stream())
        .toList();
  }

  @Test
  void anInvalidTraceparent_startsANewTrace() {
    TestApp app = TestApp.create(SignatureAlgorithm.ED25519, "care");
    try (LogCapture log = new LogCapture()) {
      String requestId = "trace-check-" + UUID.randomUUID();
      app.request("GET", "/v1/care/credit-lines?limit=1")
          .header("traceparent", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")
          .header("X-Request-Id", requestId)
          .send();
      String line = log.await(l -> l.contains(requestId) && l.contains("\"msg\":\"request\""));
      String trace = new JsonObject(line).getString("trace_id");
      assertThat(trace).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    }
  }
}
