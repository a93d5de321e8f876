package io.scenebank.gateway.security;

import io.scenebank.gateway.config.Config.TokenIssuer;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.Contexts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Access tokens of an external OAuth 2.0 / OpenID Connect issuer ({@code SCENEBANK_TOKEN_ISSUER}),
 * verified through vertx-auth-oauth2.
 *
 * <ul>
 *   <li>The issuer's metadata is discovered from {@code <issuer>/.well-known/openid-configuration}
 *       (its {@code issuer} must be the configured one) and its keys read from the {@code jwks_uri}
 *       it names; or, for an issuer without discovery, the keys are read from {@code
 *       SCENEBANK_TOKEN_JWKS_URL}.
 *   <li>Keys follow rotation: a token naming a key id not among them reloads them (at most once
 *       every 5 seconds, however many such tokens arrive), and they are reloaded every 5 minutes
 *       (or as the JWKS answer's {@code Cache-Control: max-age} says), so that a key the issuer
 *       withdraws stops being trusted.
 *   <li>With the gateway's own credentials at the issuer ({@code
 *       SCENEBANK_TOKEN_INTROSPECTION_CLIENT_ID} and {@code _SECRET}), a token that cannot be
 *       verified locally (an opaque one, or one signed with a key the issuer does not publish) is
 *       introspected (RFC 7662) at the issuer's {@code introspection_endpoint}; an answer is
 *       trusted for at most 30 seconds.
 * </ul>
 *
 * Every accepted token must still be addressed to the gateway ({@code aud}), name a registered app
 * ({@code client_id}, {@code azp} or {@code sub}) and carry {@code cnf.jkt}, which the request's
 * signing key must match; its {@code scope} decides what it may do. An issuer that cannot be
 * reached means {@code 503 service_unavailable} (with a log line naming what to check), never an
 * accepted token.
 */
