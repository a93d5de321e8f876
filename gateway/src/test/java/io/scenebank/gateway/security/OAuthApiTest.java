package io.scenebank.gateway.security;

import static io.scenebank.gateway.testing.ContractAssert.assertResponseMatches;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.internal.jose.Jws;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The authorization server: discovery, JWKS, token, introspection, revocation. */
class OAuthApiTest {

  static TestApp app;
  static Http http;

  @BeforeAll
  static void app() {
    app = TestApp.create(SignatureAlgorithm.RSA_PSS_SHA512, "care", "bills");
    http = new Http(TestGateway.shared().port());
  }

  private static JsonObject tokenError(Http.Response response, int status, String error) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    JsonObject body = assertResponseMatches("createToken", response);
    assertThat(body.getString("error")).isEqualTo(error);
    assertThat(body.getString("request_id")).isEqualTo(response.header("X-Request-Id"));
    return body;
  }

  @Test
  void metadata_describesTheServer() {
    JsonObject metadata =
        assertResponseMatches(
            "getAuthorizationServerMetadata", http.get("/.well-known/oauth-authorization-server"));
    String issuer = app.gateway().issuer();
    assertThat(metadata.getString("issuer")).isEqualTo(issuer);
    assertThat(metadata.getString("token_endpoint")).isEqualTo(issuer + "/oauth2/token");
    assertThat(metadata.getJsonArray("token_endpoint_auth_methods_supported"))
        .containsExactly("private_key_jwt");
    assertThat(metadata.getJsonArray("http_message_signature_algorithms_supported"))
        .contains("ed25519", "ecdsa-p256-sha256", "rsa-pss-sha512", "sm2-sm3");
  }

  @Test
  void jwks_publishesTheGatewaysEd25519AndSm2Keys_publicPartsOnly() {
    JsonObject jwks = assertResponseMatches("getJwks", http.get("/oauth2/jwks"));
    JsonArray keys = jwks.getJsonArray("keys");
    assertThat(keys.stream().map(k -> ((JsonObject) k).getString("crv")))
        .contains("Ed25519", "SM2");
    for (Object k : keys) {
      JsonObject key = (JsonObject) k;
      assertThat(key.containsKey("d")).isFalse();
      assertThat(PublicJwk.parse(key.getMap()).keyId()).isEqualTo(key.getString("kid"));
    }
  }

  @Test
  void token_forAValidAssertion_isABoundShortLivedJwt() {
    Http.Response response = app.tokenResponse(app.assertion(app.key().signer(), Map.of()), null);

    JsonObject body = assertResponseMatches("createToken", response);
    assertThat(body.getString("token_type")).isEqualTo("Bearer");
    assertThat(body.getLong("expires_in")).isBetween(1L, 600L);
    assertThat(body.getString("scope")).isEqualTo("care bills");
    Jws token = Jws.parse(body.getString("access_token"));
    assertThat(token.header()).containsEntry("alg", "EdDSA").containsEntry("typ", "at+jwt");
    JsonObject claims = new JsonObject(new HashMap<>(token.claims()));
    assertThat(claims.getString("sub")).isEqualTo(app.clientId());
    assertThat(claims.getString("iss")).isEqualTo(app.gateway().issuer());
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isLessThanOrEqualTo(600);
    assertThat(claims.getJsonObject("cnf").getString("jkt"))
        .isEqualTo(app.key().publicJwk().thumbprint());
  }

  @Test
  void token_withNarrowerScope_grantsOnlyThat_andUngrantedScopeIsInvalidScope() {
    JsonObject narrow =
        app.tokenResponse(app.assertion(app.key().signer(), Map.of()), "bills").json();
    assertThat(narrow.getString("scope")).isEqualTo("bills");

    tokenError(
        app.tokenResponse(app.assertion(app.key().signer(), Map.of()), "care operator"),
        400,
        "invalid_scope");
  }

  @Test
  void token_assertionReplayed_isInvalidClient() {
    String assertion = app.assertion(app.key().signer(), Map.of());
    assertThat(app.tokenResponse(assertion, null).status()).isEqualTo(200);

    tokenError(app.tokenResponse(assertion, null), 401, "invalid_client");
  }

  @Test
  void token_assertionWithoutIat_isInvalidClient() {
    Map<String, Object> noIat = new java.util.HashMap<>();
    noIat.put("iat", null);
    tokenError(
        app.tokenResponse(app.assertion(app.key().signer(), noIat), null), 401, "invalid_client");
  }

  @Test
  void token_badAssertions_areInvalidClient() {
    long now = Instant.now().getEpochSecond();
    GeneratedKey stranger = Keys.generate(SignatureAlgorithm.RSA_PSS_SHA512, app.key().keyId());
    // signed by a key that merely claims the registered kid
    tokenError(
        app.tokenResponse(app.assertion(stranger.signer(), Map.of()), null), 401, "invalid_client");
    // aud is not the issuer
    tokenError(
        app.tokenResponse(
            app.assertion(app.key().signer(), Map.of("aud", "https://elsewhere")), null),
        401,
        "invalid_client");
    // expired, and too long-lived
    tokenError(
        app.tokenResponse(app.assertion(app.key().signer(), Map.of("exp", now - 120)), null),
        401,
        "invalid_client");
    tokenError(
        app.tokenResponse(app.assertion(app.key().signer(), Map.of("exp", now + 3600)), null),
        401,
        "invalid_client");
    // no jti
    Map<String, Object> noJti = new HashMap<>();
    noJti.put("jti", null);
    tokenError(
        app.tokenResponse(app.assertion(app.key().signer(), noJti), null), 401, "invalid_client");
    // sub is someone else
    tokenError(
        app.tokenResponse(
            app.assertion(app.key().signer(), Map.of("sub", "app_someoneElse0000000")), null),
        401,
        "invalid_client");
    // unknown client
    tokenError(
        app.tokenResponse(
            app.assertion(
                app.key().signer(),
                Map.of("iss", "app_unknown00000000000", "sub", "app_unknown00000000000")),
            null),
        401,
        "invalid_client");
    // garbage
    tokenError(app.tokenResponse("not.a.jws", null), 401, "invalid_client");
  }

  @Test
  void token_wrongGrantOrForm_isInvalidRequestOrUnsupportedGrant() {
    String assertion = app.assertion(app.key().signer(), Map.of());
    tokenError(
        http.post(
            "/oauth2/token",
            "grant_type=password&client_assertion=" + assertion,
            "Content-Type",
            "application/x-www-form-urlencoded"),
        400,
        "unsupported_grant_type");
    tokenError(
        http.post(
            "/oauth2/token",
            "grant_type=client_credentials&grant_type=client_credentials",
            "Content-Type",
            "application/x-www-form-urlencoded"),
        400,
        "invalid_request");
    tokenError(
        http.post("/oauth2/token", "{}", "Content-Type", "application/json"),
        400,
        "invalid_request");
  }

  @Test
  void introspect_ownTokenIsActive_othersAndRevokedAreNot() {
    String token = app.token(app.key().signer(), null);
    JsonObject own = introspect(app, token);
    assertThat(own.getBoolean("active")).isTrue();
    assertThat(own.getString("client_id")).isEqualTo(app.clientId());
    assertThat(own.getJsonObject("cnf").getString("jkt"))
        .isEqualTo(app.key().publicJwk().thumbprint());

    TestApp other = TestApp.create(SignatureAlgorithm.ED25519, "care");
    assertThat(introspect(other, token).getBoolean("active")).isFalse();
    assertThat(introspect(app, "garbage").getBoolean("active")).isFalse();

    Http.Response revoked = form(app, "/oauth2/revoke", token);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(introspect(app, token).getBoolean("active")).isFalse();
  }

  @Test
  void revoke_anotherClientsToken_doesNothing() {
    TestApp other = TestApp.create(SignatureAlgorithm.ED25519, "care");
    String token = app.token(app.key().signer(), null);

    assertThat(form(other, "/oauth2/revoke", token).status()).isEqualTo(200);

    assertThat(introspect(app, token).getBoolean("active")).isTrue();
  }

  private static JsonObject introspect(TestApp asker, String token) {
    Http.Response response = form(asker, "/oauth2/introspect", token);
    return assertResponseMatches("introspectToken", response);
  }

  private static Http.Response form(TestApp asker, String path, String token) {
    String body =
        "token="
            + token
            + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
            + "&client_assertion="
            + asker.assertion(asker.key().signer(), Map.of());
    return http.post(path, body, "Content-Type", "application/x-www-form-urlencoded");
  }
}
