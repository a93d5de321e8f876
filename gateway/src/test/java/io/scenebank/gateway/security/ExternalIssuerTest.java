package io.scenebank.gateway.security;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.testing.FleetDatabase;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.Keycloak;
import io.scenebank.gateway.testing.LogCapture;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access tokens of an external OpenID Connect issuer: a real Keycloak server, started by the test.
 * The gateway discovers it from {@code SCENEBANK_TOKEN_ISSUER} alone, verifies its tokens with the
 * keys it publishes (following their rotation), introspects the tokens it cannot verify when it has
 * credentials there, and still applies the key binding ({@code cnf.jkt}, which Keycloak fills from
 * a DPoP proof) and the scopes.
 */
class ExternalIssuerTest {

  private static final String PUBLIC_URL = "https://api.scenebank.test";
  private static final String REALM = "open-banking";
  private static final String GATEWAY_CLIENT = "scenebank-gateway";
  private static final String GATEWAY_SECRET = UUID.randomUUID().toString();

  private static Keycloak keycloak;
  private static FleetDatabase postgres;

  /** Discovers Keycloak and may introspect there. */
  private static Gateway introspecting;

  /** Discovers Keycloak; verifies with its keys only. */
  private static Gateway keysOnly;

  /** Names a realm that does not exist. */
  private static Gateway misconfigured;

  /** Introspects with a wrong secret. */
  private static Gateway wrongSecret;

