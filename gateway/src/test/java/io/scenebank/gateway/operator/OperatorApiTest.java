package io.scenebank.gateway.operator;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.ContractAssert.assertResponseMatches;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.model.RotateSigningKeyRequest;
import io.scenebank.sdk.model.SigningKey;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator API over signed requests, responses checked against the contract. */
class OperatorApiTest {

  static TestApp operator;

  @BeforeAll
  static void operator() {
    operator = TestApp.operator();
  }

  private static JsonObject organisation(String name) {
    Http.Response created =
        operator
            .request("POST", "/v1/operator/organisations")
            .body(
                new JsonObject()
                    .put("name", name)
                    .put("type", "HOSPITAL")
                    .put("contact_email", "it@hospital.test")
                    .put("licence_number", "91320400MA1N8XK2XQ")
                    .encode())
            .send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return assertResponseMatches("createOrganisation", created);
  }

  @Test
  void organisationsAndApps_areCreatedAndListedWithCursorPagination() {
    JsonObject org = organisation("常州市第二人民医院");
    assertThat(org.getString("id")).startsWith("org_");
    for (int i = 0; i < 3; i++) {
      Http.Response app =
          operator
              .request("POST", "/v1/operator/organisations/" + org.getString("id") + "/apps")
              .body(
                  new JsonObject()
                      .put("name", "HIS " + i)
                      .put("scopes", new JsonArray().add("care"))
                      .encode())
              .send();
      assertThat(app.status()).isEqualTo(201);
      assertResponseMatches("createApp", app);
    }
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      String path =
          "/v1/operator/organisations/"
              + org.getString("id")
              + "/apps?limit=2"
              + (cursor == null ? "" : "&cursor=" + cursor);
      JsonObject page = assertResponseMatches("listApps", operator.request("GET", path).send());
      page.getJsonArray("data").forEach(a -> seen.add(((JsonObject) a).getString("id")));
      cursor = page.getString("next_cursor");
      assertThat(page.getBoolean("has_more")).isEqualTo(cursor != null);
      pages++;
    } while (cursor != null);
    assertThat(seen).hasSize(3);
    assertThat(pages).isEqualTo(2);

    JsonObject orgs =
        assertResponseMatches(
            "listOrganisations",
            operator.request("GET", "/v1/operator/organisations?limit=100").send());
    assertThat(orgs.getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("id")))
        .contains(org.getString("id"));
  }

  @Test
  void cursor_fromAnotherList_isCursorInvalid() {
    JsonObject org = organisation("Other hospital");
    JsonObject page = operator.request("GET", "/v1/operator/organisations?limit=1").send().json();
    String cursor = page.getString("next_cursor");
    assertThat(cursor).isNotNull();

    Http.Response misuse =
        operator
            .request(
                "GET",
                "/v1/operator/organisations/" + org.getString("id") + "/apps?cursor=" + cursor)
            .send();

    assertProblem(misuse, 400, "cursor_invalid");
  }

  @Test
  void unknownOrganisationOrApp_isNotFound() {
    assertProblem(
        operator
            .request("POST", "/v1/operator/organisations/org_doesNotExist00000000/apps")
            .body(
                new JsonObject()
                    .put("name", "x")
                    .put("scopes", new JsonArray().add("care"))
                    .encode())
            .send(),
        404,
        "not_found");
    assertProblem(
        operator.request("GET", "/v1/operator/apps/app_doesNotExist00000000/keys").send(),
        404,
        "not_found");
  }

  @Test
  void appKeys_registeredAndRevokedByOperator_evenTheLastOne() {
    TestApp partner = TestApp.create(SignatureAlgorithm.SM2_SM3, "care");
    assertThat(partner.request("GET", "/v1/client/keys").send().status()).isEqualTo(200);
    JsonObject keys =
        assertResponseMatches(
            "listAppKeys",
            operator.request("GET", "/v1/operator/apps/" + partner.clientId() + "/keys").send());
    assertThat(keys.getJsonArray("data")).hasSize(1);

    Http.Response revoked =
        operator
            .request(
                "POST",
                "/v1/operator/apps/"
                    + partner.clientId()
                    + "/keys/"
                    + partner.key().keyId()
                    + "/revoke")
            .body(new JsonObject().put("reason", "COMPROMISED").encode())
            .send();

    JsonObject key = assertResponseMatches("revokeAppKey", revoked);
    assertThat(key.getString("status")).isEqualTo("REVOKED");
    assertProblem(partner.request("GET", "/v1/client/keys").send(), 401, "key_revoked");
  }

  @Test
  void theSamePublicKey_cannotBelongToTwoApps() {
    TestApp first = TestApp.create(SignatureAlgorithm.ED25519, "care");
    TestApp second = TestApp.create(SignatureAlgorithm.ED25519, "care");
    JsonObject jwk = new JsonObject(new LinkedHashMap<>(first.key().publicJwk().toMap()));
    jwk.put("kid", "copied");

    Http.Response response =
        second
            .request("POST", "/v1/client/keys")
            .body(new JsonObject().put("public_jwk", jwk).put("algorithm", "ed25519").encode())
            .send();

    assertProblem(response, 409, "key_already_registered");
  }

  @Test
  void registerKey_invalidKeys_areRefusedWithReasons() {
    TestApp partner = TestApp.create(SignatureAlgorithm.ED25519, "care");
    GeneratedKey ec = Keys.generate(SignatureAlgorithm.ECDSA_P256_SHA256, null);
    JsonObject ecJwk = new JsonObject(new LinkedHashMap<>(ec.publicJwk().toMap()));
    assertProblem(
        partner
            .request("POST", "/v1/client/keys")
            .body(new JsonObject().put("public_jwk", ecJwk).put("algorithm", "ed25519").encode())
            .send(),
        422,
        "key_algorithm_mismatch");
    JsonObject offCurve = ecJwk.copy().put("y", ecJwk.getString("x"));
    offCurve.remove("kid");
    assertProblem(
        partner
            .request("POST", "/v1/client/keys")
            .body(
                new JsonObject()
                    .put("public_jwk", offCurve)
                    .put("algorithm", "ecdsa-p256-sha256")
                    .encode())
            .send(),
        422,
        "key_invalid");
  }

  @Test
  void rotateSigningKey_newKeyPublished_oldStillVerifies_sdkFollows() {
    TestApp partner = TestApp.create(SignatureAlgorithm.ED25519, "care");
    ScenebankClient sdk = partner.client();
    sdk.clientKeys().list(); // caches the gateway's JWKS
    String before = jwksKids().toString();

    SigningKey rotated =
        operator
            .client()
            .operator()
            .rotateSigningKey(RotateSigningKeyRequest.AlgorithmEnum.ED25519);

    Set<String> after = jwksKids();
    assertThat(after).contains(rotated.getKid());
    assertThat(before).isNotEqualTo(after.toString());
    assertThat(rotated.getPreviousKid()).isNotNull();
    assertThat(after).contains(rotated.getPreviousKid());
    // responses are now signed with the new key: the SDK fetches it on meeting the unknown kid
    assertThat(sdk.clientKeys().list().getData()).hasSize(1);
    // tokens issued under the old key keep working until they expire
    assertThat(partner.request("GET", "/v1/client/keys").send().status()).isEqualTo(200);
  }

  private static Set<String> jwksKids() {
    Set<String> kids = new HashSet<>();
    new Http(TestGateway.shared().port())
        .get("/oauth2/jwks")
        .json()
        .getJsonArray("keys")
        .forEach(k -> kids.add(((JsonObject) k).getString("kid")));
    return kids;
  }
}
