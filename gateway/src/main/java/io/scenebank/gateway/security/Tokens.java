package io.scenebank.gateway.security;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.Ids;
import io.scenebank.sdk.internal.jose.Jws;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The gateway's own access tokens: short-lived JWTs signed by its Ed25519 key, bound to the client
 * key that authenticated ({@code cnf.jkt}), recorded so that they can be introspected and revoked.
 * They are verified with vertx-auth-jwt against the published JWKS, as any resource server would.
 * (Tokens of an external issuer are verified by {@link ExternalIssuer}.)
 */
public final class Tokens implements AccessTokens {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Tokens.class);

  static final long LEEWAY_SECONDS = 5;
  private static final long REFRESH_INTERVAL_NANOS = 5_000_000_000L;

  private final Vertx vertx;
  private final Pool pool;
  private final SigningKeys keys;
  private final VerificationKeys verificationKeys;
  private final Supplier<String> issuer;
  private final Duration ttl;
  private volatile List<JsonObject> verifierKeys;
  private volatile JWTAuth verifier;

  /**
   * @param verificationKeys the gateway's own public keys, which its tokens are verified with
   * @param issuer the gateway's issuer identifier: {@code iss} and {@code aud} of its tokens
   */
  public Tokens(
      Vertx vertx,
      Pool pool,
      SigningKeys keys,
      VerificationKeys verificationKeys,
      Supplier<String> issuer,
      Duration ttl) {
    this.vertx = vertx;
    this.pool = pool;
    this.keys = keys;
    this.verificationKeys = verificationKeys;
    this.issuer = issuer;
    this.ttl = ttl;
  }

  /** Issues a token for an authenticated client; returns the RFC 6749 token response. */
  public Future<JsonObject> issue(ClientAssertions.Authenticated client, Set<String> scopes) {
    SigningKeys.Active key = keys.current(SignatureAlgorithm.ED25519);
    Instant now = Instant.now();
    Instant exp = now.plus(ttl);
    String jti = Ids.next("at");
    String scope = String.join(" ", scopes);
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "EdDSA");
    header.put("kid", key.kid());
    header.put("typ", "at+jwt");
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer.get());
    claims.put("sub", client.app().clientId());
    claims.put("aud", issuer.get());
    claims.put("client_id", client.app().clientId());
    claims.put("scope", scope);
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", exp.getEpochSecond());
    claims.put("jti", jti);
    claims.put("cnf", Map.of("jkt", client.key().jwk().thumbprint()));
    String token = Jws.sign(header, claims, key.signer());
    return pool.preparedQuery(
            "INSERT INTO access_tokens (jti, client_id, kid, scope, issued_at, expires_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(
            Tuple.of(
                jti,
                client.app().clientId(),
                client.key().kid(),
                scope,
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
                OffsetDateTime.ofInstant(exp, ZoneOffset.UTC)))
        .map(
            v ->
                new JsonObject()
                    .put("access_token", token)
                    .put("token_type", "Bearer")
                    .put("expires_in", ttl.toSeconds())
                    .put("scope", scope));
  }

  /**
   * Verifies a bearer token (signature against the JWKS, issuer, audience, expiry); fails with a
   * 401 problem: {@code token_expired} or {@code token_invalid}. Revocation is checked by the
   * caller, together with the request's key, in one query.
   */
  @Override
  public Future<Claims> verify(String token) {
    Claims known = verified.get(token);
    if (known != null && known.expiresAt() > Instant.now().getEpochSecond() + LEEWAY_SECONDS) {
      return Future.succeededFuture(known);
    }
    return verifyAnew(token)
        .map(
            claims -> {
              if (verified.size() >= MAX_CACHED) {
                verified.clear();
              }
              verified.put(token, claims);
              return claims;
            });
  }

  /**
   * Tokens already verified, until they expire: a token is verified once, not on every request
   * (revocation and the key binding are still checked per request).
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Claims> verified =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_CACHED = 50_000;

  private Future<Claims> verifyAnew(String token) {
    if (token.split("\\.", -1).length != 3 || token.endsWith(".")) {
      // vertx-auth-jwt with no keys would treat a token as "unsecured" (alg none): never let it
      return Future.failedFuture(
          unauthorized("token_invalid", "The access token is not a signed JWT."));
    }
    Future<Void> ready =
        verificationKeys.current().isEmpty()
            ? verificationKeys.refresh().recover(Tokens::issuerUnavailable)
            : Future.succeededFuture();
    return ready
        .compose(
            v ->
                verificationKeys.current().isEmpty()
                    ? Future.failedFuture(new IllegalStateException("no token verification keys"))
                    : verifier().authenticate(new TokenCredentials(token)))
        .recover(
            e -> {
              if (e instanceof Problem unavailable) {
                return Future.failedFuture(unavailable);
              }
              String message = String.valueOf(e.getMessage());
              if (message.contains("expired")) {
                return Future.failedFuture(
                    unauthorized("token_expired", "The access token has expired; get a new one."));
              }
              if (e instanceof io.vertx.ext.auth.NoSuchKeyIdException && mayRefresh()) {
                // perhaps a key another instance just rotated in: reload once and retry
                return verificationKeys
                    .refresh()
                    .recover(Tokens::issuerUnavailable)
                    .compose(v -> verifier().authenticate(new TokenCredentials(token)))
                    .recover(
                        again ->
                            Future.failedFuture(
                                again instanceof Problem unavailable
                                    ? unavailable
                                    : unauthorized(
                                        "token_invalid", "The access token is not valid.")));
              }
              return Future.failedFuture(
                  unauthorized("token_invalid", "The access token is not valid."));
            })
        .compose(
            user -> {
              // the decoded claims, as vertx-auth-jwt keeps them
              JsonObject p = user.attributes().getJsonObject("accessToken");
              JsonObject cnf = p.getJsonObject("cnf");
              if (p.getLong("exp") == null
                  || cnf == null
                  || cnf.getString("jkt") == null
                  || p.getString("sub") == null) {
                return Future.failedFuture(
                    unauthorized("token_invalid", "The access token lacks exp, sub or cnf.jkt."));
              }
              return Future.succeededFuture(
                  new Claims(
                      p.getString("client_id", p.getString("sub")),
                      ClientRegistry.scopeSet(p.getString("scope")),
                      cnf.getString("jkt"),
                      p.getString("jti", ""),
                      p.getLong("exp")));
            });
  }

  /** RFC 7662: the token's claims if it is active and was issued to the asking client. */
  public Future<JsonObject> introspect(String token, String askingClientId) {
    // a token that does not verify is inactive; a database that cannot answer is not a "no"
    // (fail closed: the failure reaches the caller as 503, never as active:false)
    return verify(token)
        .transform(
            verified -> {
              if (verified.succeeded()) {
                return Future.succeededFuture(verified.result());
              }
              boolean refused =
                  verified.cause() instanceof Problem problem && problem.status() == 401;
              return refused
                  ? Future.succeededFuture((Claims) null)
                  : Future.failedFuture(verified.cause());
            })
        .compose(
            claims ->
                claims == null
                    ? Future.succeededFuture(new JsonObject().put("active", false))
                    : pool.preparedQuery(
                            "SELECT revoked_at IS NULL AS live FROM access_tokens WHERE jti = $1")
                        .execute(Tuple.of(claims.tokenId()))
                        .map(
                            rows -> {
                              boolean live =
                                  rows.size() == 1
                                      && rows.iterator().next().getBoolean("live")
                                      && claims.clientId().equals(askingClientId);
                              if (!live) {
                                return new JsonObject().put("active", false);
                              }
                              JsonObject p = decodeClaims(token);
                              return new JsonObject()
                                  .put("active", true)
                                  .put("scope", p.getString("scope"))
                                  .put("client_id", claims.clientId())
                                  .put("token_type", "Bearer")
                                  .put("exp", p.getLong("exp"))
                                  .put("iat", p.getLong("iat"))
                                  .put("sub", p.getString("sub"))
                                  .put("aud", p.getString("aud"))
                                  .put("iss", p.getString("iss"))
                                  .put("jti", p.getString("jti"))
                                  .put("cnf", p.getJsonObject("cnf"));
                            }));
  }

  /** RFC 7009: revokes the token if it belongs to the asking client; otherwise does nothing. */
  public Future<Void> revoke(String token, String askingClientId) {
    JsonObject claims;
    try {
      claims = decodeClaims(token);
    } catch (RuntimeException e) {
      return Future.succeededFuture(); // RFC 7009: an invalid token is not an error
    }
    return pool.preparedQuery(
            "UPDATE access_tokens SET revoked_at = coalesce(revoked_at, now())"
                + " WHERE jti = $1 AND client_id = $2")
        .execute(Tuple.of(claims.getString("jti", ""), askingClientId))
        .mapEmpty();
  }

  private static JsonObject decodeClaims(String token) {
    return new JsonObject(Jws.parse(token).claims());
  }

  private final java.util.concurrent.atomic.AtomicLong lastRefresh =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - REFRESH_INTERVAL_NANOS);

  /** At most one reload every 5 seconds, however many unknown kids arrive. */
  private boolean mayRefresh() {
    long now = System.nanoTime();
    long last = lastRefresh.get();
    return now - last > REFRESH_INTERVAL_NANOS && lastRefresh.compareAndSet(last, now);
  }

  private JWTAuth verifier() {
    List<JsonObject> current = verificationKeys.current();
    if (current != verifierKeys) {
      verifier =
          JWTAuth.create(
              vertx,
              new JWTAuthOptions()
                  .setJwks(current)
                  .setJWTOptions(
                      new JWTOptions()
                          .setIssuer(issuer.get())
                          .setAudience(List.of(issuer.get()))
                          .setLeeway((int) LEEWAY_SECONDS)));
      verifierKeys = current;
    }
    return verifier;
  }

  /**
   * The keys to verify tokens with cannot be read (the issuer's JWKS is unreachable or answers
   * garbage): not the caller's fault, so {@code 503}, and a log line that says what to check.
   */
  private static <T> Future<T> issuerUnavailable(Throwable cause) {
    LOG.atWarn()
        .addKeyValue("error", String.valueOf(cause.getMessage()))
        .log(
            "the gateway's token verification keys cannot be read from its database (tokens are"
                + " refused with 503 until they can)");
    return Future.failedFuture(
        new Problem(
                503,
                "service_unavailable",
                "Service unavailable",
                "The keys that access tokens are verified with cannot be read right now; retry"
                    + " shortly.")
            .withHeader("Retry-After", "5"));
  }

  static Problem unauthorized(String code, String detail) {
    return new Problem(401, code, "Unauthorized", detail)
        .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  }
}
