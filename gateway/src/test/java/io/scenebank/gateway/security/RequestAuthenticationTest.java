package io.scenebank.gateway.security;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.GatewayKeys;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.sdk.internal.Base64Url;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.jose.Jws;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every reason a /v1 request is refused, one test each: the refusal names the reason, and the same
 * request correctly signed is accepted (so each test fails for its own reason only).
 */
class RequestAuthenticationTest {

  static final String PATH = "/v1/client/keys";
  static TestApp app;

  @BeforeAll
  static void app() {
    app = TestApp.create(SignatureAlgorithm.ED25519, "care");
  }

  private static String newKeyBody() {
    return TestApp.newKeyRegistrationJson();
  }

  @Test
  void correctlySignedRequests_areAccepted() {
    assertThat(app.request("GET", PATH).send().status()).isEqualTo(200);
    assertThat(app.request("POST", PATH).body(newKeyBody()).send().status()).isEqualTo(201);
  }

  @Test
  void noToken_isTokenMissing() {
    Http.Response response =
        app.request("GET", PATH).afterSigning(h -> h.remove("Authorization")).send();
    assertProblem(response, 401, "token_missing");
    assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void unsigned_isSignatureMissing() {
    Http.Response response =
        app.request("GET", PATH)
            .afterSigning(
                h -> {
                  h.remove("Signature");
                  h.remove("Signature-Input");
                })
            .send();
    assertProblem(response, 401, "signature_missing");
  }

  @Test
  void tamperedBody_isDigestMismatch() {
    Http.Response response =
        app.request("POST", PATH).body(newKeyBody()).bodyAfterSigning(newKeyBody()).send();
    assertProblem(response, 401, "digest_mismatch");
  }

  @Test
  void tamperedBodyWithItsDigestRecomputed_isSignatureInvalid() {
    String other = newKeyBody();
    Http.Response response =
        app.request("POST", PATH)
            .body(newKeyBody())
            .bodyAfterSigning(other)
            .afterSigning(
                h ->
                    h.put(
                        "Content-Digest",
                        ContentDigest.header("sha-256", other.getBytes(StandardCharsets.UTF_8))))
            .send();
    assertProblem(response, 401, "signature_invalid");
  }

  @Test
  void bodyWithoutDigest_isDigestMissing() {
    Http.Response response =
        app.request("POST", PATH)
            .body(newKeyBody())
            .components("@method", "@target-uri", "authorization", "idempotency-key")
            .afterSigning(h -> h.remove("Content-Digest"))
            .send();
    assertProblem(response, 401, "component_missing");
    Http.Response covered =
        app.request("POST", PATH)
            .body(newKeyBody())
            .afterSigning(h -> h.remove("Content-Digest"))
            .send();
    assertProblem(covered, 401, "digest_missing");
  }

  @Test
  void sha512Digest_isAcceptedAndAnsweredInKind() {
    Http.Response response =
        app.request("POST", PATH).body(newKeyBody()).digestAlgorithm("sha-512").send();
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.header("Content-Digest")).startsWith("sha-512=:");
  }

  @Test
  void signatureNotCoveringAuthorization_isComponentMissing() {
    Http.Response response = app.request("GET", PATH).components("@method", "@target-uri").send();
    assertProblem(response, 401, "component_missing");
  }

  @Test
  void signatureNotCoveringTheIdempotencyKey_isComponentMissing() {
    Http.Response response =
        app.request("POST", PATH)
            .body(newKeyBody())
            .components("@method", "@target-uri", "authorization", "content-digest")
            .send();
    assertProblem(response, 401, "component_missing");
  }

  @Test
  void otherTargetUriSigned_isSignatureInvalid() {
    // signed for one URI, sent to another: the base the gateway rebuilds differs
    Http.Response moved =
        new Http(app.gateway().port())
            .send("GET", PATH + "?limit=5", null, app.request("GET", PATH).headers());
    assertProblem(moved, 401, "signature_invalid");
  }

