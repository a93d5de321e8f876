package io.scenebank.gateway.events;

import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.testing.FleetDatabase;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.gateway.testing.WebhookReceiver;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Deliveries survive a restart in the middle of their retry schedule, and two instances on one
 * database never send the same attempt twice.
 */
class DeliveryDurabilityTest {

  private static String endpoint(TestApp app, String url) {
    return app.request("POST", "/v1/webhook-endpoints")
        .body(
            new JsonObject().put("url", url).put("event_types", new JsonArray().add("*")).encode())
        .send()
        .json()
        .getString("id");
  }

  private static String ping(TestApp app, String endpointId) {
    return app.request("POST", "/v1/sandbox/webhook-endpoints/" + endpointId + "/test")
        .body("{}")
        .send()
        .json()
        .getString("event_id");
  }

  private static List<String> attempts(Gateway gateway, String eventId) {
    List<String> attempts = new ArrayList<>();
    for (Row row :
        await(
            gateway
                .database()
                .pool()
                .preparedQuery(
                    "SELECT attempt, status FROM webhook_attempts WHERE event_id = $1 ORDER BY attempt")
                .execute(io.vertx.sqlclient.Tuple.of(eventId)))) {
      attempts.add(row.getInteger(0) + ":" + row.getString(1));
    }
    return attempts;
  }

  @Test
  void restartInTheMiddleOfARetrySchedule_losesAndRepeatsNothing() throws Exception {
    Path dir = TestGateway.newDataDir("webhook-restart");
    Map<String, String> settings =
        Map.of("SCENEBANK_WEBHOOK_RETRY_SCHEDULE", "4,4,4", "SCENEBANK_WEBHOOK_POLL_MS", "100");
    Gateway first = TestGateway.start(dir, settings);
    try (WebhookReceiver receiver = new WebhookReceiver(first.issuer())) {
      receiver.answer("500");
      TestApp app = TestApp.signUp(first, SignatureAlgorithm.ED25519);
      String eventId = ping(app, endpoint(app, receiver.url()));
      receiver.await(r -> r.requests.size() == 1, "the failed first attempt");
      await(first.stop());

      // the next attempt is due in about four seconds; the new process must send it, once
      Gateway second =
          TestGateway.start(
              dir,
              Map.of(
                  "SCENEBANK_WEBHOOK_RETRY_SCHEDULE", "4,4,4",
                  "SCENEBANK_WEBHOOK_POLL_MS", "100",
                  "SCENEBANK_HTTP_PORT", Integer.toString(first.port())));
      try {
        receiver.await(r -> r.delivered.size() == 1, "the retry after the restart");
        assertThat(receiver.delivered.get(0).id()).isEqualTo(eventId);
        // the receiver has the delivery before the gateway records its answer: wait for the record
        List<String> attempts = attempts(second, eventId);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (attempts.stream().anyMatch(a -> a.endsWith(":PENDING"))
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
          attempts = attempts(second, eventId);
        }
        assertThat(attempts).containsExactly("1:FAILED", "2:SUCCEEDED");
        assertThat(receiver.requests).hasSize(2);
      } finally {
        await(second.stop());
      }
    }
  }

  @Test
  void twoInstancesOnOneDatabase_sendEachAttemptOnce() throws Exception {
    try (FleetDatabase postgres =
        FleetDatabase.start("webhook-fleet", "https://api.scenebank.test")) {
      Map<String, String> shared = postgres.settings();
      shared.put("SCENEBANK_WEBHOOK_POLL_MS", "20");
      Gateway a = TestGateway.start(TestGateway.newDataDir("webhook-fleet-a"), shared);
      Gateway b = TestGateway.start(TestGateway.newDataDir("webhook-fleet-b"), shared);
      try (WebhookReceiver receiver = new WebhookReceiver("http://127.0.0.1:" + a.port())) {
        TestApp onA = TestApp.signUp(a, SignatureAlgorithm.ED25519);
        String endpointId = endpoint(onA, receiver.url());
        Set<String> events = new HashSet<>();
        for (int i = 0; i < 40; i++) {
          events.add(ping(onA, endpointId));
        }

        receiver.await(r -> r.requests.size() >= 40, "forty deliveries");
        Thread.sleep(500); // room for a duplicate to show up, if there were one
        List<String> ids = new ArrayList<>();
        receiver.requests.forEach(r -> ids.add(r.headers().get("webhook-id").get(0)));
        assertThat(ids).hasSize(40).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(events);
        long attempts =
            await(
                    a.database()
                        .pool()
                        .preparedQuery(
                            "SELECT count(*) FROM webhook_attempts WHERE endpoint_id = $1")
                        .execute(io.vertx.sqlclient.Tuple.of(endpointId)))
                .iterator()
                .next()
                .getLong(0);
        assertThat(attempts).isEqualTo(40);
      } finally {
        await(a.stop());
        await(b.stop());
      }
    }
  }
}
