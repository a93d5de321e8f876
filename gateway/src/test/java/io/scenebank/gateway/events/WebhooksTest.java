package io.scenebank.gateway.events;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.ContractAssert.assertResponseMatches;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Concurrently;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.gateway.testing.WebhookReceiver;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.scenebank.sdk.webhooks.VerifiedWebhook;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end on the shared gateway (retry schedule 1 s, 1 s, 1 s): endpoints, signed
 * deliveries verified by the SDK's receiver, retries, Retry-After, 410, disabling, redelivery.
 */
class WebhooksTest {

  TestApp app;
  WebhookReceiver receiver;

  @BeforeEach
  void setUp() {
    app = TestApp.create(SignatureAlgorithm.ED25519, "events", "sandbox");
    receiver = new WebhookReceiver(TestGateway.shared().issuer());
  }

  @AfterEach
  void tearDown() {
    receiver.close();
  }

  private JsonObject endpoint(String url, String... types) {
    Http.Response created =
        app.request("POST", "/v1/webhook-endpoints")
            .body(
                new JsonObject()
                    .put("url", url)
                    .put("event_types", new JsonArray(List.of((Object[]) types)))
                    .put("description", "HIS receiver")
                    .encode())
            .send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return assertResponseMatches("createWebhookEndpoint", created);
  }

  private JsonObject ping(String endpointId) {
    Http.Response sent =
        app.request("POST", "/v1/sandbox/webhook-endpoints/" + endpointId + "/test")
            .body("{}")
            .send();
    assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    return assertResponseMatches("sendTestWebhook", sent);
  }

  private JsonArray attempts(String eventId) {
    Http.Response response = app.request("GET", "/v1/events/" + eventId + "/deliveries").send();
    return assertResponseMatches("listEventDeliveries", response).getJsonArray("data");
  }

  private JsonObject endpointNow(String id) {
    return assertResponseMatches(
        "getWebhookEndpoint", app.request("GET", "/v1/webhook-endpoints/" + id).send());
  }

  @Test
  void testPing_isDeliveredSigned_andVerifiedByTheSdk() {
    JsonObject endpoint = endpoint(receiver.url(), "test.ping");

    JsonObject attempt = ping(endpoint.getString("id"));

    receiver.await(r -> r.delivered.size() == 1, "one verified delivery");
    VerifiedWebhook webhook = receiver.delivered.get(0);
    assertThat(webhook.id()).isEqualTo(attempt.getString("event_id"));
    assertThat(webhook.event().getType().getValue()).isEqualTo("test.ping");
    assertThat(webhook.duplicate()).isFalse();
    JsonObject event =
        assertResponseMatches("getEvent", app.request("GET", "/v1/events/" + webhook.id()).send());
    assertThat(event.getJsonObject("data").getJsonObject("object").getString("endpoint_id"))
        .isEqualTo(endpoint.getString("id"));
    JsonArray attempts = attempts(webhook.id());
    assertThat(attempts).hasSize(1);
    assertThat(attempts.getJsonObject(0).getString("status")).isEqualTo("SUCCEEDED");
    assertThat(attempts.getJsonObject(0).getInteger("response_status")).isEqualTo(200);
  }

  @Test
  void failures_areRetriedOnScheduleWithTheSameId_untilSuccess() {
    JsonObject endpoint = endpoint(receiver.url(), "*");
    receiver.answer("500", "503");

    String eventId = ping(endpoint.getString("id")).getString("event_id");

    receiver.await(r -> r.delivered.size() == 1, "the third attempt");
    assertThat(receiver.requests).hasSize(3);
    assertThat(receiver.requests.stream().map(r -> r.headers().get("webhook-id").get(0)).distinct())
        .containsExactly(eventId);
    // the same bytes every time: the body is stored once and sent as stored
    assertThat(receiver.requests.stream().map(r -> new String(r.body())).distinct()).hasSize(1);
    List<String> statuses =
        attempts(eventId).stream()
            .map(
                a ->
                    ((JsonObject) a).getInteger("attempt")
                        + ":"
                        + ((JsonObject) a).getString("status"))
            .sorted()
            .collect(Collectors.toList());
    assertThat(statuses).containsExactly("1:FAILED", "2:FAILED", "3:SUCCEEDED");
  }

