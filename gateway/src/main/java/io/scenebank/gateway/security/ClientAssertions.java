package io.scenebank.gateway.security;

import io.scenebank.gateway.http.Problem;
import io.scenebank.sdk.internal.jose.Jws;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Client authentication by {@code private_key_jwt} (RFC 7523 §2.2): the assertion is a JWS signed
 * by one of the app's active keys, with {@code iss} = {@code sub} = the client id, {@code aud} =
 * the issuer, {@code exp} in the future and at most 5 minutes ahead, and a {@code jti} used once.
 */
public final class ClientAssertions {

  public static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
  static final Duration LEEWAY = Duration.ofSeconds(30);

  /** An authenticated client: its app and the key that signed the assertion. */
  public record Authenticated(ClientRegistry.App app, ClientRegistry.Key key) {}

  private final ClientRegistry registry;
  private final Pool pool;

  public ClientAssertions(ClientRegistry registry, Pool pool) {
    this.registry = registry;
    this.pool = pool;
  }

  /** Verifies the assertion of a token, introspection or revocation request. */
  public Future<Authenticated> authenticate(
      Map<String, String> form, String issuer, String formClientId) {
    if (!TYPE.equals(form.get("client_assertion_type"))) {
      return Future.failedFuture(
          OAuthError.invalidClient("client_assertion_type must be " + TYPE + "."));
    }
    String assertion = form.get("client_assertion");
    if (assertion == null) {
      return Future.failedFuture(OAuthError.invalidClient("client_assertion is missing."));
    }
    Jws jws;
    try {
      jws = Jws.parse(assertion);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(
          OAuthError.invalidClient("The client assertion is not a valid JWS: " + e.getMessage()));
    }
    JsonObject claims = new JsonObject(jws.claims());
    String clientId = claims.getString("iss");
    String kid = jws.keyId().orElse(null);
    Instant now = Instant.now();
    String problem = checkClaims(claims, issuer, now);
    if (problem == null && formClientId != null && !formClientId.equals(clientId)) {
      problem = "client_id does not match the assertion's iss.";
    }
    if (problem == null && kid == null) {
      problem = "The assertion header has no kid.";
    }
    if (problem != null) {
      return Future.failedFuture(OAuthError.invalidClient(problem));
    }
    return registry
        .app(clientId)
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof Problem
                        ? OAuthError.invalidClient("Unknown client " + clientId + ".")
                        : e))
        .compose(
            app ->
                registry
                    .findKey(clientId, kid)
                    .compose(
                        key -> {
                          if (!app.active()) {
                            return Future.failedFuture(
                                new OAuthError("unauthorized_client", "The app is suspended."));
                          }
                          if (key == null) {
                            return Future.failedFuture(
                                OAuthError.invalidClient("The app has no key " + kid + "."));
                          }
                          if (!"ACTIVE".equals(key.status())) {
                            return Future.failedFuture(
                                OAuthError.invalidClient(
                                    "The key " + kid + " is " + key.status().toLowerCase() + "."));
                          }
                          if (!key.algorithm().jwsName().equals(jws.header().get("alg"))) {
                            return Future.failedFuture(
                                OAuthError.invalidClient(
                                    "The key "
                                        + kid
                                        + " signs with "
                                        + key.algorithm().jwsName()
                                        + "."));
                          }
                          if (!jws.verify(key.jwk())) {
                            return Future.failedFuture(
                                OAuthError.invalidClient("The assertion's signature is invalid."));
                          }
                          return useOnce(clientId, claims).map(v -> new Authenticated(app, key));
                        }));
  }

  private static String checkClaims(JsonObject claims, String issuer, Instant now) {
    String iss = claims.getString("iss");
    if (iss == null || !iss.equals(claims.getString("sub"))) {
      return "iss and sub must both be the client id.";
    }
    Object aud = claims.getValue("aud");
    boolean audOk = issuer.equals(aud) || (aud instanceof JsonArray list && list.contains(issuer));
    if (!audOk) {
      return "aud must be the issuer " + issuer + ".";
    }
    Long exp = claims.getLong("exp");
    if (exp == null) {
      return "exp is missing.";
    }
    if (Instant.ofEpochSecond(exp).isBefore(now.minus(LEEWAY))) {
      return "The assertion has expired.";
    }
    if (Instant.ofEpochSecond(exp).isAfter(now.plus(MAX_LIFETIME).plus(LEEWAY))) {
      return "exp may be at most 300 seconds ahead.";
    }
    Long iat = claims.getLong("iat");
    if (iat == null) {
      return "iat is missing.";
    }
    if (Instant.ofEpochSecond(iat).isAfter(now.plus(LEEWAY))) {
      return "iat is in the future.";
    }
    String jti = claims.getString("jti");
    if (jti == null || jti.isEmpty() || jti.length() > 128) {
      return "jti is missing (or longer than 128 characters).";
    }
    return null;
  }

  private Future<Void> useOnce(String clientId, JsonObject claims) {
    OffsetDateTime expires =
        OffsetDateTime.ofInstant(
            Instant.ofEpochSecond(claims.getLong("exp")).plus(LEEWAY), ZoneOffset.UTC);
    return pool.preparedQuery(
            "INSERT INTO assertion_ids (client_id, jti, expires_at) VALUES ($1, $2, $3)"
                + " ON CONFLICT DO NOTHING RETURNING 1")
        .execute(Tuple.of(clientId, claims.getString("jti"), expires))
        .compose(
            rows ->
                rows.size() == 1
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        OAuthError.invalidClient("This client assertion was already used.")));
  }
}