public final class ExternalIssuer implements AccessTokens {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ExternalIssuer.class);

  private static final long RETRY_NANOS = 5_000_000_000L;
  private static final long KEYS_MAX_AGE_SECONDS = 300;
  private static final long INTROSPECTED_SECONDS = 30;
  private static final int MAX_CACHED = 50_000;
  private static final String DISCOVERY = "/.well-known/openid-configuration";

  /**
   * The {@code typ} claims of access tokens (Keycloak writes one; RFC 9068 puts it in the header).
   */
  private static final java.util.Set<String> ACCESS_TOKEN_TYPES =
      java.util.Set.of("bearer", "dpop", "at+jwt");

  private final Vertx vertx;
  private final TokenIssuer settings;
  private final String issuer;
  private final Supplier<String> gateway;

  private final Object lock = new Object();
  private volatile Connected connected;
  private Future<Connected> connecting;
  private long failedAt;

  private long keysLoadedAt = System.nanoTime() - RETRY_NANOS;
  private Future<Void> keysLoading;

  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  /**
   * The issuer as discovered: a provider that verifies tokens with its keys (and never calls it per
   * token), and, with the gateway's credentials there, one that introspects.
   */
  private record Connected(
      OAuth2Auth keys, OAuth2Auth introspector, String acceptedIssuer, String introspection) {}

  private record Verified(Claims claims, long until) {}

  /**
   * @param gateway the gateway's own identifier ({@code SCENEBANK_PUBLIC_URL}): tokens must be
   *     addressed to it or to the issuer
   */
  public ExternalIssuer(Vertx vertx, TokenIssuer settings, Supplier<String> gateway) {
    this.vertx = vertx;
    this.settings = settings;
    this.issuer = withoutTrailingSlash(settings.issuer());
    this.gateway = gateway;
  }

  /**
   * Reads the issuer's metadata and keys once at start. A failure does not stop the gateway (the
   * issuer may be down for a moment): it is logged, and tried again when a token arrives.
   */
  public Future<Void> start() {
    return connection().<Void>mapEmpty().otherwiseEmpty();
  }

  @Override
  public Future<Claims> verify(String token) {
    Verified known = verified.get(token);
    long now = Instant.now().getEpochSecond();
    if (known != null && known.until() > now + Tokens.LEEWAY_SECONDS) {
      return Future.succeededFuture(known.claims());
    }
    Context caller = vertx.getOrCreateContext();
    return Contexts.onContext(
        caller,
        connection()
            .compose(c -> authenticate(c, token).map(user -> claims(c, user, token)))
            .map(
                v -> {
                  if (verified.size() >= MAX_CACHED) {
                    verified.clear();
                  }
                  verified.put(token, v);
                  return v.claims();
                }));
  }

  private Future<User> authenticate(Connected c, String token) {
    TokenCredentials credentials = new TokenCredentials(token);
    return c.keys()
        .authenticate(credentials)
        .recover(
            e ->
                e instanceof NoSuchKeyIdException
                    // perhaps a key the issuer has just rotated in: reload the keys, try again
                    ? reloadKeys(c).compose(v -> c.keys().authenticate(credentials))
                    : Future.failedFuture(e))
        .recover(
            e -> {
              if (e instanceof Problem unavailable) {
                return Future.failedFuture(unavailable);
              }
              LOG.atDebug()
                  .addKeyValue("reason", clip(String.valueOf(e.getMessage())))
                  .log("access token not verified with the issuer's keys");
              Problem refused = refusedOnSight(c, token);
              if (refused != null) {
                return Future.failedFuture(refused);
              }
              if (c.introspector() == null) {
                return Future.failedFuture(
                    Tokens.unauthorized("token_invalid", "The access token is not valid."));
              }
              // opaque to the gateway (or signed with a key the issuer does not publish)
              return c.introspector()
                  .authenticate(credentials)
                  .recover(x -> Future.failedFuture(introspectionRefusal(c, x)));
            });
  }

  /**
   * A token that claims to be expired, or to come from another issuer, is refused as such: no need
   * to ask the issuer (the claims are not trusted, only used to say why).
   */
  private Problem refusedOnSight(Connected c, String token) {
    JsonObject unverified = unverifiedClaims(token);
    if (unverified == null) {
      return null;
    }
    Object exp = unverified.getValue("exp");
    if (exp instanceof Number n
        && n.longValue() < Instant.now().getEpochSecond() - Tokens.LEEWAY_SECONDS) {
      return Tokens.unauthorized("token_expired", "The access token has expired; get a new one.");
    }
    Object iss = unverified.getValue("iss");
    if (iss instanceof String other && !other.equals(c.acceptedIssuer())) {
      LOG.atInfo()
          .addKeyValue("token_issuer", clip(other))
          .log(
              "refused an access token of another issuer: this gateway trusts only the one"
                  + " SCENEBANK_TOKEN_ISSUER names");
      return Tokens.unauthorized(
          "token_invalid",
          "The access token was issued by "
              + clip(other)
              + "; this gateway accepts tokens of "
              + c.acceptedIssuer()
              + " only.");
    }
    return null;
  }

  /** The introspection endpoint did not say "active": a refusal, or it could not answer (503). */
  private Problem introspectionRefusal(Connected c, Throwable e) {
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("Inactive Token") || message.contains("expired")) {
      return Tokens.unauthorized("token_invalid", "The access token is not active.");
    }
    LOG.atWarn()
        .addKeyValue("introspection_endpoint", c.introspection())
        .addKeyValue("error", clip(message))
        .log(
            "the token introspection endpoint cannot be used: check that it is reachable and"
                + " that SCENEBANK_TOKEN_INTROSPECTION_CLIENT_ID and _SECRET are the gateway's"
                + " credentials at the issuer (such tokens are refused with 503 until then)");
    return unavailable();
  }

  /** The accepted token's claims, checked: audience, issuer, binding, client. */
  private Verified claims(Connected c, User user, String token) {
    JsonObject local = user.attributes().getJsonObject("accessToken");
    boolean introspected = local == null;
    JsonObject p = introspected ? user.principal() : local;
    if (introspected && !Boolean.TRUE.equals(p.getValue("active"))) {
      throw Tokens.unauthorized("token_invalid", "The access token is not active.");
    }
    Object iss = p.getValue("iss");
    if (iss == null ? !introspected : !c.acceptedIssuer().equals(iss)) {
      throw Tokens.unauthorized("token_invalid", "The access token names no or another issuer.");
    }
    if (!addressedToUs(p.getValue("aud"), c)) {
      throw Tokens.unauthorized(
          "token_invalid",
          "The access token is not addressed to this gateway: its aud must include "
              + gateway.get()
              + ".");
    }
    Object typ = p.getValue("typ");
    if (typ instanceof String t
        && !ACCESS_TOKEN_TYPES.contains(t.toLowerCase(java.util.Locale.ROOT))) {
      throw Tokens.unauthorized("token_invalid", "The token is not an access token.");
    }
    JsonObject cnf = p.getValue("cnf") instanceof JsonObject o ? o : null;
    String jkt = cnf == null ? null : stringOrNull(cnf.getValue("jkt"));
    String clientId = firstString(p.getValue("client_id"), p.getValue("azp"), p.getValue("sub"));
    Object exp = p.getValue("exp");
    if (!(exp instanceof Number expiry) || jkt == null || clientId == null) {
      throw Tokens.unauthorized(
          "token_invalid",
          "The access token lacks exp, a client (client_id, azp or sub) or cnf.jkt: the issuer"
              + " must bind it to the key that signs the requests (DPoP, RFC 9449).");
    }
    Object scope = p.getValue("scope");
    Claims claims =
        new Claims(
            clientId,
            ClientRegistry.scopeSet(scope instanceof String s ? s : null),
            jkt,
            java.util.Objects.requireNonNullElse(firstString(p.getValue("jti")), ""),
            expiry.longValue());
    long until =
        introspected
            ? Math.min(expiry.longValue(), Instant.now().getEpochSecond() + INTROSPECTED_SECONDS)
            : expiry.longValue();
    return new Verified(claims, until);
  }

  private boolean addressedToUs(Object aud, Connected c) {
    List<?> audiences =
        aud instanceof String one
            ? List.of(one)
            : aud instanceof JsonArray many ? many.getList() : List.of();
    return audiences.contains(gateway.get())
        || audiences.contains(c.acceptedIssuer())
        || settings.introspectionClientId().map(audiences::contains).orElse(false);
  }

  /** Who tokens may be addressed to: the gateway, the issuer, the gateway's client there. */
  private List<String> audiences() {
    List<String> audiences = new java.util.ArrayList<>(List.of(gateway.get(), issuer));
    settings.introspectionClientId().ifPresent(audiences::add);
    return audiences;
  }

  /** The metadata and keys, read once; after a failure, again at most every 5 seconds. */
  private Future<Connected> connection() {
    Connected ready = connected;
    if (ready != null) {
      return Future.succeededFuture(ready);
    }
    synchronized (lock) {
      if (connected != null) {
        return Future.succeededFuture(connected);
      }
      if (connecting != null) {
        return connecting;
      }
      if (failedAt != 0 && System.nanoTime() - failedAt < RETRY_NANOS) {
        return Future.failedFuture(unavailable());
      }
      // one attempt at a time; every caller waiting on it gets the same 503 if it fails
      Future<Connected> attempt =
          connect()
              .recover(
                  e -> {
                    LOG.atWarn()
                        .addKeyValue("issuer", issuer)
                        .addKeyValue("error", clip(String.valueOf(e.getMessage())))
                        .log(
                            settings.jwksUrl().isPresent()
                                ? "the token issuer's keys cannot be read: check that"
                                    + " SCENEBANK_TOKEN_JWKS_URL answers a JWKS (tokens are"
                                    + " refused with 503 until it does)"
                                : "the token issuer's OpenID metadata or keys cannot be read:"
                                    + " check that SCENEBANK_TOKEN_ISSUER is the issuer's"
                                    + " identifier, that "
                                    + issuer
                                    + DISCOVERY
                                    + " answers and names it as its issuer, and that its"
                                    + " jwks_uri answers (tokens are refused with 503 until"
                                    + " then)");
                    return Future.failedFuture(unavailable());
                  });
      connecting = attempt;
      attempt.onComplete(
          ar -> {
            synchronized (lock) {
              if (connecting == attempt) {
                connecting = null;
              }
              if (ar.succeeded()) {
                connected = ar.result();
                failedAt = 0;
              } else {
                failedAt = System.nanoTime();
              }
            }
          });
      return attempt;
    }
  }

  private Future<Connected> connect() {
    boolean introspect = settings.introspectionClientId().isPresent();
    OAuth2Options options =
        new OAuth2Options()
            .setSite(issuer)
            // the gateway's name at the issuer; only introspection uses it
            .setClientId(settings.introspectionClientId().orElse("scenebank-gateway"))
            .setClientSecret(settings.introspectionClientSecret().orElse(null))
            .setValidateIssuer(true)
            .setHttpClientOptions(
                new HttpClientOptions().setConnectTimeout(5_000).setIdleTimeout(10))
            .setJWTOptions(
                new JWTOptions()
                    .setIssuer(issuer)
                    .setAudience(audiences())
                    .setLeeway((int) Tokens.LEEWAY_SECONDS));
    options.setJwkMaxAgeInSeconds(KEYS_MAX_AGE_SECONDS);
    Future<OAuth2Auth> provider;
    if (settings.jwksUrl().isPresent()) {
      options.setJwkPath(settings.jwksUrl().get());
      OAuth2Auth keysOnly;
      try {
        keysOnly = OAuth2Auth.create(vertx, options);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      provider = keysOnly.jWKSet().map(keysOnly);
    } else {
      provider = OpenIDConnectAuth.discover(vertx, options);
    }
    return provider.map(
        keys -> {
          // discovery filled in these endpoints, and the provider reads them from the same
          // options at each token: it must neither introspect nor call userinfo
          String introspection = options.getIntrospectionPath();
          options.setUserInfoPath(null);
          options.setIntrospectionPath(null);
          OAuth2Auth introspector = null;
          if (introspect && introspection != null) {
            // no keys: every token it is given goes to the introspection endpoint
            introspector =
                OAuth2Auth.create(
                    vertx, new OAuth2Options(options).setIntrospectionPath(introspection));
          } else if (introspect) {
            LOG.atWarn()
                .addKeyValue("issuer", issuer)
                .log(
                    "the token issuer publishes no introspection_endpoint: tokens that cannot be"
                        + " verified with its keys are refused");
          }
          synchronized (lock) {
            keysLoadedAt = System.nanoTime();
          }
          String accepted = options.getJWTOptions().getIssuer();
          LOG.atInfo()
              .addKeyValue("issuer", accepted)
              .addKeyValue("introspection", introspector != null)
              .log("verifying access tokens of the external issuer");
          return new Connected(
              keys,
              introspector,
              accepted == null ? issuer : accepted,
              introspector == null ? null : introspection);
        });
  }

  /**
   * Reloads the keys: one reload at a time, and at most one every 5 seconds (a token that arrives
   * sooner waits for the next one), however many unknown key ids arrive.
   */
  private Future<Void> reloadKeys(Connected c) {
    synchronized (lock) {
      if (keysLoading != null) {
        return keysLoading;
      }
      io.vertx.core.Promise<Void> reloaded = io.vertx.core.Promise.promise();
      Future<Void> future = reloaded.future();
      keysLoading = future;
      Runnable reload =
          () ->
              c.keys()
                  .jWKSet()
                  .onComplete(
                      ar -> {
                        synchronized (lock) {
                          keysLoading = null;
                          keysLoadedAt = System.nanoTime();
                        }
                        if (ar.succeeded()) {
                          reloaded.complete();
                          return;
                        }
                        LOG.atWarn()
                            .addKeyValue("issuer", c.acceptedIssuer())
                            .addKeyValue("error", clip(String.valueOf(ar.cause().getMessage())))
                            .log(
                                "the token issuer's keys cannot be reloaded: check that its"
                                    + " jwks_uri (or SCENEBANK_TOKEN_JWKS_URL) answers");
                        reloaded.fail(unavailable());
                      });
      long waitMillis = (RETRY_NANOS - (System.nanoTime() - keysLoadedAt)) / 1_000_000;
      if (waitMillis <= 0) {
        reload.run();
      } else {
        vertx.setTimer(waitMillis, t -> reload.run());
      }
      return future;
    }
  }

  private static Problem unavailable() {
    return new Problem(
            503,
            "service_unavailable",
            "Service unavailable",
            "The access token cannot be checked with its issuer right now; retry shortly.")
        .withHeader("Retry-After", "5");
  }

  /** The payload of a JWT as it claims to be, unverified: only to say why it was refused. */
  private static JsonObject unverifiedClaims(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[1].length() > 16_384) {
      return null;
    }
    try {
      return new JsonObject(
          new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  private static String firstString(Object... values) {
    for (Object v : values) {
      if (v instanceof String s && !s.isEmpty()) {
        return s;
      }
    }
    return null;
  }

  private static String stringOrNull(Object value) {
    return value instanceof String s && !s.isEmpty() ? s : null;
  }

  private static String clip(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
