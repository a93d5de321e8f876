package io.scenebank.gateway.events;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.log.RequestContext;
import io.scenebank.gateway.log.TraceContext;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.Times;
import io.scenebank.gateway.tx.Cte;
import io.scenebank.gateway.tx.Statement;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
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

  private final Mode mode;
  private final Runnable nudge;

  /**
   * @param nudge tells the local dispatcher that deliveries may be due (it also polls)
   */
  public Events(Mode mode, Runnable nudge) {
    this.mode = mode;
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
    Cte cte = new Cte();
    String id = write(cte, clientId, type, object, requestId, endpointId);
    Statement statement = cte.statement();
    return tx.preparedQuery(statement.sql()).execute(statement.args()).map(v -> id);
  }

  /** The counter under which {@link #write} counts the deliveries it schedules. */
  public static final String SCHEDULED = "webhook_deliveries";

  /**
   * Adds the event and its deliveries to {@code cte} (one statement with the change it reports),
   * counting the deliveries under {@link #SCHEDULED}. Returns the event's id.
   */
  public String write(Cte cte, String clientId, String type, JsonObject object, String requestId) {
    return write(cte, clientId, type, object, requestId, null);
  }

  private String write(
      Cte cte,
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
            .put("livemode", mode.livemode())
            .put("type", type)
            .put("api_version", API_VERSION)
            .put("data", new JsonObject().put("object", object));
    if (requestId != null) {
      event.put("request_id", requestId);
    }
    event.put("created_at", Times.format(now));
    // written while serving the request: its trace goes on with the event's deliveries
    TraceContext trace = RequestContext.trace();
    String inserted = cte.name("event");
    cte.part(
        inserted,
        "INSERT INTO events (id, client_id, type, api_version, payload, request_id, created_at,"
            + " trace_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, client_id",
        id,
        clientId,
        type,
        API_VERSION,
        event.encode(),
        requestId,
        now,
        trace == null ? null : trace.traceId());
    String deliveries = cte.name("deliveries");
    cte.part(
        deliveries,
        "INSERT INTO webhook_attempts (id, event_id, endpoint_id, client_id, attempt, status,"
            + " next_attempt_at, first_attempt_at)"
            + " SELECT 'dlv_' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 24), v.id,"
            + " e.id, e.client_id, 1, 'PENDING', now(), now()"
            + " FROM "
            + inserted
            + " v JOIN webhook_endpoints e ON e.client_id = v.client_id"
            + " WHERE e.status = 'ENABLED' AND e.deleted_at IS NULL"
            + " AND CASE WHEN $2::text IS NULL"
            + "   THEN $1 = ANY (e.event_types) OR '*' = ANY (e.event_types)"
            + "   ELSE e.id = $2 END"
            + " RETURNING 1",
        type,
        endpointId);
    cte.count(SCHEDULED, deliveries);
    return id;
  }

  /** Asks the local dispatcher to look for due deliveries now (call after commit). */
  public void nudge() {
    nudge.run();
  }
}