  @Test
  void staleCreated_isCreatedOutOfWindow() {
    long tenMinutesAgo = Instant.now().getEpochSecond() - 600;
    assertProblem(
        app.request("GET", PATH).created(tenMinutesAgo).send(), 401, "created_out_of_window");
    long tenMinutesAhead = Instant.now().getEpochSecond() + 600;
    assertProblem(
        app.request("GET", PATH).created(tenMinutesAhead).send(), 401, "created_out_of_window");
  }

  @Test
  void replayedRequest_isNonceReplayed() {
    var request = app.request("GET", PATH);
    assertThat(request.send().status()).isEqualTo(200);

    assertProblem(request.send(), 401, "nonce_replayed");
  }

  @Test
  void missingOrShortNonce_isNonceMissing() {
    assertProblem(app.request("GET", PATH).nonce(null).send(), 401, "nonce_missing");
    assertProblem(app.request("GET", PATH).nonce("short").send(), 401, "nonce_missing");
  }

  @Test
  void wrongTag_isSignatureInputInvalid() {
    assertProblem(app.request("GET", PATH).tag("other").send(), 401, "signature_input_invalid");
    assertProblem(
        app.request("GET", PATH).afterSigning(h -> h.put("Signature", "sig1=notbytes")).send(),
        401,
        "signature_input_invalid");
  }

  @Test
  void unknownKey_isKeyUnknown() {
    GeneratedKey stranger = Keys.generate(SignatureAlgorithm.ED25519, "never-registered");
    assertProblem(app.request("GET", PATH).signer(stranger.signer()).send(), 401, "key_unknown");
  }

  @Test
  void revokedKey_isKeyRevoked_atOnce() {
    TestApp revoking = TestApp.create(SignatureAlgorithm.ED25519, "care");
    GeneratedKey second = Keys.generate(SignatureAlgorithm.ED25519, "second");
    revoking.client().clientKeys().register(TestApp.registration(second));
    String tokenOfFirstKey = revoking.token();
    assertThat(revoking.request("GET", PATH).token(tokenOfFirstKey).send().status()).isEqualTo(200);

    revoking.clientWith(second.signer()).clientKeys().revoke(revoking.key().keyId(), null);

    // the token is still unexpired, but the key it is bound to is gone
    assertProblem(revoking.request("GET", PATH).token(tokenOfFirstKey).send(), 401, "key_revoked");
  }

  @Test
  void keyPastItsValidity_isKeyExpired() {
    TestApp expiring = TestApp.create(SignatureAlgorithm.ED25519, "care");
    String token = expiring.token();
    io.scenebank.gateway.testing.TestGateway.await(
        expiring
            .gateway()
            .database()
            .pool()
            .preparedQuery(
                "UPDATE client_keys SET not_after = now() - interval '1 second' WHERE client_id = $1")
            .execute(io.vertx.sqlclient.Tuple.of(expiring.clientId())));

    assertProblem(expiring.request("GET", PATH).token(token).send(), 401, "key_expired");
  }

  @Test
  void signedWithAnotherKeyOfTheSameAppThanTheTokens_isTokenKeyMismatch() {
    TestApp twoKeys = TestApp.create(SignatureAlgorithm.ED25519, "care");
    GeneratedKey second = Keys.generate(SignatureAlgorithm.ECDSA_P256_SHA256, "second");
    twoKeys.client().clientKeys().register(TestApp.registration(second));

    Http.Response response =
        twoKeys.request("GET", PATH).token(twoKeys.token()).signer(second.signer()).send();

    assertProblem(response, 401, "token_key_mismatch");
  }

  @Test
  void anotherClientsToken_isRefused() {
    TestApp other = TestApp.create(SignatureAlgorithm.ED25519, "care");
    // other's token, signed with this app's key: the key is not other's
    assertProblem(app.request("GET", PATH).token(other.token()).send(), 401, "key_unknown");
  }

  @Test
  void expiredToken_isTokenExpired() {
    var gatewaySigner = GatewayKeys.activeEd25519(app.gateway());
    long past = Instant.now().getEpochSecond() - 3600;
    Map<String, Object> claims = claims(past, past + 600);
    String expired = Jws.sign(header("EdDSA", gatewaySigner.keyId()), claims, gatewaySigner);

    assertProblem(app.request("GET", PATH).token(expired).send(), 401, "token_expired");
  }

