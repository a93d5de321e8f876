package io.scenebank.gateway.events;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Reading an app's events and their delivery attempts; scheduling redeliveries. */
public final class EventLog {

  private final Pool pool;
  private final Mode mode;

  public EventLog(Pool pool, Mode mode) {
    this.pool = pool;
    this.mode = mode;
  }

  /** The app's events, newest first, optionally of one type and within a time range. */
  public Future<JsonObject> list(
      String clientId, String type, OffsetDateTime from, OffsetDateTime until, Page.Request page) {
    return ListQuery.of("SELECT e.id, e.payload, e.created_at FROM events e", "e")
        .eq("e.client_id", clientId)
        .eq("e.type", type)
        .createdFrom(from)
        .createdUntil(until)
        .page(pool, page, r -> new JsonObject(r.getString("payload")));
  }

  public Future<JsonObject> get(String clientId, String eventId) {
    return pool.preparedQuery("SELECT payload FROM events WHERE client_id = $1 AND id = $2")
        .execute(Tuple.of(clientId, eventId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.notFound("No event " + eventId + ".");
              }
              return new JsonObject(rows.iterator().next().getString("payload"));
            });
  }

  /** The delivery attempts of one of the app's events, newest first. */
  public Future<JsonObject> attempts(
      String clientId, String eventId, String endpointId, Page.Request page) {
    return get(clientId, eventId)
        .compose(
            event -> {
              List<Object> params = new ArrayList<>(List.of(clientId, eventId));
              StringBuilder sql =
                  new StringBuilder(
                      "SELECT * FROM webhook_attempts WHERE client_id = $1 AND event_id = $2");
              if (endpointId != null) {
                params.add(endpointId);
                sql.append(" AND endpoint_id = $3");
              }
              if (page.hasCursor()) {
                params.add(page.afterCreatedAt());
                params.add(page.afterId());
                sql.append(" AND (created_at, id) < ($")
                    .append(params.size() - 1)
                    .append(", $")
                    .append(params.size())
                    .append(")");
              }
              sql.append(" ORDER BY created_at DESC, id DESC LIMIT ").append(page.limit() + 1);
              return pool.preparedQuery(sql.toString()).execute(Tuple.from(params));
            })
        .map(
            rows ->
                Page.of(
                    page,
                    list(rows),
                    this::attempt,
                    r -> r.getOffsetDateTime("created_at"),
                    r -> r.getString("id")));
  }

  /**
   * One more delivery of the app's event to one of its enabled endpoints, due now, outside the
   * schedule; {@code 409 endpoint_disabled} for a disabled endpoint.
   */
  public Future<JsonObject> redeliver(String clientId, String eventId, String endpointId) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    // one redelivery at a time per event and endpoint: the next attempt number
                    // is read after the previous one committed (no duplicate key under races)
                    "SELECT pg_advisory_xact_lock(hashtextextended($2 || '/' || $3, 7)),"
                        + " (SELECT 1 FROM events WHERE client_id = $1 AND id = $2) AS event,"
                        + " (SELECT status FROM webhook_endpoints WHERE client_id = $1 AND id = $3"
                        + " AND deleted_at IS NULL) AS endpoint")
                .execute(Tuple.of(clientId, eventId, endpointId))
                .compose(
                    rows -> {
                      Row row = rows.iterator().next();
                      if (row.getValue("event") == null) {
                        throw Problem.notFound("No event " + eventId + ".");
                      }
                      if (row.getString("endpoint") == null) {
                        throw Problem.notFound("No webhook endpoint " + endpointId + ".");
                      }
                      if (!"ENABLED".equals(row.getString("endpoint"))) {
                        throw Problem.conflict(
                            "endpoint_disabled", "The endpoint is disabled; enable it first.");
                      }
                      return tx.preparedQuery(
                              "INSERT INTO webhook_attempts (id, event_id, endpoint_id, client_id,"
                                  + " attempt, status, next_attempt_at, first_attempt_at)"
                                  + " SELECT 'dlv_' || substr(replace(gen_random_uuid()::text, '-',"
                                  + " ''), 1, 24), $2, $3, $1, coalesce(max(attempt), 0) + 1,"
                                  + " 'PENDING', now(), now() FROM webhook_attempts"
                                  + " WHERE event_id = $2 AND endpoint_id = $3 RETURNING *")
                          .execute(Tuple.of(clientId, eventId, endpointId));
                    })
                .map(rows -> attempt(rows.iterator().next())));
  }

  JsonObject attempt(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "event_delivery")
            .put("livemode", mode.livemode())
            .put("event_id", row.getString("event_id"))
            .put("endpoint_id", row.getString("endpoint_id"))
            .put("attempt", row.getInteger("attempt"))
            .put("status", row.getString("status"));
    if (row.getInteger("response_status") != null) {
      json.put("response_status", row.getInteger("response_status"));
    }
    if (row.getString("error") != null) {
      json.put("error", row.getString("error"));
    }
    if (row.getInteger("duration_ms") != null) {
      json.put("duration_ms", row.getInteger("duration_ms"));
    }
    if (row.getOffsetDateTime("attempted_at") != null) {
      json.put("attempted_at", Times.format(row.getOffsetDateTime("attempted_at")));
    }
    if ("PENDING".equals(row.getString("status"))) {
      json.put("next_attempt_at", Times.format(row.getOffsetDateTime("next_attempt_at")));
    }
    return json.put("created_at", Times.format(row.getOffsetDateTime("created_at")));
  }

  private static List<Row> list(io.vertx.sqlclient.RowSet<Row> rows) {
    List<Row> list = new ArrayList<>();
    rows.forEach(list::add);
    return list;
  }
}
