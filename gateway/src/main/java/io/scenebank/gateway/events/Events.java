package io.scenebank.gateway.events;

import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;

/**
 * The transactional outbox. A service that changes state calls {@link #emit} with the same
 * transaction: the event, and one scheduled delivery attempt per subscribed endpoint of the app,
 * commit or roll back together with the change — no event without its change, no change without its
 * event. Delivery happens later, by {@link WebhookDispatcher}.
 */
public final class Events {

  /** The payload version of events written now. */
  public static final String API_VERSION = "2026-11-01";

  private final boolean livemode;
  private final Runnable nudge;

  /**
   * @param nudge tells the local dispatcher that deliveries may be due (it also polls)
   */
  public Events(boolean livemode, Runnable nudge) {
    this.livemode = livemode;
    this.nudge = nudge;
  }

  /**
   * Writes an event about {@code object} for the app, with a delivery to each of its enabled
   * endpoints subscribed to the type. Returns the event's id.
   */
  public Future<String> emit(
      SqlClient tx, String clientId, String type, JsonObject object, String requestId) {
    return emit(tx, clientId, type, object, requestId, null);
  }

  /**
   * As {@link #emit}, but delivered only to {@code endpointId}, whatever its subscription (a test
   * ping, say).
   */
  public Future<String> emit(
      SqlClient tx,
      String clientId,
      String type,
      JsonObject object,
      String requestId,
      String endpointId) {
    String id = Ids.next("evt");
    OffsetDateTime now = OffsetDateTime.now();
    JsonObject event =
        new JsonObject()
            .put("id", id)
            .put("object", "event")
            .put("livemode", livemode)
            .put("type", type)
            .put("api_version", API_VERSION)
            .put("data", new JsonObject().put("object", object));
    if (requestId != null) {
      event.put("request_id", requestId);
    }
    event.put("created_at", Times.format(now));
    return tx.preparedQuery(
            "INSERT INTO events (id, client_id, type, api_version, payload, request_id, created_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .execute(Tuple.of(id, clientId, type, API_VERSION, event.encode(), requestId, now))
        .compose(
            v ->
                tx.preparedQuery(
                        "INSERT INTO webhook_attempts (id, event_id, endpoint_id, client_id, attempt,"
                            + " status, next_attempt_at, first_attempt_at)"
                            + " SELECT 'dlv_' || substr(replace(gen_random_uuid()::text, '-', ''), 1,"
                            + " 24), $1, e.id, e.client_id, 1, 'PENDING', now(), now()"
                            + " FROM webhook_endpoints e WHERE e.client_id = $2"
                            + " AND e.status = 'ENABLED' AND e.deleted_at IS NULL"
                            + " AND CASE WHEN $4::text IS NULL"
                            + "   THEN $3 = ANY (e.event_types) OR '*' = ANY (e.event_types)"
                            + "   ELSE e.id = $4 END")
                    .execute(Tuple.of(id, clientId, type, endpointId)))
        .map(v -> id);
  }

  /** Asks the local dispatcher to look for due deliveries now (call after commit). */
  public void nudge() {
    nudge.run();
  }
}
