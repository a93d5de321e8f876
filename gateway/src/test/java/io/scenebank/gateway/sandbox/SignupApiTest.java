package io.scenebank.gateway.sandbox;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.ContractAssert.assertResponseMatches;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignupApiTest {

  static JsonObject request(SignatureAlgorithm algorithm) {
    return new JsonObject()
        .put("organisation_name", "江南好生活 merchant platform")
        .put("email", "dev-" + java.util.UUID.randomUUID() + "@platform.test")
        .put("app_name", "Checkout")
        .put("algorithm", algorithm.httpName());
  }

  @Test
  void signUp_withoutAKey_returnsAGeneratedPrivateKeyOnce_thatWorks() {
    Http http = new Http(TestGateway.shared().port());
    Http.Response response =
        http.post(
            "/sandbox/signup",
            request(SignatureAlgorithm.ECDSA_P256_SHA256).encode(),
            "Content-Type",
            "application/json");

    JsonObject result = assertResponseMatches("signUp", response);
    assertThat(result.getString("private_key_pem")).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(result.getJsonArray("scopes"))
        .doesNotContain("operator")
        .contains("care", "sandbox");
    TestApp app = new TestApp(TestGateway.shared(), result.getString("client_id"), null);
    var signer =
        Keys.signerFromPem(result.getString("private_key_pem"), result.getString("key_id"));
    assertThat(
            app.request("GET", "/v1/client/keys")
                .signer(signer)
                .token(app.token(signer, null))
                .send()
                .status())
        .isEqualTo(200);
    // the gateway kept no copy of the private key
    String pemBody = result.getString("private_key_pem").split("\n")[1];
    long copies =
        await(
                TestGateway.shared()
                    .database()
                    .pool()
                    .preparedQuery(
                        "SELECT count(*) FROM client_keys WHERE public_jwk::text LIKE $1")
                    .execute(Tuple.of("%" + pemBody.substring(0, 20) + "%")))
            .iterator()
            .next()
            .getLong(0);
    assertThat(copies).isZero();
  }

  @Test
  void signUp_twiceWithOneEmail_is409_andCreatesNothingMore() {
    Http http = new Http(TestGateway.shared().port());
    JsonObject first = request(SignatureAlgorithm.ED25519);
    String email = first.getString("email");
    assertThat(
            http.post("/sandbox/signup", first.encode(), "Content-Type", "application/json")
                .status())
        .isEqualTo(201);
    long organisations = organisations();

    // the same address, in other letters: the same person
    JsonObject again = request(SignatureAlgorithm.ED25519).put("email", email.toUpperCase());
    assertProblem(
        http.post("/sandbox/signup", again.encode(), "Content-Type", "application/json"),
        409,
        "email_already_registered");
    assertThat(organisations()).isEqualTo(organisations);
  }

  private static long organisations() {
    return await(
            TestGateway.shared()
                .database()
                .pool()
                .query("SELECT count(*) FROM organisations")
                .execute())
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void signUp_withTheCallersPublicKey_registersIt() {
    TestApp app = TestApp.signUp(TestGateway.shared(), SignatureAlgorithm.SM2_SM3);
    assertThat(app.request("GET", "/v1/client/keys").send().status()).isEqualTo(200);
  }

  @Test
  void signUp_invalidRequest_is400_andAKeyOfAnotherAlgorithm_is422() {
    Http http = new Http(TestGateway.shared().port());
    JsonObject missing = request(SignatureAlgorithm.ED25519);
    missing.remove("email");
    assertProblem(
        http.post("/sandbox/signup", missing.encode(), "Content-Type", "application/json"),
        400,
        "validation_failed");
    JsonObject mismatch =
        request(SignatureAlgorithm.ED25519)
            .put(
                "public_key",
                new JsonObject(
                    new java.util.LinkedHashMap<>(
                        Keys.generate(SignatureAlgorithm.RSA_PSS_SHA512, null)
                            .publicJwk()
                            .toMap())));
    assertProblem(
        http.post("/sandbox/signup", mismatch.encode(), "Content-Type", "application/json"),
        422,
        "key_algorithm_mismatch");
  }

  @Test
  void signUp_inProduction_doesNotExist() {
    byte[] masterKey = new byte[32];
    Gateway production =
        TestGateway.start(
            TestGateway.newDataDir("production"),
            Map.of(
                "SCENEBANK_MODE",
                "production",
                "SCENEBANK_MASTER_KEY",
                Base64.getEncoder().encodeToString(masterKey)));
    try {
      Http.Response response =
          new Http(production.port())
              .post(
                  "/sandbox/signup",
                  request(SignatureAlgorithm.ED25519).encode(),
                  "Content-Type",
                  "application/json");
      assertProblem(response, 404, "not_found");
    } finally {
      await(production.stop());
    }
  }
}
