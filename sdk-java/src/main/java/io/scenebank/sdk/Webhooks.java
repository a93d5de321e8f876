package io.scenebank.sdk;

import static io.scenebank.sdk.Paths.copy;
import static io.scenebank.sdk.Paths.iso;
import static io.scenebank.sdk.Paths.unset;

import io.scenebank.sdk.internal.client.Transport;
import io.scenebank.sdk.model.CreateWebhookEndpointRequest;
import io.scenebank.sdk.model.DeletedWebhookEndpoint;
import io.scenebank.sdk.model.Event;
import io.scenebank.sdk.model.EventDelivery;
import io.scenebank.sdk.model.EventDeliveryList;
import io.scenebank.sdk.model.EventList;
import io.scenebank.sdk.model.EventType;
import io.scenebank.sdk.model.RedeliverEventRequest;
import io.scenebank.sdk.model.UpdateWebhookEndpointRequest;
import io.scenebank.sdk.model.WebhookEndpoint;
import io.scenebank.sdk.model.WebhookEndpointList;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Events and webhook endpoints ({@code /v1/events}, {@code /v1/webhook-endpoints}, scope {@code
 * events}). To receive and verify deliveries, see {@link
 * io.scenebank.sdk.webhooks.WebhookVerifier}. Every POST has an overload taking {@link
 * RequestOptions}.
 */
public final class Webhooks {

  private final Transport transport;

  Webhooks(Transport transport) {
    this.transport = transport;
  }

  /**
   * Registers a URL to receive events; DeclinedException url_not_allowed or endpoint_limit_reached
   * (16 per app).
   */
  public WebhookEndpoint createWebhookEndpoint(CreateWebhookEndpointRequest request) {
    return createWebhookEndpoint(request, RequestOptions.none());
  }

  /**
   * {@link #createWebhookEndpoint} without blocking: the future completes with its result, or with
   * its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<WebhookEndpoint> createWebhookEndpointAsync(
      CreateWebhookEndpointRequest request) {
    return createWebhookEndpointAsync(request, RequestOptions.none());
  }

  /** {@link #createWebhookEndpoint(CreateWebhookEndpointRequest)} with your idempotency key. */
  public WebhookEndpoint createWebhookEndpoint(
      CreateWebhookEndpointRequest request, RequestOptions options) {
    return Transport.join(createWebhookEndpointAsync(request, options));
  }

  /**
   * {@link #createWebhookEndpoint} without blocking: the future completes with its result, or with
   * its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<WebhookEndpoint> createWebhookEndpointAsync(
      CreateWebhookEndpointRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST", "/v1/webhook-endpoints", request, WebhookEndpoint.class, options);
  }

  /** A page of the app's webhook endpoints, newest first; null limit or cursor: the default. */
  public WebhookEndpointList listWebhookEndpoints(Integer limit, String cursor) {
    return Transport.join(listWebhookEndpointsAsync(limit, cursor));
  }

  /**
   * {@link #listWebhookEndpoints} without blocking: the future completes with its result, or with
   * its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<WebhookEndpointList> listWebhookEndpointsAsync(
      Integer limit, String cursor) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("limit", limit);
    query.put("cursor", cursor);
    return getAsync("/v1/webhook-endpoints" + Paths.query(query), WebhookEndpointList.class);
  }

  /**
   * Every item of {@link #listWebhookEndpoints} (limit: the page size, null for the default),
   * across its pages, each page fetched only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<WebhookEndpoint> listAllWebhookEndpoints(Integer limit) {
    return AutoPager.of(
        cursor -> listWebhookEndpoints(limit, cursor),
        WebhookEndpointList::getData,
        WebhookEndpointList::getNextCursor);
  }

  /** A webhook endpoint, with why it was disabled if it was; NotFoundException. */
  public WebhookEndpoint getWebhookEndpoint(String endpointId) {
    return Transport.join(getWebhookEndpointAsync(endpointId));
  }

  /**
   * {@link #getWebhookEndpoint} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<WebhookEndpoint> getWebhookEndpointAsync(String endpointId) {
    return getAsync("/v1/webhook-endpoints/" + Paths.segment(endpointId), WebhookEndpoint.class);
  }

  /** Changes only the fields set; DeclinedException url_not_allowed, NotFoundException. */
  public WebhookEndpoint updateWebhookEndpoint(
      String endpointId, UpdateWebhookEndpointRequest request) {
    return Transport.join(updateWebhookEndpointAsync(endpointId, request));
  }

  /**
   * {@link #updateWebhookEndpoint} without blocking: the future completes with its result, or with
   * its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<WebhookEndpoint> updateWebhookEndpointAsync(
      String endpointId, UpdateWebhookEndpointRequest request) {
    return transport.callAsync(
        "PATCH",
        "/v1/webhook-endpoints/" + Paths.segment(endpointId),
        request,
        WebhookEndpoint.class,
        RequestOptions.none());
  }

  /** Deletes an endpoint and drops its scheduled deliveries; NotFoundException. */
  public DeletedWebhookEndpoint deleteWebhookEndpoint(String endpointId) {
    return Transport.join(deleteWebhookEndpointAsync(endpointId));
  }

