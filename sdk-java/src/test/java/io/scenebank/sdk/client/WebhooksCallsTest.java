package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.DeclinedException;
import io.scenebank.sdk.RequestOptions;
import io.scenebank.sdk.Webhooks;
import io.scenebank.sdk.model.CreateWebhookEndpointRequest;
import io.scenebank.sdk.model.DeletedWebhookEndpoint;
import io.scenebank.sdk.model.Event;
import io.scenebank.sdk.model.EventDelivery;
import io.scenebank.sdk.model.EventDeliveryList;
import io.scenebank.sdk.model.EventList;
import io.scenebank.sdk.model.EventType;
import io.scenebank.sdk.model.EventTypeSubscription;
import io.scenebank.sdk.model.UpdateWebhookEndpointRequest;
import io.scenebank.sdk.model.WebhookEndpoint;
import io.scenebank.sdk.model.WebhookEndpointList;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each events and webhook-endpoint call sends the contract's request and reads its model. */
class WebhooksCallsTest extends TypedCallsHarness {

  static final String ENDPOINT_ID = "we_7Kx2Nq8TmR4vP9bLw3Zd";
  static final String EVENT_ID = "evt_5Wk9Qx3TmN7vR2pLb8Zs";
  static final String ENDPOINT =
      "{\"id\":\"we_7Kx2Nq8TmR4vP9bLw3Zd\",\"object\":\"webhook_endpoint\",\"livemode\":false,"
          + "\"url\":\"https://his.hospital.example/scenebank/webhooks\","
          + "\"event_types\":[\"consent.approved\",\"encounter.settled\"],"
          + "\"description\":\"HIS 生产回调\",\"status\":\"ENABLED\",\"api_version\":\"2026-11-01\","
          + "\"metadata\":{\"env\":\"prod\"},"
          + "\"created_at\":\"2026-11-02T09:00:00+08:00\",\"updated_at\":\"2026-11-02T09:00:00+08:00\"}";
  static final String EVENT =
      "{\"id\":\"evt_5Wk9Qx3TmN7vR2pLb8Zs\",\"object\":\"event\",\"livemode\":false,"
          + "\"type\":\"consent.approved\",\"api_version\":\"2026-11-01\","
          + "\"data\":{\"object\":{\"id\":\"cns_7Hq2LmX9pQ4sT8vWk3Rd\",\"object\":\"consent\","
          + "\"status\":\"APPROVED\"}},\"created_at\":\"2026-11-23T10:17:02+08:00\"}";
  static final String DELIVERY =
      "{\"id\":\"dlv_2Kq9Tx7NmR3vW8pLb4Zs\",\"object\":\"event_delivery\",\"livemode\":false,"
          + "\"event_id\":\"evt_5Wk9Qx3TmN7vR2pLb8Zs\",\"endpoint_id\":\"we_7Kx2Nq8TmR4vP9bLw3Zd\","
          + "\"attempt\":3,\"status\":\"PENDING\",\"created_at\":\"2026-11-23T10:15:30+08:00\"}";

  @Test
  void createWebhookEndpoint_postsTheUrlAndTypes_andReadsTheEndpoint() {
    answer(201, ENDPOINT);

    WebhookEndpoint endpoint =
        client
            .webhooks()
            .createWebhookEndpoint(
                new CreateWebhookEndpointRequest()
                    .url(URI.create("https://his.hospital.example/scenebank/webhooks"))
                    .eventTypes(
                        List.of(
                            EventTypeSubscription.CONSENT_APPROVED,
                            EventTypeSubscription.ENCOUNTER_SETTLED))
                    .description("HIS 生产回调"),
                RequestOptions.idempotencyKey("his-endpoint-1"));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/webhook-endpoints");
    assertThat(withoutEmptyContainers(postedJson(call)))
        .isEqualTo(
            json(
                "{\"url\":\"https://his.hospital.example/scenebank/webhooks\","
                    + "\"event_types\":[\"consent.approved\",\"encounter.settled\"],"
                    + "\"description\":\"HIS 生产回调\"}"));
    assertThat(call.header("idempotency-key")).isEqualTo("his-endpoint-1");
    assertThat(endpoint.getId()).isEqualTo(ENDPOINT_ID);
    assertThat(endpoint.getStatus()).isEqualTo(WebhookEndpoint.StatusEnum.ENABLED);
    assertThat(endpoint.getEventTypes())
        .containsExactly(
            EventTypeSubscription.CONSENT_APPROVED, EventTypeSubscription.ENCOUNTER_SETTLED);
  }

