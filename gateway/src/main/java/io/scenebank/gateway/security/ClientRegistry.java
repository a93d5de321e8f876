package io.scenebank.gateway.security;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Times;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The client registry: organisations, their apps (OAuth clients) and the apps' public keys. Every
 * query about an app's keys is scoped by its client id, so one partner never reaches another's.
 */
public final class ClientRegistry {

  /** How many keys an app may have active at once (rotation needs two). */
  public static final int MAX_ACTIVE_KEYS = 5;

  private final Pool pool;
  private final Mode mode;
  private final Map<String, PublicJwk> parsedKeys =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PublicJwk> eldest) {
              return size() > 10_000;
            }
          });

  public ClientRegistry(Pool pool, Mode mode) {
    this.pool = pool;
    this.mode = mode;
  }

  /** An app as the security layer sees it. */
  public record App(
      String clientId,
      String organisationId,
      String name,
      List<String> scopes,
      boolean active,
      JsonObject resource) {}

  /** A registered key. {@code status} is ACTIVE, REVOKED or EXPIRED (outside its validity). */
  public record Key(
      String clientId, String kid, SignatureAlgorithm algorithm, PublicJwk jwk, String status) {}

  /** What authenticating a signed request needs to know about its key. */
  public record RequestCheck(
      Key key, boolean appActive, String organisationId, boolean tokenRevoked) {}

  // ---------------------------------------------------------------- organisations and apps

  public Future<JsonObject> createOrganisation(JsonObject request) {
    return createOrganisation(pool, request);
  }

  /** Creates an organisation with {@code client}, which may be a transaction. */
  public Future<JsonObject> createOrganisation(SqlClient client, JsonObject request) {
    String id = Ids.next("org");
    return client
        .preparedQuery(
            "INSERT INTO organisations (id, name, type, licence_number, contact_email, metadata)"
                + " VALUES ($1, $2, $3, $4, $5, $6) RETURNING *, 0 AS app_count")
        .execute(
            Tuple.of(
                id,
                request.getString("name"),
                request.getString("type"),
                request.getString("licence_number"),
                request.getString("contact_email"),
                request.getJsonObject("metadata", new JsonObject())))
        .map(rows -> organisation(rows.iterator().next()));
  }

  public Future<JsonObject> listOrganisations(Page.Request page) {
    return list(
        pool,
        "SELECT o.*, (SELECT count(*) FROM apps a WHERE a.organisation_id = o.id) AS app_count"
            + " FROM organisations o",
        "o.created_at",
        "o.id",
        new ArrayList<>(),
        page,
        this::organisation);
  }

  public Future<JsonObject> createApp(String organisationId, JsonObject request) {
    return createApp(pool, organisationId, request.getString("name"), scopes(request), request)
        .map(App::resource);
  }

  /** Creates an app with {@code client}, which may be a transaction. */
  public Future<App> createApp(
      SqlClient client, String organisationId, String name, List<String> scopes, JsonObject req) {
    String clientId = Ids.next("app");
    return client
        .preparedQuery(
            "INSERT INTO apps (client_id, organisation_id, name, scopes, metadata)"
                + " SELECT $1, id, $3, $4, $5 FROM organisations WHERE id = $2"
                + " RETURNING *, 0 AS active_key_count")
        .execute(
            Tuple.of(
                clientId,
                organisationId,
                name,
                scopes.toArray(String[]::new),
                req.getJsonObject("metadata", new JsonObject())))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.notFound("No organisation " + organisationId + ".");
              }
              return app(rows.iterator().next(), "ACTIVE");
            });
  }

  public Future<JsonObject> listApps(String organisationId, Page.Request page) {
    List<Object> params = new ArrayList<>();
    params.add(organisationId);
    return organisationExists(organisationId)
        .compose(
            v ->
                list(
                    pool,
                    "SELECT a.*, o.status AS organisation_status, "
                        + ACTIVE_KEYS
                        + " FROM apps a JOIN organisations o ON o.id = a.organisation_id"
                        + " WHERE a.organisation_id = $1",
                    "a.created_at",
                    "a.client_id",
                    params,
                    page,
                    row -> app(row, row.getString("organisation_status")).resource()));
  }

  /** The app, or a 404 problem. */
  public Future<App> app(String clientId) {
    return pool.preparedQuery(
            "SELECT a.*, o.status AS organisation_status, "
                + ACTIVE_KEYS
                + " FROM apps a JOIN organisations o ON o.id = a.organisation_id"
                + " WHERE a.client_id = $1")
        .execute(Tuple.of(clientId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.notFound("No app " + clientId + ".");
              }
              Row row = rows.iterator().next();
              return app(row, row.getString("organisation_status"));
            });
  }

  private static final String ACTIVE_KEYS =
      "(SELECT count(*) FROM client_keys k WHERE k.client_id = a.client_id AND k.status = 'ACTIVE'"
          + " AND (k.not_after IS NULL OR k.not_after > now())) AS active_key_count";

  private Future<Void> organisationExists(String organisationId) {
    return pool.preparedQuery("SELECT 1 FROM organisations WHERE id = $1")
        .execute(Tuple.of(organisationId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.notFound("No organisation " + organisationId + ".");
              }
              return null;
            });
  }

  // ---------------------------------------------------------------- keys

  /**
   * Registers a public key for an app. The kid defaults to the key's thumbprint; a kid in use, a
   * key registered anywhere already, or one key too many is a conflict.
   */
  public Future<JsonObject> registerKey(String clientId, JsonObject request) {
    return registerKey(pool, clientId, request);
  }

  /** Registers a key with {@code client}, which may be a transaction. */
  public Future<JsonObject> registerKey(SqlClient client, String clientId, JsonObject request) {
    PublicJwk jwk = parseJwk(request.getJsonObject("public_jwk"));
    SignatureAlgorithm algorithm =
        SignatureAlgorithm.fromHttpName(request.getString("algorithm")).orElseThrow();
    if (jwk.algorithm() != algorithm) {
      throw Problem.unprocessable(
              "key_algorithm_mismatch",
              "The key is a "
                  + jwk.algorithm().httpName()
                  + " key; it cannot sign with "
                  + algorithm.httpName()
                  + ".")
          .withErrors(List.of(new Problem.FieldError("/algorithm", "does not fit the key type")));
    }
    String kid = jwk.keyId() != null ? jwk.keyId() : jwk.thumbprint();
    OffsetDateTime notBefore = time(request.getString("not_before"));
    OffsetDateTime notAfter = time(request.getString("not_after"));
    if (notAfter != null
        && (notAfter.isBefore(OffsetDateTime.now())
            || (notBefore != null && !notAfter.isAfter(notBefore)))) {
      throw Problem.unprocessable(
              "key_validity_invalid", "not_after must be in the future and after not_before.")
          .withErrors(List.of(new Problem.FieldError("/not_after", "not a valid end")));
    }
    JsonObject publicJwk =
        new JsonObject(new java.util.LinkedHashMap<>(jwk.toMap())).put("kid", kid);
    return client
        .preparedQuery(
            "INSERT INTO client_keys (client_id, kid, algorithm, public_jwk, thumbprint,"
                + " not_before, not_after)"
                + " SELECT $1, $2, $3, $4, $5, coalesce($6, now()), $7"
                + " WHERE (SELECT count(*) FROM client_keys WHERE client_id = $1"
                + "   AND status = 'ACTIVE' AND (not_after IS NULL OR not_after > now())) < $8"
                + " RETURNING *")
        .execute(
            Tuple.tuple()
                .addString(clientId)
                .addString(kid)
                .addString(algorithm.httpName())
                .addJsonObject(publicJwk)
                .addString(jwk.thumbprint())
                .addOffsetDateTime(notBefore)
                .addOffsetDateTime(notAfter)
                .addInteger(MAX_ACTIVE_KEYS))
        .recover(
            e -> {
              if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                boolean byKid = String.valueOf(pg.getConstraint()).contains("pkey");
                return Future.failedFuture(
                    Problem.conflict(
                        byKid ? "key_id_in_use" : "key_already_registered",
                        byKid
                            ? "This app already has a key with kid " + kid + "."
                            : "This public key is already registered; each key belongs to one"
                                + " app."));
              }
              return Future.failedFuture(e);
            })
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.conflict(
                    "too_many_keys",
                    "An app may have at most "
                        + MAX_ACTIVE_KEYS
                        + " active keys; revoke one first.");
              }
              return key(rows.iterator().next());
            });
  }

  public Future<JsonObject> listKeys(String clientId, Page.Request page) {
    List<Object> params = new ArrayList<>();
    params.add(clientId);
    return list(
        pool,
        "SELECT * FROM client_keys WHERE client_id = $1",
        "created_at",
        "kid",
        params,
        page,
        this::key);
  }

  /**
   * Revokes a key of the app; it stops working at once. An app cannot revoke its own last active
   * key ({@code keepOne}); operators can, e.g. when it is compromised.
   */
  public Future<JsonObject> revokeKey(String clientId, String kid, String reason, boolean keepOne) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "SELECT kid, status FROM client_keys WHERE client_id = $1 AND status = 'ACTIVE'"
                        + " AND (not_after IS NULL OR not_after > now()) FOR UPDATE")
                .execute(Tuple.of(clientId))
                .compose(
                    active -> {
                      boolean isActive = false;
                      for (Row r : active) {
                        isActive |= r.getString("kid").equals(kid);
                      }
                      if (keepOne && isActive && active.size() == 1) {
                        throw Problem.conflict(
                            "last_active_key",
                            "This is the app's last active key; register its successor first.");
                      }
                      return tx.preparedQuery(
                              "UPDATE client_keys SET status = 'REVOKED',"
                                  + " revoked_at = coalesce(revoked_at, now()),"
                                  + " revoke_reason = coalesce(revoke_reason, $3), updated_at = now()"
                                  + " WHERE client_id = $1 AND kid = $2 RETURNING *")
                          .execute(Tuple.of(clientId, kid, reason));
                    })
                .map(
                    rows -> {
                      if (rows.size() == 0) {
                        throw Problem.notFound("No key " + kid + " for this app.");
                      }
                      liveKeys.remove(clientId, kid);
                      return key(rows.iterator().next());
                    }));
  }

  /** A key of an app, with its effective status, or null. */
  public Future<Key> findKey(String clientId, String kid) {
    return pool.preparedQuery(
            "SELECT *, " + EFFECTIVE_STATUS + " FROM client_keys WHERE client_id = $1 AND kid = $2")
        .execute(Tuple.of(clientId, kid))
        .map(rows -> rows.size() == 0 ? null : keyRecord(rows.iterator().next()));
  }

  private static final String EFFECTIVE_STATUS = effectiveStatus("");

  /** A key's status now: REVOKED, EXPIRED (outside not_before..not_after) or ACTIVE. */
  private static String effectiveStatus(String alias) {
    return "CASE WHEN "
        + alias
        + "status = 'REVOKED' THEN 'REVOKED'"
        + " WHEN "
        + alias
        + "not_after IS NOT NULL AND "
        + alias
        + "not_after <= now() THEN 'EXPIRED'"
        + " WHEN "
        + alias
        + "not_before > now() THEN 'EXPIRED' ELSE 'ACTIVE' END AS effective_status";
  }

  /**
   * What authenticating a request needs to know about its key, read without writing anything: the
   * key (null if the app has none of that kid), whether its app and organisation are active, and
   * whether the token was revoked.
   */
  public Future<RequestCheck> requestState(String clientId, String kid, String tokenId) {
    return pool.preparedQuery(
            "SELECT k.*, "
                + effectiveStatus("k.")
                + ", a.status AS app_status, o.status AS org_status, a.organisation_id,"
                + " EXISTS (SELECT 1 FROM access_tokens t WHERE t.jti = $3"
                + "   AND t.revoked_at IS NOT NULL) AS token_revoked"
                + " FROM client_keys k JOIN apps a ON a.client_id = k.client_id"
                + " JOIN organisations o ON o.id = a.organisation_id"
                + " WHERE k.client_id = $1 AND k.kid = $2")
        .execute(Tuple.of(clientId, kid, tokenId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return new RequestCheck(null, false, null, false);
              }
              Row row = rows.iterator().next();
              RequestCheck check =
                  new RequestCheck(
                      keyRecord(row),
                      "ACTIVE".equals(row.getString("app_status"))
                          && "ACTIVE".equals(row.getString("org_status")),
                      row.getString("organisation_id"),
                      row.getBoolean("token_revoked"));
              if (check.appActive() && "ACTIVE".equals(check.key().status())) {
                liveKeys.put(clientId, kid, check);
              }
              return check;
            });
  }

  /**
   * A key found active recently, without a query; its liveness is checked again, in the same
   * statement, when the request's nonce is recorded ({@link Nonces}).
   */
  public RequestCheck recentlyActive(String clientId, String kid) {
    return liveKeys.get(clientId, kid);
  }

  /** Drops a key from {@link #recentlyActive} (revoked, or refused by the database). */
  public void forget(String clientId, String kid) {
    liveKeys.remove(clientId, kid);
  }

  private final KeyCache liveKeys = new KeyCache(10_000, java.time.Duration.ofMinutes(5));

  /** Deletes used nonces and assertion ids that can no longer be replayed. */
  public Future<Void> purgeExpired() {
    return pool.query(
            "DELETE FROM request_nonces WHERE expires_at < now();"
                + " DELETE FROM assertion_ids WHERE expires_at < now();"
                + " DELETE FROM access_tokens WHERE expires_at < now() - interval '1 day'")
        .execute()
        .mapEmpty();
  }

  /**
   * Makes sure the bank's operators have an app with the {@code operator} scope holding this key
   * (configured by {@code SCENEBANK_OPERATOR_JWK}); returns its client id.
   */
  public Future<String> ensureOperator(String jwkJson) {
    PublicJwk jwk = parseJwk(new JsonObject(jwkJson));
    return pool.preparedQuery("SELECT client_id FROM client_keys WHERE thumbprint = $1")
        .execute(Tuple.of(jwk.thumbprint()))
        .compose(
            rows -> {
              if (rows.size() > 0) {
                return Future.succeededFuture(rows.iterator().next().getString(0));
              }
              return pool.withTransaction(
                  tx ->
                      createOrganisation(
                              tx,
                              new JsonObject()
                                  .put("name", "Bank operations")
                                  .put("type", "OTHER")
                                  .put("contact_email", "operations@bank.invalid"))
                          .compose(
                              org ->
                                  createApp(
                                      tx,
                                      org.getString("id"),
                                      "Operator console",
                                      List.of("operator"),
                                      new JsonObject()))
                          .compose(
                              app ->
                                  registerKey(
                                          tx,
                                          app.clientId(),
                                          new JsonObject()
                                              .put(
                                                  "public_jwk",
                                                  new JsonObject(
                                                      new java.util.LinkedHashMap<>(jwk.toMap())))
                                              .put("algorithm", jwk.algorithm().httpName()))
                                      .map(key -> app.clientId())));
            });
  }

  // ---------------------------------------------------------------- rendering

  private Key keyRecord(Row row) {
    JsonObject jwk = row.getJsonObject("public_jwk");
    PublicJwk parsed =
        parsedKeys.computeIfAbsent(row.getString("thumbprint"), t -> PublicJwk.parse(jwk.getMap()));
    return new Key(
        row.getString("client_id"),
        row.getString("kid"),
        SignatureAlgorithm.fromHttpName(row.getString("algorithm")).orElseThrow(),
        parsed,
        row.getString("effective_status"));
  }

  JsonObject key(Row row) {
    OffsetDateTime notAfter = row.getOffsetDateTime("not_after");
    String status = row.getString("status");
    if ("ACTIVE".equals(status) && notAfter != null && !notAfter.isAfter(OffsetDateTime.now())) {
      status = "EXPIRED";
    }
    JsonObject json =
        new JsonObject()
            .put("object", "client_key")
            .put("kid", row.getString("kid"))
            .put("livemode", mode.livemode())
            .put("client_id", row.getString("client_id"))
            .put("algorithm", row.getString("algorithm"))
            .put("status", status)
            .put("thumbprint", row.getString("thumbprint"))
            .put("public_jwk", row.getJsonObject("public_jwk"))
            .put("not_before", Times.format(row.getOffsetDateTime("not_before")));
    putTime(json, "not_after", notAfter);
    putTime(json, "revoked_at", row.getOffsetDateTime("revoked_at"));
    return json.put("created_at", Times.format(row.getOffsetDateTime("created_at")))
        .put("updated_at", Times.format(row.getOffsetDateTime("updated_at")));
  }

  private JsonObject organisation(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "organisation")
            .put("livemode", mode.livemode())
            .put("name", row.getString("name"))
            .put("type", row.getString("type"));
    if (row.getString("licence_number") != null) {
      json.put("licence_number", row.getString("licence_number"));
    }
    return json.put("contact_email", row.getString("contact_email"))
        .put("status", row.getString("status"))
        .put("app_count", row.getLong("app_count"))
        .put("metadata", row.getJsonObject("metadata"))
        .put("created_at", Times.format(row.getOffsetDateTime("created_at")))
        .put("updated_at", Times.format(row.getOffsetDateTime("updated_at")));
  }

  private App app(Row row, String organisationStatus) {
    List<String> scopes = Arrays.asList(row.getArrayOfStrings("scopes"));
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("client_id"))
            .put("object", "app")
            .put("livemode", mode.livemode())
            .put("organisation_id", row.getString("organisation_id"))
            .put("name", row.getString("name"))
            .put("scopes", new JsonArray(new ArrayList<>(scopes)))
            .put("status", row.getString("status"))
            .put("active_key_count", row.getLong("active_key_count"))
            .put("metadata", row.getJsonObject("metadata"))
            .put("created_at", Times.format(row.getOffsetDateTime("created_at")))
            .put("updated_at", Times.format(row.getOffsetDateTime("updated_at")));
    return new App(
        row.getString("client_id"),
        row.getString("organisation_id"),
        row.getString("name"),
        scopes,
        "ACTIVE".equals(row.getString("status")) && "ACTIVE".equals(organisationStatus),
        json);
  }

  // ---------------------------------------------------------------- helpers

  private PublicJwk parseJwk(JsonObject jwk) {
    try {
      return PublicJwk.parse(jwk.getMap());
    } catch (IllegalArgumentException e) {
      throw Problem.unprocessable("key_invalid", "The public key is not usable: " + e.getMessage())
          .withErrors(List.of(new Problem.FieldError("/public_jwk", e.getMessage())));
    }
  }

  private static List<String> scopes(JsonObject request) {
    List<String> scopes = new ArrayList<>();
    for (Object s : request.getJsonArray("scopes", new JsonArray())) {
      if (!scopes.contains(s.toString())) {
        scopes.add(s.toString());
      }
    }
    return scopes;
  }

  static Set<String> scopeSet(String spaceSeparated) {
    return spaceSeparated == null || spaceSeparated.isBlank()
        ? Set.of()
        : Set.of(spaceSeparated.trim().split(" +"));
  }

  private static OffsetDateTime time(String value) {
    return value == null ? null : OffsetDateTime.parse(value);
  }

  private static void putTime(JsonObject json, String field, OffsetDateTime time) {
    if (time != null) {
      json.put(field, Times.format(time));
    }
  }

  /** A page of rows newest first; {@code params} are the query's own parameters. */
  private static Future<JsonObject> list(
      SqlClient client,
      String select,
      String createdColumn,
      String idColumn,
      List<Object> params,
      Page.Request page,
      java.util.function.Function<Row, JsonObject> render) {
    StringBuilder sql = new StringBuilder(select);
    if (page.hasCursor()) {
      sql.append(select.contains(" WHERE ") ? " AND " : " WHERE ")
          .append("(")
          .append(createdColumn)
          .append(", ")
          .append(idColumn)
          .append(") < ($")
          .append(params.size() + 1)
          .append(", $")
          .append(params.size() + 2)
          .append(")");
      params.add(page.afterCreatedAt());
      params.add(page.afterId());
    }
    sql.append(" ORDER BY ")
        .append(createdColumn)
        .append(" DESC, ")
        .append(idColumn)
        .append(" DESC LIMIT ")
        .append(page.limit() + 1);
    return client
        .preparedQuery(sql.toString())
        .execute(Tuple.from(params))
        .map(
            rows -> {
              List<Row> list = new ArrayList<>();
              rows.forEach(list::add);
              return Page.of(
                  page,
                  list,
                  render,
                  r -> r.getOffsetDateTime(createdColumn.substring(createdColumn.indexOf('.') + 1)),
                  r -> r.getString(idColumn.substring(idColumn.indexOf('.') + 1)));
            });
  }
}