  @Test
  void unsignedAlgNoneToken_isTokenInvalid() {
    long now = Instant.now().getEpochSecond();
    String none =
        Base64Url.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + Base64Url.encode(
                new JsonObject(claims(now, now + 600)).encode().getBytes(StandardCharsets.UTF_8))
            + ".";
    assertProblem(app.request("GET", PATH).token(none).send(), 401, "token_invalid");
  }

  @Test
  void hs256TokenKeyedWithTheGatewaysPublicKey_isTokenInvalid() throws Exception {
    long now = Instant.now().getEpochSecond();
    JsonObject jwk =
        new Http(app.gateway().port())
            .get("/oauth2/jwks")
            .json()
            .getJsonArray("keys")
            .getJsonObject(0);
    String signingInput =
        Base64Url.encode(
                new JsonObject()
                    .put("alg", "HS256")
                    .put("kid", jwk.getString("kid"))
                    .encode()
                    .getBytes(StandardCharsets.UTF_8))
            + "."
            + Base64Url.encode(
                new JsonObject(claims(now, now + 600)).encode().getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(jwk.encode().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String forged =
        signingInput
            + "."
            + Base64Url.encode(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));

    assertProblem(app.request("GET", PATH).token(forged).send(), 401, "token_invalid");
  }

  @Test
  void tokenSignedByAStranger_isTokenInvalid() {
    GeneratedKey stranger = Keys.generate(SignatureAlgorithm.ED25519, "gw-ed25519-forged");
    long now = Instant.now().getEpochSecond();
    String forged =
        Jws.sign(header("EdDSA", stranger.keyId()), claims(now, now + 600), stranger.signer());
    assertProblem(app.request("GET", PATH).token(forged).send(), 401, "token_invalid");
  }

  @Test
  void revokedToken_isTokenRevoked() {
    String token = app.token(app.key().signer(), null);
    assertThat(app.request("GET", PATH).token(token).send().status()).isEqualTo(200);
    String form =
        "token="
            + token
            + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
            + "&client_assertion="
            + app.assertion(app.key().signer(), Map.of());
    Http.Response revoked =
        new Http(app.gateway().port())
            .post("/oauth2/revoke", form, "Content-Type", "application/x-www-form-urlencoded");
    assertThat(revoked.status()).isEqualTo(200);

    assertProblem(app.request("GET", PATH).token(token).send(), 401, "token_revoked");
  }

  @Test
  void missingScope_isInsufficientScope() {
    // the app has only "care"; the operator API needs "operator"
    Http.Response response = app.request("GET", "/v1/operator/organisations").send();
    JsonObject problem = assertProblem(response, 403, "insufficient_scope");
    assertThat(problem.getString("detail")).contains("operator");
    // a token narrowed to fewer scopes than the app has is narrowed indeed
    TestApp both = TestApp.create(SignatureAlgorithm.ED25519, "care", "bills");
    String careOnly = both.token(both.key().signer(), "care");
    assertProblem(
        both.request("GET", "/v1/bills/billers").token(careOnly).send(), 403, "insufficient_scope");
  }

  @Test
  void everyResponse_evenARefusal_isSignedByTheGateway() {
    Http.Response refused = app.request("GET", PATH).tag("other").send();
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("Signature-Input")).contains("\"@status\" \"content-digest\"");
    assertThat(refused.header("Signature")).startsWith("sig1=:");
    assertThat(refused.header("Content-Digest")).startsWith("sha-256=:");
  }

  private static Map<String, Object> header(String alg, String kid) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", alg);
    header.put("kid", kid);
    header.put("typ", "at+jwt");
    return header;
  }

  private static Map<String, Object> claims(long iat, long exp) {
    String issuer = app.gateway().issuer();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer);
    claims.put("sub", app.clientId());
    claims.put("aud", issuer);
    claims.put("client_id", app.clientId());
    claims.put("scope", "care");
    claims.put("iat", iat);
    claims.put("exp", exp);
    claims.put("jti", "at_forged" + iat);
    claims.put("cnf", Map.of("jkt", app.key().publicJwk().thumbprint()));
    return claims;
  }
}