  @Test
  void createWebhookEndpoint_atAPrivateAddress_isDeclinedUrlNotAllowed() {
    problem(422, "url_not_allowed");

    assertThatThrownBy(
            () ->
                client
                    .webhooks()
                    .createWebhookEndpoint(
                        new CreateWebhookEndpointRequest()
                            .url(URI.create("https://10.0.0.1/hook"))
                            .addEventTypesItem(EventTypeSubscription.CONSENT_APPROVED)))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("url_not_allowed"));
  }

  @Test
  void listAndGetWebhookEndpoints_useTheirPaths() {
    answer(200, "{\"object\":\"list\",\"data\":[" + ENDPOINT + "],\"has_more\":false}");
    answer(200, "{\"object\":\"list\",\"data\":[],\"has_more\":false}");
    answer(200, ENDPOINT);

    WebhookEndpointList page = client.webhooks().listWebhookEndpoints(10, null);
    client.webhooks().listWebhookEndpoints(null, "w2");
    WebhookEndpoint endpoint = client.webhooks().getWebhookEndpoint(ENDPOINT_ID);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/webhook-endpoints?limit=10",
            "GET /v1/webhook-endpoints?cursor=w2",
            "GET /v1/webhook-endpoints/" + ENDPOINT_ID);
    assertThat(page.getData()).extracting(WebhookEndpoint::getId).containsExactly(ENDPOINT_ID);
    assertThat(endpoint.getMetadata()).containsEntry("env", "prod");
  }

  @Test
  void updateWebhookEndpoint_patchesOnlyTheFieldsSet_signedWithADigestButNoIdempotencyKey() {
    answer(200, ENDPOINT.replace("\"ENABLED\"", "\"DISABLED\""));

    // the generated model starts event_types and metadata empty: they must not be sent
    WebhookEndpoint endpoint =
        client
            .webhooks()
            .updateWebhookEndpoint(
                ENDPOINT_ID,
                new UpdateWebhookEndpointRequest()
                    .status(UpdateWebhookEndpointRequest.StatusEnum.DISABLED));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.method).isEqualTo("PATCH");
    assertThat(call.target()).isEqualTo("/v1/webhook-endpoints/" + ENDPOINT_ID);
    assertThat(json(call.body)).isEqualTo(json("{\"status\":\"DISABLED\"}"));
    assertThat(call.header("content-type")).isEqualTo("application/json");
    assertThat(call.header("content-digest")).startsWith("sha-256=:");
    assertThat(call.header("idempotency-key")).isNull();
    assertThat(endpoint.getStatus()).isEqualTo(WebhookEndpoint.StatusEnum.DISABLED);
  }

  @Test
  void updateWebhookEndpoint_sendsEventTypesAndMetadataWhenGiven() {
    answer(200, ENDPOINT);

    client
        .webhooks()
        .updateWebhookEndpoint(
            ENDPOINT_ID,
            new UpdateWebhookEndpointRequest()
                .eventTypes(List.of(EventTypeSubscription.fromValue("*")))
                .metadata(Map.of("env", "prod")));

    assertThat(json(onlyCall().body))
        .isEqualTo(json("{\"event_types\":[\"*\"],\"metadata\":{\"env\":\"prod\"}}"));
  }

  @Test
  void deleteWebhookEndpoint_sendsADeleteWithoutBody_andReadsTheTombstone() {
    answer(
        200,
        "{\"id\":\"we_7Kx2Nq8TmR4vP9bLw3Zd\",\"object\":\"webhook_endpoint\",\"deleted\":true}");

    DeletedWebhookEndpoint deleted = client.webhooks().deleteWebhookEndpoint(ENDPOINT_ID);

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.toString()).isEqualTo("DELETE /v1/webhook-endpoints/" + ENDPOINT_ID);
    assertThat(call.body).isNull();
    assertThat(call.header("idempotency-key")).isNull();
    assertThat(deleted.getDeleted()).isTrue();
    assertThat(deleted.getId()).isEqualTo(ENDPOINT_ID);
  }

  @Test
  void listEvents_sendsTypeAndTimeFilters_andGetEventReadsThePayload() {
    answer(
        200,
        "{\"object\":\"list\",\"data\":[" + EVENT + "],\"has_more\":true,\"next_cursor\":\"e2\"}");
    answer(200, EVENT);

    EventList page =
        client
            .webhooks()
            .listEvents(
                new Webhooks.EventQuery()
                    .limit(100)
                    .type(EventType.CONSENT_APPROVED)
                    .createdGte(OffsetDateTime.of(2026, 11, 23, 10, 0, 0, 0, ZoneOffset.ofHours(8)))
                    .createdLt(
                        OffsetDateTime.of(2026, 11, 23, 2, 30, 0, 500_000_000, ZoneOffset.UTC)));
    Event event = client.webhooks().getEvent(EVENT_ID);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/events?type=consent.approved"
                + "&created_gte=2026-11-23T10%3A00%3A00%2B08%3A00"
                + "&created_lt=2026-11-23T02%3A30%3A00.5Z&limit=100",
            "GET /v1/events/" + EVENT_ID);
    assertThat(page.getNextCursor()).isEqualTo("e2");
    assertThat(page.getData().get(0).getType()).isEqualTo(EventType.CONSENT_APPROVED);
    assertThat(event.getData().getObject())
        .isInstanceOfSatisfying(
            Map.class, object -> assertThat(object.get("status")).isEqualTo("APPROVED"));
  }

  @Test
  void listEventDeliveries_filtersByEndpoint_andRedeliverEventPostsTheEndpoint() {
    answer(200, "{\"object\":\"list\",\"data\":[" + DELIVERY + "],\"has_more\":false}");
    answer(202, DELIVERY);

    EventDeliveryList attempts =
        client.webhooks().listEventDeliveries(EVENT_ID, ENDPOINT_ID, 20, null);
    EventDelivery scheduled =
        client
            .webhooks()
            .redeliverEvent(EVENT_ID, ENDPOINT_ID, RequestOptions.idempotencyKey("r1"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/events/" + EVENT_ID + "/deliveries?endpoint_id=" + ENDPOINT_ID + "&limit=20",
            "POST /v1/events/" + EVENT_ID + "/redeliveries");
    assertThat(postedJson(http.calls.get(1)))
        .isEqualTo(json("{\"endpoint_id\":\"" + ENDPOINT_ID + "\"}"));
    assertThat(http.calls.get(1).header("idempotency-key")).isEqualTo("r1");
    assertThat(attempts.getData()).hasSize(1);
    assertThat(scheduled.getAttempt()).isEqualTo(3);
  }

  @Test
  void redeliverEvent_toADisabledEndpoint_isAConflict() {
    problem(409, "endpoint_disabled");

    assertThatThrownBy(() -> client.webhooks().redeliverEvent(EVENT_ID, ENDPOINT_ID))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("endpoint_disabled"));
    assertThat(http.calls).hasSize(1);
  }
}