  /**
   * {@link #deleteWebhookEndpoint} without blocking: the future completes with its result, or with
   * its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<DeletedWebhookEndpoint> deleteWebhookEndpointAsync(String endpointId) {
    return transport.callAsync(
        "DELETE",
        "/v1/webhook-endpoints/" + Paths.segment(endpointId),
        null,
        DeletedWebhookEndpoint.class,
        RequestOptions.none());
  }

  /** A page of the app's events of the last 30 days, newest first, filtered by the query. */
  public EventList listEvents(EventQuery query) {
    return Transport.join(listEventsAsync(query));
  }

  /**
   * {@link #listEvents} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<EventList> listEventsAsync(EventQuery query) {
    return getAsync("/v1/events" + Paths.query(query.parameters), EventList.class);
  }

  /**
   * Every item of {@link #listEvents} matching the query, across its pages, each page fetched only
   * when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Event> listAllEvents(EventQuery query) {
    return AutoPager.of(
        cursor -> listEvents(cursor == null ? query : query.cursor(cursor)),
        EventList::getData,
        EventList::getNextCursor);
  }

  /** An event with its payload; NotFoundException. */
  public Event getEvent(String eventId) {
    return Transport.join(getEventAsync(eventId));
  }

  /**
   * {@link #getEvent} without blocking: the future completes with its result, or with its exception
   * (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Event> getEventAsync(String eventId) {
    return getAsync("/v1/events/" + Paths.segment(eventId), Event.class);
  }

  /**
   * A page of an event's delivery attempts, newest first, to one endpoint if given;
   * NotFoundException.
   */
  public EventDeliveryList listEventDeliveries(
      String eventId, String endpointId, Integer limit, String cursor) {
    return Transport.join(listEventDeliveriesAsync(eventId, endpointId, limit, cursor));
  }

  /**
   * {@link #listEventDeliveries} without blocking: the future completes with its result, or with
   * its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<EventDeliveryList> listEventDeliveriesAsync(
      String eventId, String endpointId, Integer limit, String cursor) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("endpoint_id", endpointId);
    query.put("limit", limit);
    query.put("cursor", cursor);
    return getAsync(
        "/v1/events/" + Paths.segment(eventId) + "/deliveries" + Paths.query(query),
        EventDeliveryList.class);
  }

  /**
   * Every item of {@link #listEventDeliveries} (limit: the page size, null for the default), across
   * its pages, each page fetched only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<EventDelivery> listAllEventDeliveries(
      String eventId, String endpointId, Integer limit) {
    return AutoPager.of(
        cursor -> listEventDeliveries(eventId, endpointId, limit, cursor),
        EventDeliveryList::getData,
        EventDeliveryList::getNextCursor);
  }

  /**
   * Delivers an event once more to an endpoint, now; ConflictException endpoint_disabled,
   * NotFoundException.
   */
  public EventDelivery redeliverEvent(String eventId, String endpointId) {
    return redeliverEvent(eventId, endpointId, RequestOptions.none());
  }

  /**
   * {@link #redeliverEvent} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<EventDelivery> redeliverEventAsync(String eventId, String endpointId) {
    return redeliverEventAsync(eventId, endpointId, RequestOptions.none());
  }

  /** {@link #redeliverEvent(String, String)} with your idempotency key or request id. */
  public EventDelivery redeliverEvent(String eventId, String endpointId, RequestOptions options) {
    return Transport.join(redeliverEventAsync(eventId, endpointId, options));
  }

  /**
   * {@link #redeliverEvent} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<EventDelivery> redeliverEventAsync(
      String eventId, String endpointId, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/events/" + Paths.segment(eventId) + "/redeliveries",
        new RedeliverEventRequest().endpointId(endpointId),
        EventDelivery.class,
        options);
  }

  private <T> CompletableFuture<T> getAsync(String pathAndQuery, Class<T> type) {
    return transport.callAsync("GET", pathAndQuery, null, type, RequestOptions.none());
  }

  /** Filters and page of {@link #listEvents}: immutable, each setter returns a copy. */
  public static final class EventQuery {
    private final Map<String, Object> parameters;

    /** No filter: the first page of every event. */
    public EventQuery() {
      this(unset("type", "created_gte", "created_lt", "limit", "cursor"));
    }

    private EventQuery(Map<String, Object> parameters) {
      this.parameters = parameters;
    }

    /** Only events of this type. */
    public EventQuery type(EventType type) {
      return with("type", type == null ? null : type.getValue());
    }

    /** Only events created at or after this time. */
    public EventQuery createdGte(OffsetDateTime time) {
      return with("created_gte", iso(time));
    }

    /** Only events created before this time. */
    public EventQuery createdLt(OffsetDateTime time) {
      return with("created_lt", iso(time));
    }

    /** Page size, 1 to 100 (default 20). */
    public EventQuery limit(Integer limit) {
      return with("limit", limit);
    }

    /** The previous page's next_cursor. */
    public EventQuery cursor(String cursor) {
      return with("cursor", cursor);
    }

    private EventQuery with(String name, Object value) {
      return new EventQuery(copy(parameters, name, value));
    }
  }
}
