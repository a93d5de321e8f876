package io.scenebank.gateway.security;

import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.http.RequestIdHandler;
import io.scenebank.gateway.http.Responses;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The authorization server: RFC 8414 metadata, the JWKS, and the token (client_credentials with
 * private_key_jwt), introspection (RFC 7662) and revocation (RFC 7009) endpoints. Errors follow RFC
 * 6749 §5.2.
 */
public final class OAuthApi {

  static final List<String> SCOPES =
      List.of("care", "bills", "payments", "merchants", "canteen", "events", "sandbox", "operator");

  private final ClientAssertions assertions;
  private final Tokens tokens;
  private final SigningKeys keys;
  private final RateLimiter perClient;
  private final Supplier<String> issuer;
  private final java.util.Optional<String> externalIssuer;

  /**
   * @param externalIssuer the identity provider whose tokens the gateway accepts instead of its
   *     own, if any: then it issues none
   */
  public OAuthApi(
      ClientAssertions assertions,
      Tokens tokens,
      SigningKeys keys,
      RateLimiter perClient,
      Supplier<String> issuer,
      java.util.Optional<String> externalIssuer) {
    this.externalIssuer = externalIssuer;
    this.assertions = assertions;
    this.tokens = tokens;
    this.keys = keys;
    this.perClient = perClient;
    this.issuer = issuer;
  }

  public void register(Operations operations) {
    operations
        .add("getAuthorizationServerMetadata", this::metadata)
        .add("getJwks", ctx -> Responses.json(ctx, 200, keys.jwks()))
        .add("createToken", ctx -> formEndpoint(ctx, this::token))
        .add("introspectToken", ctx -> formEndpoint(ctx, this::introspect))
        .add("revokeToken", ctx -> formEndpoint(ctx, this::revoke));
  }

  private void metadata(RoutingContext ctx) {
    String iss = issuer.get();
    JsonArray algorithms = new JsonArray();
    JsonArray jwsAlgorithms = new JsonArray();
    for (SignatureAlgorithm a : SignatureAlgorithm.values()) {
      algorithms.add(a.httpName());
      jwsAlgorithms.add(a.jwsName());
    }
    JsonArray privateKeyJwt = new JsonArray().add("private_key_jwt");
    Responses.json(
        ctx,
        200,
        new JsonObject()
            .put("issuer", iss)
            .put("token_endpoint", iss + "/oauth2/token")
            .put("jwks_uri", iss + "/oauth2/jwks")
            .put("introspection_endpoint", iss + "/oauth2/introspect")
            .put("revocation_endpoint", iss + "/oauth2/revoke")
            .put("scopes_supported", new JsonArray(SCOPES))
            .put("grant_types_supported", new JsonArray().add("client_credentials"))
            .put("response_types_supported", new JsonArray())
            .put("token_endpoint_auth_methods_supported", privateKeyJwt)
            .put("token_endpoint_auth_signing_alg_values_supported", jwsAlgorithms)
            .put("introspection_endpoint_auth_methods_supported", privateKeyJwt)
            .put("revocation_endpoint_auth_methods_supported", privateKeyJwt)
            .put("http_message_signature_algorithms_supported", algorithms));
  }

  private interface FormHandler {
    Future<JsonObject> handle(RoutingContext ctx, Map<String, String> form);
  }

  private void formEndpoint(RoutingContext ctx, FormHandler handler) {
    Future<JsonObject> answer;
    try {
      perClient.acquire("token:" + ctx.request().remoteAddress().hostAddress());
      answer = handler.handle(ctx, form(ctx));
    } catch (OAuthError e) {
      answer = Future.failedFuture(e);
    }
    answer
        .onSuccess(body -> Responses.json(ctx, 200, body))
        .onFailure(
            e -> {
              if (e instanceof OAuthError oauth) {
                Responses.json(
                    ctx,
                    oauth.status(),
                    new JsonObject()
                        .put("error", oauth.error())
                        .put("error_description", oauth.getMessage())
                        .put("request_id", RequestIdHandler.requestId(ctx)));
              } else {
                ctx.fail(e);
              }
            });
  }

  private Future<JsonObject> token(RoutingContext ctx, Map<String, String> form) {
    if (externalIssuer.isPresent()) {
      // its own tokens would be refused by its own API: say where tokens come from
      throw new OAuthError(
          "unsupported_grant_type",
          "This gateway accepts the access tokens of "
              + externalIssuer.get()
              + " only: get them there (client credentials, bound to your registered key with"
              + " DPoP).");
    }
    if (!"client_credentials".equals(form.get("grant_type"))) {
      throw new OAuthError(
          form.containsKey("grant_type") ? "unsupported_grant_type" : "invalid_request",
          "grant_type must be client_credentials.");
    }
    return assertions
        .authenticate(form, issuer.get(), form.get("client_id"))
        .compose(
            client -> {
              perClient.acquire("token-app:" + client.app().clientId());
              Set<String> granted = new LinkedHashSet<>(client.app().scopes());
              Set<String> scopes = granted;
              String asked = form.get("scope");
              if (asked != null && !asked.isBlank()) {
                scopes = new LinkedHashSet<>(Arrays.asList(asked.trim().split(" +")));
                if (!granted.containsAll(scopes)) {
                  scopes.removeAll(granted);
                  return Future.failedFuture(
                      new OAuthError(
                          "invalid_scope", "The app is not granted the scopes " + scopes + "."));
                }
              }
              return tokens.issue(client, scopes);
            });
  }

  private Future<JsonObject> introspect(RoutingContext ctx, Map<String, String> form) {
    String token = required(form, "token");
    return assertions
        .authenticate(form, issuer.get(), form.get("client_id"))
        .compose(client -> tokens.introspect(token, client.app().clientId()));
  }

  private Future<JsonObject> revoke(RoutingContext ctx, Map<String, String> form) {
    String token = required(form, "token");
    return assertions
        .authenticate(form, issuer.get(), form.get("client_id"))
        .compose(client -> tokens.revoke(token, client.app().clientId()))
        .map(v -> new JsonObject());
  }

  private static String required(Map<String, String> form, String name) {
    String value = form.get(name);
    if (value == null || value.isEmpty()) {
      throw OAuthError.invalidRequest(name + " is required.");
    }
    return value;
  }

  /**
   * The form body (application/x-www-form-urlencoded). A parameter given twice is invalid (RFC 6749
   * §3.2); unknown parameters are ignored.
   */
  static Map<String, String> form(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      throw OAuthError.invalidRequest("The body must be application/x-www-form-urlencoded.");
    }
    String body = ctx.body().asString(StandardCharsets.UTF_8.name());
    Map<String, String> form = new HashMap<>();
    if (body == null || body.isEmpty()) {
      return form;
    }
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (form.put(name, value) != null) {
          throw OAuthError.invalidRequest("The parameter " + name + " is given more than once.");
        }
      } catch (IllegalArgumentException e) {
        throw OAuthError.invalidRequest("The form body is not correctly URL-encoded.");
      }
    }
    return form;
  }
}
