package io.scenebank.gateway;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.FleetDatabase;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.SignedRequest;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A fleet: several gateway instances on one PostgreSQL behind one public URL. Replay protection and
 * key revocation hold across instances; and an instance can take its tokens from another OAuth
 * server (here, the fleet's own), configured by URL.
 */
class MultiInstanceTest {

  static final String PUBLIC_URL = "https://api.scenebank.test";
  static FleetDatabase postgres;
  static Gateway a;
  static Gateway b;
  static Gateway external;
  static Gateway unreachable;

  @BeforeAll
  static void fleet() throws Exception {
    postgres = FleetDatabase.start("fleet", PUBLIC_URL);
    Map<String, String> shared = postgres.settings();
    a = TestGateway.start(TestGateway.newDataDir("fleet-a"), shared);
    b = TestGateway.start(TestGateway.newDataDir("fleet-b"), shared);
    Map<String, String> viaExternal = new java.util.HashMap<>(shared);
    viaExternal.put("SCENEBANK_PUBLIC_URL", "https://other.scenebank.test");
    viaExternal.put("SCENEBANK_TOKEN_ISSUER", PUBLIC_URL);
    viaExternal.put("SCENEBANK_TOKEN_JWKS_URL", "http://127.0.0.1:" + a.port() + "/oauth2/jwks");
    external = TestGateway.start(TestGateway.newDataDir("fleet-c"), viaExternal);
    Map<String, String> viaNowhere = new java.util.HashMap<>(viaExternal);
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    viaNowhere.put("SCENEBANK_TOKEN_JWKS_URL", "http://127.0.0.1:" + closed + "/oauth2/jwks");
    unreachable = TestGateway.start(TestGateway.newDataDir("fleet-d"), viaNowhere);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Gateway g : new Gateway[] {a, b, external, unreachable}) {
      if (g != null) {
        await(g.stop());
      }
    }
    postgres.close();
  }

  /** The same app, talking to another instance. */
  private static TestApp on(Gateway gateway, TestApp app) {
    return new TestApp(gateway, app.clientId(), app.key());
  }

  @Test
  void bothInstancesShareKeysAndOneSignupWorksOnEither() {
    TestApp app = TestApp.signUp(a, SignatureAlgorithm.ED25519);
    assertThat(app.request("GET", "/v1/client/keys").send().status()).isEqualTo(200);
    assertThat(on(b, app).request("GET", "/v1/client/keys").send().status()).isEqualTo(200);
    assertThat(new Http(a.port()).get("/oauth2/jwks").json())
        .isEqualTo(new Http(b.port()).get("/oauth2/jwks").json());
  }

  @Test
  void aRequestReplayedToAnotherInstance_isNonceReplayed() {
    TestApp app = TestApp.signUp(a, SignatureAlgorithm.ECDSA_P256_SHA256);
    SignedRequest request = app.request("GET", "/v1/client/keys");
    assertThat(request.send().status()).isEqualTo(200);

    Http.Response replayed =
        new Http(b.port()).send("GET", "/v1/client/keys", null, request.headers());

    assertProblem(replayed, 401, "nonce_replayed");
  }

  @Test
  void aRetryOnAnotherInstance_withTheSameIdempotencyKey_isReplayedNotRepeated() {
    TestApp app = TestApp.signUp(a, SignatureAlgorithm.ED25519);
    String body = TestApp.newKeyRegistrationJson();
    String key = java.util.UUID.randomUUID().toString();

    Http.Response first =
        app.request("POST", "/v1/client/keys").idempotencyKey(key).body(body).send();
    Http.Response retried =
        on(b, app).request("POST", "/v1/client/keys").idempotencyKey(key).body(body).send();

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(retried.status()).isEqualTo(201);
    assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retried.json()).isEqualTo(first.json());
    Http.Response keys = on(b, app).request("GET", "/v1/client/keys").send();
    assertThat(keys.json().getJsonArray("data")).hasSize(2); // the signup key and one new key
  }

  @Test
  void theSandboxClock_isOneClockForTheFleet() {
    TestApp app = TestApp.signUp(a, SignatureAlgorithm.ED25519);
    Http.Response moved =
        app.request("POST", "/v1/sandbox/clock/advance").body("{\"seconds\":86400}").send();
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);

    Http.Response seenOnB = on(b, app).request("GET", "/v1/sandbox/clock").send();
    assertThat(seenOnB.status()).as(seenOnB.body()).isEqualTo(200);
    assertThat(seenOnB.json().getLong("offset_seconds")).isEqualTo(86400L);
  }

  @Test
  void aKeyRevokedThroughOneInstance_stopsAtOnceOnTheOther() {
    TestApp app = TestApp.signUp(a, SignatureAlgorithm.ED25519);
    String oldToken = app.token();
    GeneratedKey successor = Keys.generate(SignatureAlgorithm.ED25519, "successor");
    Http.Response registered =
        app.request("POST", "/v1/client/keys").body(TestApp.registrationJson(successor)).send();
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);

    TestApp renewed = new TestApp(a, app.clientId(), successor);
    Http.Response revoked =
        renewed
            .request("POST", "/v1/client/keys/" + app.key().keyId() + "/revoke")
            .body("{}")
            .send();
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);

    assertProblem(
        on(b, app).request("GET", "/v1/client/keys").token(oldToken).send(), 401, "key_revoked");
    assertThat(on(b, renewed).request("GET", "/v1/client/keys").send().status()).isEqualTo(200);
  }

  @Test
  void anInstanceConfiguredWithAnExternalIssuer_acceptsThatIssuersTokens_andIssuesNone() {
    TestApp app = TestApp.signUp(a, SignatureAlgorithm.ED25519);
    TestApp onExternal = on(external, app);

    Http.Response withIssuersToken =
        onExternal.request("GET", "/v1/client/keys").token(app.token()).send();
    assertThat(withIssuersToken.status()).as(withIssuersToken.body()).isEqualTo(200);

    // its own token endpoint would issue tokens its API refuses: it names the issuer instead
    Http.Response ownToken =
        onExternal.tokenResponse(onExternal.assertion(app.key().signer(), Map.of()), null);
    assertThat(ownToken.status()).as(ownToken.body()).isEqualTo(400);
    assertThat(ownToken.json().getString("error")).isEqualTo("unsupported_grant_type");
    assertThat(ownToken.json().getString("error_description")).contains(PUBLIC_URL);
  }

  @Test
  void anIssuerWhoseKeysCannotBeRead_gets503_notATokenRefusal_andALogLineToFixIt() {
    TestApp app = TestApp.signUp(a, SignatureAlgorithm.ED25519);
    try (io.scenebank.gateway.testing.LogCapture log =
        new io.scenebank.gateway.testing.LogCapture()) {
      // the issuer is asked again at most every 5 seconds, and each attempt logs what to fix;
      // every call meanwhile is a 503
      log.awaitRepeating(
          () -> {
            Http.Response answer =
                on(unreachable, app).request("GET", "/v1/client/keys").token(app.token()).send();
            assertProblem(answer, 503, "service_unavailable");
            assertThat(answer.header("retry-after")).isEqualTo("5");
          },
          l -> l.contains("SCENEBANK_TOKEN_JWKS_URL") && l.contains("\"level\":\"WARN\""));
    }
  }
}