  @Test
  void tooManyRequests_isRetriedNoSoonerThanRetryAfter() {
    JsonObject endpoint = endpoint(receiver.url(), "*");
    receiver.answer("429;3");

    String eventId = ping(endpoint.getString("id")).getString("event_id");

    receiver.await(r -> r.delivered.size() == 1, "the retry");
    // the receiver has the retry before the gateway records how it went: wait for both records
    io.scenebank.gateway.testing.MoneyTraffic.waitFor(
        () -> {
          JsonArray recorded = attempts(eventId);
          return recorded.size() == 2
              && recorded.stream()
                  .allMatch(a -> ((JsonObject) a).getString("attempted_at") != null);
        },
        java.time.Duration.ofSeconds(30),
        "both attempts recorded");
    JsonArray attempts = attempts(eventId);
    OffsetDateTime first = null;
    OffsetDateTime second = null;
    for (Object a : attempts) {
      JsonObject attempt = (JsonObject) a;
      OffsetDateTime at = OffsetDateTime.parse(attempt.getString("attempted_at"));
      if (attempt.getInteger("attempt") == 1) {
        first = at;
      } else {
        second = at;
      }
    }
    assertThat(java.time.Duration.between(first, second).getSeconds()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void gone_disablesTheEndpointAtOnce_andTellsTheOwner() {
    WebhookReceiver other = new WebhookReceiver(TestGateway.shared().issuer());
    try {
      JsonObject watcher = endpoint(other.url(), "webhook_endpoint.disabled");
      JsonObject gone = endpoint(receiver.url(), "*");
      receiver.answer("410");

      String eventId = ping(gone.getString("id")).getString("event_id");

      other.await(r -> r.delivered.size() == 1, "the disabled event");
      VerifiedWebhook notice = other.delivered.get(0);
      assertThat(notice.event().getType().getValue()).isEqualTo("webhook_endpoint.disabled");
      JsonObject disabled = endpointNow(gone.getString("id"));
      assertThat(disabled.getString("status")).isEqualTo("DISABLED");
      assertThat(disabled.getString("disabled_reason")).isEqualTo("GONE");
      assertThat(receiver.requests).hasSize(1);
      assertThat(attempts(eventId)).hasSize(1);
      assertThat(watcher.getString("status")).isEqualTo("ENABLED");
    } finally {
      other.close();
    }
  }

  @Test
  void failingAWholeSchedule_disablesTheEndpoint() {
    JsonObject endpoint = endpoint(receiver.url(), "*");
    receiver.answer("500", "500", "500", "500");

    ping(endpoint.getString("id"));

    receiver.await(r -> r.requests.size() == 4, "four attempts");
    long deadline = System.currentTimeMillis() + 10_000;
    while (!"DISABLED".equals(endpointNow(endpoint.getString("id")).getString("status"))
        && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    JsonObject disabled = endpointNow(endpoint.getString("id"));
    assertThat(disabled.getString("status")).isEqualTo("DISABLED");
    assertThat(disabled.getString("disabled_reason")).isEqualTo("CONSECUTIVE_FAILURES");
    assertProblem(
        app.request("POST", "/v1/sandbox/webhook-endpoints/" + endpoint.getString("id") + "/test")
            .body("{}")
            .send(),
        409,
        "endpoint_disabled");
    // the partner fixes the receiver and enables the endpoint again
    Http.Response enabled =
        app.request("PATCH", "/v1/webhook-endpoints/" + endpoint.getString("id"))
            .body(new JsonObject().put("status", "ENABLED").encode())
            .send();
    assertThat(assertResponseMatches("updateWebhookEndpoint", enabled).getString("status"))
        .isEqualTo("ENABLED");
  }

  @Test
  void redelivery_resendsTheSameEvent_whichTheSdkFlagsAsADuplicate() {
    JsonObject endpoint = endpoint(receiver.url(), "*");
    String eventId = ping(endpoint.getString("id")).getString("event_id");
    receiver.await(r -> r.delivered.size() == 1, "the first delivery");

    Http.Response again =
        app.request("POST", "/v1/events/" + eventId + "/redeliveries")
            .body(new JsonObject().put("endpoint_id", endpoint.getString("id")).encode())
            .send();
    JsonObject attempt = assertResponseMatches("redeliverEvent", again);
    assertThat(attempt.getInteger("attempt")).isEqualTo(2);

    receiver.await(r -> r.requests.size() == 2, "the redelivery");
    // the SDK answered 200 without passing the repeat on
    assertThat(receiver.delivered).hasSize(1);
    receiver.await(
        r ->
            attempts(eventId).stream()
                .allMatch(a -> "SUCCEEDED".equals(((JsonObject) a).getString("status"))),
        "both attempts recorded");
  }

  @Test
  void concurrentRedeliveries_eachGetTheirOwnAttemptNumber() {
    JsonObject endpoint = endpoint(receiver.url(), "*");
    String eventId = ping(endpoint.getString("id")).getString("event_id");
    String body = new JsonObject().put("endpoint_id", endpoint.getString("id")).encode();

    List<Http.Response> answers =
        Concurrently.run(
            8,
            i -> app.request("POST", "/v1/events/" + eventId + "/redeliveries").body(body).send());

    assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.body()).isEqualTo(202));
    assertThat(answers.stream().map(a -> a.json().getInteger("attempt")))
        .containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void endpointsAndEvents_belongToTheirApp() {
    JsonObject endpoint = endpoint(receiver.url(), "*");
    String eventId = ping(endpoint.getString("id")).getString("event_id");
    TestApp other = TestApp.create(SignatureAlgorithm.ED25519, "events", "sandbox");

    assertProblem(
        other.request("GET", "/v1/webhook-endpoints/" + endpoint.getString("id")).send(),
        404,
        "not_found");
    assertProblem(other.request("GET", "/v1/events/" + eventId).send(), 404, "not_found");
    assertProblem(
        other.request("DELETE", "/v1/webhook-endpoints/" + endpoint.getString("id")).send(),
        404,
        "not_found");
    JsonObject list =
        assertResponseMatches("listEvents", other.request("GET", "/v1/events").send());
    assertThat(list.getJsonArray("data")).isEmpty();
  }

  @Test
  void events_areListedNewestFirst_filteredByType_withCursors() {
    JsonObject endpoint = endpoint(receiver.url(), "*");
    for (int i = 0; i < 3; i++) {
      ping(endpoint.getString("id"));
    }
    JsonObject page =
        assertResponseMatches(
            "listEvents", app.request("GET", "/v1/events?type=test.ping&limit=2").send());
    assertThat(page.getJsonArray("data")).hasSize(2);
    assertThat(page.getBoolean("has_more")).isTrue();
    JsonObject next =
        app.request(
                "GET", "/v1/events?type=test.ping&limit=2&cursor=" + page.getString("next_cursor"))
            .send()
            .json();
    assertThat(next.getJsonArray("data")).hasSize(1);
    assertThat(next.getBoolean("has_more")).isFalse();
    JsonObject none = app.request("GET", "/v1/events?type=consent.approved").send().json();
    assertThat(none.getJsonArray("data")).isEmpty();
    String tomorrow =
        java.net.URLEncoder.encode(
            OffsetDateTime.now().plusDays(1).toString(), java.nio.charset.StandardCharsets.UTF_8);
    JsonObject future =
        app.request("GET", "/v1/events?type=test.ping&created_gte=" + tomorrow).send().json();
    assertThat(future.getJsonArray("data")).isEmpty();
    JsonObject past =
        app.request("GET", "/v1/events?type=test.ping&created_lt=" + tomorrow).send().json();
    assertThat(past.getJsonArray("data")).hasSize(3);
  }

  @Test
  void deletedEndpoint_isGoneFromTheListAndGetsNothingMore() {
    JsonObject endpoint = endpoint(receiver.url(), "*");
    Http.Response deleted =
        app.request("DELETE", "/v1/webhook-endpoints/" + endpoint.getString("id")).send();
    assertThat(assertResponseMatches("deleteWebhookEndpoint", deleted).getBoolean("deleted"))
        .isTrue();
    JsonObject list =
        assertResponseMatches(
            "listWebhookEndpoints", app.request("GET", "/v1/webhook-endpoints").send());
    assertThat(list.getJsonArray("data")).isEmpty();
    assertProblem(
        app.request("POST", "/v1/sandbox/webhook-endpoints/" + endpoint.getString("id") + "/test")
            .body("{}")
            .send(),
        404,
        "not_found");
  }
}
