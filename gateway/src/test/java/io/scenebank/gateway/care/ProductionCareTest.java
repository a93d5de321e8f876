package io.scenebank.gateway.care;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.ContractAssert.assertResponseMatches;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.testing.Hospital;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * In production the APIs are live; the simulators, the sandbox billers and the portal's signup and
 * console do not exist.
 */
class ProductionCareTest {

  @Test
  void careIsLive_andTheSimulatorsAreNotFound() {
    Gateway production =
        TestGateway.start(
            TestGateway.newDataDir("production-care"),
            Map.of(
                "SCENEBANK_MODE", "production",
                "SCENEBANK_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                "SCENEBANK_OPERATOR_JWK", TestGateway.OPERATOR_KEY.publicJwk().toJson()));
    try {
      TestApp app =
          TestApp.createOn(
              TestApp.operatorOf(production),
              SignatureAlgorithm.ED25519,
              "care",
              "bills",
              "sandbox");
      JsonObject body =
          new JsonObject()
              .put(
                  "patient",
                  new JsonObject()
                      .put("id_number", Hospital.GOOD)
                      .put("name", "张三")
                      .put("phone", "13800000011"))
              .put("hospital_patient_ref", "P-LIVE");
      Http.Response created = app.request("POST", "/v1/care/consents").body(body.encode()).send();
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      JsonObject consent = assertResponseMatches("createConsent", created);
      assertThat(consent.getBoolean("livemode")).isTrue();
      // a signature that does not verify is not explained in production
      Http.Response wrongHost =
          app.request("GET", "/v1/client/keys")
              .signedFor("http://127.0.0.1:" + production.port())
              .send();
      assertProblem(wrongHost, 401, "signature_invalid");
      assertThat(wrongHost.json().containsKey("signature_base")).isFalse();
      assertThat(wrongHost.json().containsKey("target_uri")).isFalse();
      String id = consent.getString("id");
      assertProblem(
          app.request("POST", "/v1/sandbox/consents/" + id + "/decision")
              .body(new JsonObject().put("decision", "APPROVE").encode())
              .send(),
          404,
          "not_found");
      assertProblem(
          app.request("POST", "/v1/sandbox/clock/advance")
              .body(new JsonObject().put("seconds", 86_400).encode())
              .send(),
          404,
          "not_found");
      assertProblem(app.request("GET", "/v1/sandbox/clock").send(), 404, "not_found");
      assertProblem(app.request("GET", "/v1/sandbox/fixtures").send(), 404, "not_found");
      assertProblem(
          app.request("POST", "/v1/sandbox/bills")
              .body(
                  new JsonObject()
                      .put("biller_id", "blr_3Wx8Kq2MvT7pN4bRz6Ld")
                      .put("account_number", "3204001234")
                      .put("amount", Hospital.money(100))
                      .put("due_date", "2026-12-31")
                      .put("period", "2026-12")
                      .encode())
              .send(),
          404,
          "not_found");
      // the portal's reference is public; its signup page and console are for the sandbox only
      Http http = new Http(production.port());
      assertThat(http.get("/portal/reference.html").status()).isEqualTo(200);
      assertProblem(http.get("/portal/console.html"), 404, "not_found");
      assertProblem(http.get("/portal/signup.html"), 404, "not_found");
      // production has no sandbox billers
      JsonObject billers =
          assertResponseMatches("listBillers", app.request("GET", "/v1/bills/billers").send());
      assertThat(billers.getJsonArray("data")).isEmpty();
      Http.Response pending = app.request("GET", "/v1/care/consents/" + id).send();
      assertThat(assertResponseMatches("getConsent", pending).getString("status"))
          .isEqualTo("PENDING");
    } finally {
      await(production.stop());
    }
  }
}