  @BeforeAll
  static void start() throws Exception {
    keycloak = Keycloak.start(); // it starts while the database and the gateways do
    postgres = FleetDatabase.start("issuer", PUBLIC_URL);
    Map<String, String> shared = postgres.settings();
    keycloak.awaitReady();
    keycloak.createRealm(REALM, "care", "bills");
    keycloak.createClient(
        REALM, GATEWAY_CLIENT, GATEWAY_SECRET, List.of(PUBLIC_URL), List.of(), Map.of());

    shared.put("SCENEBANK_TOKEN_ISSUER", keycloak.issuer(REALM));
    keysOnly = TestGateway.start(TestGateway.newDataDir("issuer-keys"), shared);
    Map<String, String> withIntrospection = new HashMap<>(shared);
    withIntrospection.put("SCENEBANK_TOKEN_INTROSPECTION_CLIENT_ID", GATEWAY_CLIENT);
    withIntrospection.put("SCENEBANK_TOKEN_INTROSPECTION_CLIENT_SECRET", GATEWAY_SECRET);
    introspecting =
        TestGateway.start(TestGateway.newDataDir("issuer-introspect"), withIntrospection);
    Map<String, String> badSecret = new HashMap<>(withIntrospection);
    badSecret.put("SCENEBANK_TOKEN_INTROSPECTION_CLIENT_SECRET", "not-the-secret");
    wrongSecret = TestGateway.start(TestGateway.newDataDir("issuer-bad-secret"), badSecret);
    Map<String, String> nowhere = new HashMap<>(shared);
    nowhere.put("SCENEBANK_TOKEN_ISSUER", keycloak.issuer("no-such-realm"));
    misconfigured = TestGateway.start(TestGateway.newDataDir("issuer-nowhere"), nowhere);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Gateway g : new Gateway[] {introspecting, keysOnly, misconfigured, wrongSecret}) {
      if (g != null) {
        await(g.stop());
      }
    }
    if (postgres != null) {
      postgres.close();
    }
    if (keycloak != null) {
      keycloak.close();
    }
  }

  /** An app registered at the gateway, and the same client id at Keycloak. */
  private record Partner(TestApp app, String secret) {
    TestApp on(Gateway gateway) {
      return new TestApp(gateway, app.clientId(), app.key());
    }

    String token(String scope) {
      return keycloak.token(REALM, app.clientId(), secret, scope, app.key());
    }
  }

  private static Partner partner(SignatureAlgorithm algorithm, Map<String, String> attributes) {
    TestApp app = TestApp.signUp(keysOnly, algorithm);
    String secret = UUID.randomUUID().toString();
    // addressed to the gateway, as its URL and as its client at Keycloak (which introspects)
    keycloak.createClient(
        REALM,
        app.clientId(),
        secret,
        List.of(PUBLIC_URL, GATEWAY_CLIENT),
        List.of("care", "bills"),
        attributes);
    return new Partner(app, secret);
  }

  private static Http.Response get(TestApp app, String path, String token) {
    return app.request("GET", path).token(token).send();
  }

  private static void assertOk(Http.Response response) {
    assertThat(response.status()).as("%s", response.body()).isEqualTo(200);
  }

  @Test
  void aDpopBoundKeycloakToken_isAccepted_andItsScopesApply() {
    for (SignatureAlgorithm algorithm :
        List.of(SignatureAlgorithm.ED25519, SignatureAlgorithm.ECDSA_P256_SHA256)) {
      Partner partner = partner(algorithm, Map.of());
      String token = partner.token("care");

      assertOk(get(partner.on(keysOnly), "/v1/care/credit-lines", token));
      JsonObject refused =
          assertProblem(
              get(partner.on(keysOnly), "/v1/bills/billers", token), 403, "insufficient_scope");
      assertThat(refused.getString("detail")).contains("bills");
    }
  }

  @Test
  void theGatewaysOwnTokenEndpoint_namesTheIssuerInstead() {
    TestApp app = TestApp.signUp(keysOnly, SignatureAlgorithm.ED25519);
    Http.Response answer = app.tokenResponse(app.assertion(app.key().signer(), Map.of()), "care");

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.json().getString("error")).isEqualTo("unsupported_grant_type");
    assertThat(answer.json().getString("error_description")).contains(keycloak.issuer(REALM));
  }

  @Test
  void aTokenBoundToAnotherKey_orToNone_isRefused() {
    Partner partner = partner(SignatureAlgorithm.ED25519, Map.of());
    GeneratedKey stranger = Keys.generate(SignatureAlgorithm.ED25519, "stranger");
    String boundElsewhere =
        keycloak.token(REALM, partner.app().clientId(), partner.secret(), "care", stranger);
    String unbound =
        keycloak.token(REALM, partner.app().clientId(), partner.secret(), "care", null);

    assertProblem(
        get(partner.on(keysOnly), "/v1/care/credit-lines", boundElsewhere),
        401,
        "token_key_mismatch");
    JsonObject noBinding =
        assertProblem(
            get(partner.on(keysOnly), "/v1/care/credit-lines", unbound), 401, "token_invalid");
    assertThat(noBinding.getString("detail")).contains("cnf.jkt");
  }

  @Test
  void keysFollowTheIssuersRotation() {
    Partner partner = partner(SignatureAlgorithm.ED25519, Map.of());
    String before = partner.token("care");
    assertOk(get(partner.on(keysOnly), "/v1/care/credit-lines", before));

    keycloak.rotateKeys(REALM, 1_000);
    String after = partner.token("care");

    assertThat(Keycloak.keyIdOf(after)).isNotEqualTo(Keycloak.keyIdOf(before));
    try (LogCapture log = new LogCapture()) {
      assertOk(get(partner.on(keysOnly), "/v1/care/credit-lines", after));
      // the keys were reloaded; Keycloak's encryption key (RSA-OAEP) among them is no warning
      assertThat(log.lines()).noneMatch(l -> l.contains("Unsupported JWK"));
    }
  }

  @Test
  void aTokenTheGatewayCannotVerify_isIntrospected_whenItHasCredentials() {
    // signed with the realm's HMAC key, which the issuer does not publish: opaque to the gateway
    Partner partner =
        partner(SignatureAlgorithm.ED25519, Map.of("access.token.signed.response.alg", "HS512"));
    String opaque = partner.token("care");

    assertOk(get(partner.on(introspecting), "/v1/care/credit-lines", opaque));
    assertProblem(get(partner.on(keysOnly), "/v1/care/credit-lines", opaque), 401, "token_invalid");
    // the introspected answer carries the scope and the binding, which still apply
    assertProblem(
        get(partner.on(introspecting), "/v1/bills/billers", opaque), 403, "insufficient_scope");

    String revoked = partner.token("care");
    keycloak.revoke(REALM, partner.app().clientId(), partner.secret(), revoked);
    assertProblem(
        get(partner.on(introspecting), "/v1/care/credit-lines", revoked), 401, "token_invalid");
    assertProblem(
        get(partner.on(introspecting), "/v1/care/credit-lines", "not-a-token-at-all"),
        401,
        "token_invalid");
  }

  @Test
  void aTokenOfAnotherIssuer_isRefusedNamingTheIssuerTrusted() {
    keycloak.createRealm("elsewhere", "care");
    TestApp app = TestApp.signUp(keysOnly, SignatureAlgorithm.ED25519);
    String secret = UUID.randomUUID().toString();
    keycloak.createClient(
        "elsewhere", app.clientId(), secret, List.of(PUBLIC_URL), List.of("care"), Map.of());
    String foreign = keycloak.token("elsewhere", app.clientId(), secret, "care", app.key());

    for (Gateway gateway : List.of(keysOnly, introspecting)) {
      JsonObject refused =
          assertProblem(
              get(
                  new TestApp(gateway, app.clientId(), app.key()),
                  "/v1/care/credit-lines",
                  foreign),
              401,
              "token_invalid");
      assertThat(refused.getString("detail"))
          .contains(keycloak.issuer("elsewhere"))
          .contains(keycloak.issuer(REALM));
    }
  }

  @Test
  void aMisconfiguredIssuer_is503_andTheLogSaysWhatToFix() {
    Partner partner = partner(SignatureAlgorithm.ED25519, Map.of());
    String token = partner.token("care");
    try (LogCapture log = new LogCapture()) {
      // it is asked again at most every 5 seconds, and each attempt logs what to fix
      log.awaitRepeating(
          () -> {
            Http.Response answer = get(partner.on(misconfigured), "/v1/care/credit-lines", token);
            assertProblem(answer, 503, "service_unavailable");
            assertThat(answer.header("Retry-After")).isEqualTo("5");
          },
          l ->
              l.contains("\"level\":\"WARN\"")
                  && l.contains("SCENEBANK_TOKEN_ISSUER")
                  && l.contains("no-such-realm"));
    }
  }

  @Test
  void introspectionWithWrongCredentials_is503_andTheLogSaysWhatToFix() {
    Partner partner =
        partner(SignatureAlgorithm.ED25519, Map.of("access.token.signed.response.alg", "HS512"));
    String opaque = partner.token("care");
    try (LogCapture log = new LogCapture()) {
      assertProblem(
          get(partner.on(wrongSecret), "/v1/care/credit-lines", opaque),
          503,
          "service_unavailable");
      String line =
          log.await(
              l ->
                  l.contains("\"level\":\"WARN\"")
                      && l.contains("SCENEBANK_TOKEN_INTROSPECTION_CLIENT_ID"));
      assertThat(line).doesNotContain("not-the-secret");
    }
    // a token it can verify with the issuer's keys needs no introspection
    Partner verifiable = partner(SignatureAlgorithm.ED25519, Map.of());
    assertOk(get(verifiable.on(wrongSecret), "/v1/care/credit-lines", verifiable.token("care")));
  }
}
