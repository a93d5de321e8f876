package io.scenebank.gateway.events;

import static io.scenebank.gateway.http.Handlers.time;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.http.RequestIdHandler;
import io.scenebank.gateway.http.Responses;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Times;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.OffsetDateTime;

/**
 * The events API (scope {@code events}): webhook endpoints, the event log, delivery attempts,
 * redelivery; and the sandbox's test webhook.
 */
public final class EventsApi {

  private final Pool pool;
  private final WebhookEndpoints endpoints;
  private final EventLog log;
  private final Events events;
  private final Mode mode;

  public EventsApi(Pool pool, WebhookEndpoints endpoints, EventLog log, Events events, Mode mode) {
    this.pool = pool;
    this.endpoints = endpoints;
    this.log = log;
    this.events = events;
    this.mode = mode;
  }

  public void register(Operations operations) {
    operations
        .add("createWebhookEndpoint", this::createEndpoint)
        .add("listWebhookEndpoints", this::listEndpoints)
        .add("getWebhookEndpoint", this::getEndpoint)
        .add("updateWebhookEndpoint", this::updateEndpoint)
        .add("deleteWebhookEndpoint", this::deleteEndpoint)
        .add("listEvents", this::listEvents)
        .add("getEvent", this::getEvent)
        .add("listEventDeliveries", this::listDeliveries)
        .add("redeliverEvent", this::redeliver)
        .add("sendTestWebhook", this::sendTest);
  }

  private void createEndpoint(RoutingContext ctx) {
    endpoints
        .create(Call.of(ctx).clientId(), ctx.body().asJsonObject())
        .onSuccess(e -> Responses.json(ctx, 201, e))
        .onFailure(ctx::fail);
  }

  private void listEndpoints(RoutingContext ctx) {
    endpoints
        .list(Call.of(ctx).clientId(), Page.request(ctx, "endpoints"))
        .onSuccess(page -> Responses.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  private void getEndpoint(RoutingContext ctx) {
    endpoints
        .get(Call.of(ctx).clientId(), ctx.pathParam("endpoint_id"))
        .onSuccess(e -> Responses.json(ctx, 200, e))
        .onFailure(ctx::fail);
  }

  private void updateEndpoint(RoutingContext ctx) {
    endpoints
        .update(Call.of(ctx).clientId(), ctx.pathParam("endpoint_id"), ctx.body().asJsonObject())
        .onSuccess(e -> Responses.json(ctx, 200, e))
        .onFailure(ctx::fail);
  }

  private void deleteEndpoint(RoutingContext ctx) {
    endpoints
        .delete(Call.of(ctx).clientId(), ctx.pathParam("endpoint_id"))
        .onSuccess(e -> Responses.json(ctx, 200, e))
        .onFailure(ctx::fail);
  }

  private void listEvents(RoutingContext ctx) {
    String type = ctx.request().getParam("type");
    OffsetDateTime from = time(ctx, "created_gte");
    OffsetDateTime until = time(ctx, "created_lt");
    String filters = "events|" + type + "|" + from + "|" + until;
    log.list(Call.of(ctx).clientId(), type, from, until, Page.request(ctx, filters))
        .onSuccess(page -> Responses.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  private void getEvent(RoutingContext ctx) {
    log.get(Call.of(ctx).clientId(), ctx.pathParam("event_id"))
        .onSuccess(e -> Responses.json(ctx, 200, e))
        .onFailure(ctx::fail);
  }

  private void listDeliveries(RoutingContext ctx) {
    String eventId = ctx.pathParam("event_id");
    String endpointId = ctx.request().getParam("endpoint_id");
    log.attempts(
            Call.of(ctx).clientId(),
            eventId,
            endpointId,
            Page.request(ctx, "deliveries|" + eventId + "|" + endpointId))
        .onSuccess(page -> Responses.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  private void redeliver(RoutingContext ctx) {
    log.redeliver(
            Call.of(ctx).clientId(),
            ctx.pathParam("event_id"),
            ctx.body().asJsonObject().getString("endpoint_id"))
        .onSuccess(
            attempt -> {
              events.nudge();
              Responses.json(ctx, 202, attempt);
            })
        .onFailure(ctx::fail);
  }

  /** Sandbox: a test.ping event for one endpoint, delivered at once. */
  private void sendTest(RoutingContext ctx) {
    if (!mode.sandbox()) {
      ctx.fail(Problem.notFound("Test webhooks exist only in the sandbox."));
      return;
    }
    String clientId = Call.of(ctx).clientId();
    String endpointId = ctx.pathParam("endpoint_id");
    endpoints
        .get(clientId, endpointId)
        .compose(
            endpoint -> {
              if (!"ENABLED".equals(endpoint.getString("status"))) {
                throw Problem.conflict(
                    "endpoint_disabled", "The endpoint is disabled; enable it first.");
              }
              return pool.withTransaction(
                  tx -> {
                    JsonObject ping =
                        new JsonObject()
                            .put("id", Ids.next("ping"))
                            .put("object", "ping")
                            .put("livemode", false)
                            .put("message", "Hello from the Scenebank sandbox.")
                            .put("endpoint_id", endpointId)
                            .put("created_at", Times.format(OffsetDateTime.now()));
                    return events
                        .emit(
                            tx,
                            clientId,
                            "test.ping",
                            ping,
                            RequestIdHandler.requestId(ctx),
                            endpointId)
                        .compose(
                            eventId ->
                                tx.preparedQuery(
                                        "SELECT * FROM webhook_attempts WHERE event_id = $1")
                                    .execute(io.vertx.sqlclient.Tuple.of(eventId)));
                  });
            })
        .onSuccess(
            rows -> {
              events.nudge();
              Responses.json(ctx, 202, log.attempt(rows.iterator().next()));
            })
        .onFailure(ctx::fail);
  }
}
