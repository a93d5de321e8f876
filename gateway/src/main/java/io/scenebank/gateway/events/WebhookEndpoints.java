package io.scenebank.gateway.events;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;

/** An app's webhook endpoints: where its events go. Every query is scoped by the client id. */
public final class WebhookEndpoints {

  /** Endpoints an app may have (deleted ones do not count). */
  public static final int MAX_ENDPOINTS = 16;

  private final Vertx vertx;
  private final Pool pool;
  private final UrlPolicy urls;
  private final Mode mode;

  public WebhookEndpoints(Vertx vertx, Pool pool, UrlPolicy urls, Mode mode) {
    this.vertx = vertx;
    this.pool = pool;
    this.urls = urls;
    this.mode = mode;
  }

  public Future<JsonObject> create(String clientId, JsonObject request) {
    return checkedUrl(request.getString("url"))
        .compose(
            url ->
                pool.preparedQuery(
                        "INSERT INTO webhook_endpoints (id, client_id, url, event_types, description,"
                            + " api_version, metadata)"
                            + " SELECT $1, $2, $3, $4, $5, $6, $7"
                            + " WHERE (SELECT count(*) FROM webhook_endpoints WHERE client_id = $2"
                            + " AND deleted_at IS NULL) < $8 RETURNING *")
                    .execute(
                        Tuple.tuple()
                            .addString(Ids.next("we"))
                            .addString(clientId)
                            .addString(url)
                            .addArrayOfString(eventTypes(request.getJsonArray("event_types")))
                            .addString(request.getString("description"))
                            .addString(Events.API_VERSION)
                            .addJsonObject(request.getJsonObject("metadata", new JsonObject()))
                            .addInteger(MAX_ENDPOINTS)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.conflict(
                    "too_many_endpoints",
                    "An app may have at most " + MAX_ENDPOINTS + " webhook endpoints.");
              }
              return resource(rows.iterator().next());
            });
  }

  public Future<JsonObject> list(String clientId, Page.Request page) {
    return ListQuery.of("SELECT w.* FROM webhook_endpoints w", "w")
        .eq("w.client_id", clientId)
        .isNull("w.deleted_at")
        .page(pool, page, this::resource);
  }

  public Future<JsonObject> get(String clientId, String id) {
    return pool.preparedQuery(
            "SELECT * FROM webhook_endpoints WHERE client_id = $1 AND id = $2"
                + " AND deleted_at IS NULL")
        .execute(Tuple.of(clientId, id))
        .map(rows -> resource(one(rows, id)));
  }

  /** Changes the given fields; {@code status} ENABLED re-enables a disabled endpoint. */
  public Future<JsonObject> update(String clientId, String id, JsonObject patch) {
    Future<String> url =
        patch.containsKey("url")
            ? checkedUrl(patch.getString("url"))
            : Future.succeededFuture(null);
    return url.compose(
            checked ->
                pool.preparedQuery(
                        "UPDATE webhook_endpoints SET"
                            + " url = coalesce($3, url),"
                            + " event_types = coalesce($4, event_types),"
                            + " description = coalesce($5, description),"
                            + " metadata = coalesce($6, metadata),"
                            + " status = coalesce($7, status),"
                            + " disabled_reason = CASE WHEN $7 = 'ENABLED' THEN NULL"
                            + "   WHEN $7 = 'DISABLED' AND status = 'ENABLED' THEN 'MANUAL'"
                            + "   ELSE disabled_reason END,"
                            + " disabled_at = CASE WHEN $7 = 'ENABLED' THEN NULL"
                            + "   WHEN $7 = 'DISABLED' AND status = 'ENABLED' THEN now()"
                            + "   ELSE disabled_at END,"
                            + " updated_at = now()"
                            + " WHERE client_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING *")
                    .execute(
                        Tuple.tuple()
                            .addString(clientId)
                            .addString(id)
                            .addString(checked)
                            .addArrayOfString(
                                patch.containsKey("event_types")
                                    ? eventTypes(patch.getJsonArray("event_types"))
                                    : null)
                            .addString(patch.getString("description"))
                            .addJsonObject(patch.getJsonObject("metadata"))
                            .addString(patch.getString("status"))))
        .map(rows -> resource(one(rows, id)));
  }

  /** Deletes the endpoint: nothing more is delivered to it; its delivery history stays. */
  public Future<JsonObject> delete(String clientId, String id) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "UPDATE webhook_endpoints SET deleted_at = now(), updated_at = now()"
                        + " WHERE client_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id")
                .execute(Tuple.of(clientId, id))
                .compose(
                    rows -> {
                      one(rows, id);
                      return cancelPending(tx, id, "endpoint deleted");
                    })
                .map(
                    v ->
                        new JsonObject()
                            .put("id", id)
                            .put("object", "webhook_endpoint")
                            .put("deleted", true)));
  }

  /**
   * Disables the endpoint (GONE or CONSECUTIVE_FAILURES) and cancels what was still to be delivered
   * to it; returns it as the API shows it, or null if it was disabled already.
   */
  Future<JsonObject> disable(SqlClient tx, String id, String reason) {
    return tx.preparedQuery(
            "UPDATE webhook_endpoints SET status = 'DISABLED', disabled_reason = $2,"
                + " disabled_at = now(), updated_at = now()"
                + " WHERE id = $1 AND status = 'ENABLED' RETURNING *")
        .execute(Tuple.of(id, reason))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.succeededFuture(null)
                    : cancelPending(tx, id, "endpoint disabled: " + reason)
                        .map(v -> resource(rows.iterator().next())));
  }

  private static Future<Void> cancelPending(SqlClient tx, String endpointId, String why) {
    return tx.preparedQuery(
            "UPDATE webhook_attempts SET status = 'FAILED', error = $2, locked_by = NULL,"
                + " locked_until = NULL WHERE endpoint_id = $1 AND status = 'PENDING'")
        .execute(Tuple.of(endpointId, why))
        .mapEmpty();
  }

  private Future<String> checkedUrl(String url) {
    URI uri;
    try {
      uri = urls.check(url);
    } catch (Problem e) {
      return Future.failedFuture(e);
    }
    // resolving may block: off the event loop; it fails for private targets in production
    return vertx.executeBlocking(
        () -> {
          urls.resolve(uri);
          return uri.toString();
        },
        false);
  }

  private static String[] eventTypes(JsonArray types) {
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    types.forEach(t -> unique.add(t.toString()));
    return unique.toArray(String[]::new);
  }

  private static Row one(io.vertx.sqlclient.RowSet<Row> rows, String id) {
    if (rows.size() == 0) {
      throw Problem.notFound("No webhook endpoint " + id + ".");
    }
    return rows.iterator().next();
  }

  JsonObject resource(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "webhook_endpoint")
            .put("livemode", mode.livemode())
            .put("url", row.getString("url"))
            .put(
                "event_types",
                new JsonArray(Arrays.asList((Object[]) row.getArrayOfStrings("event_types"))));
    if (row.getString("description") != null) {
      json.put("description", row.getString("description"));
    }
    json.put("status", row.getString("status"));
    if (row.getString("disabled_reason") != null) {
      json.put("disabled_reason", row.getString("disabled_reason"));
      json.put("disabled_at", Times.format(row.getOffsetDateTime("disabled_at")));
    }
    return json.put("api_version", row.getString("api_version"))
        .put("metadata", row.getJsonObject("metadata"))
        .put("created_at", Times.format(row.getOffsetDateTime("created_at")))
        .put("updated_at", Times.format(row.getOffsetDateTime("updated_at")));
  }
}
