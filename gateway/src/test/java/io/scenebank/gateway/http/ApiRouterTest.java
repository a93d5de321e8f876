package io.scenebank.gateway.http;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.ContractAssert.assertResponseMatches;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.LogCapture;
import io.scenebank.gateway.testing.SignedRequest;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request path through the router: validation against the contract, errors, request ids. */
class ApiRouterTest {

  static Http http;
  static TestApp app;

  @BeforeAll
  static void gateway() {
    http = new Http(TestGateway.shared().port());
    app = TestApp.create(SignatureAlgorithm.ED25519, TestApp.ALL_SCOPES.toArray(String[]::new));
  }

  static JsonObject consent() {
    return new JsonObject()
        .put(
            "patient",
            new JsonObject()
                .put("id_number", "999999199001010011")
                .put("name", "张三")
                .put("phone", "13800000011"))
        .put("hospital_patient_ref", "P20261123-0042");
  }

  private static SignedRequest consentRequest(String body) {
    return app.request("POST", "/v1/care/consents").body(body);
  }

  private static Http.Response postConsent(String body) {
    return consentRequest(body).send();
  }

  @Test
  void health_whenUp_answersAsTheContractSays() {
    assertThat(assertResponseMatches("getLiveness", http.get("/health/live")).getString("status"))
        .isEqualTo("UP");
    JsonObject ready = assertResponseMatches("getReadiness", http.get("/health/ready"));
    assertThat(ready.getString("status")).isEqualTo("UP");
    assertThat(ready.getJsonObject("checks").getString("database")).isEqualTo("UP");
  }

  @Test
  void stringParameters_areValidatedAsTheExactStringsSent() {
    // a numeric idempotency key is still a string; a '+' in base64 is not a URL-encoded space
    String body = null;
    for (int i = 0; body == null; i++) {
      String candidate =
          consent().put("metadata", new JsonObject().put("n", Integer.toString(i))).encode();
      String digest =
          ContentDigest.header(ContentDigest.SHA_256, candidate.getBytes(StandardCharsets.UTF_8));
      if (digest.contains("+")) {
        body = candidate;
      }
    }

    Http.Response response = consentRequest(body).idempotencyKey("12345").send();

    assertThat(response.status()).as(response.body()).isEqualTo(201);
  }

  @Test
  void malformedJson_is400MalformedJson() {
    assertProblem(postConsent("{\"patient\": {"), 400, "malformed_json");
  }

  @Test
  void wrongType_is400WithAPointerToTheField() {
    JsonObject body = consent();
    body.getJsonObject("patient").put("id_number", 999999199001010011L);

    JsonObject problem = assertProblem(postConsent(body.encode()), 400, "validation_failed");

    assertThat(pointers(problem)).contains("/patient/id_number");
  }

  @Test
  void missingRequiredField_is400NamingTheField() {
    JsonObject body = consent();
    body.remove("hospital_patient_ref");

    JsonObject problem = assertProblem(postConsent(body.encode()), 400, "validation_failed");

    assertThat(problem.getJsonArray("errors").encode()).contains("hospital_patient_ref");
  }

  @Test
  void unknownField_isRejectedNotIgnored() {
    JsonObject body = consent().put("nickname", "Xiao Zhang");

    JsonObject problem = assertProblem(postConsent(body.encode()), 400, "validation_failed");

    assertThat(problem.getJsonArray("errors").encode()).contains("unknown field");
  }

  @Test
  void invalidPatternInNestedField_is400() {
    JsonObject body = consent();
    body.getJsonObject("patient").put("phone", "12345");

    JsonObject problem = assertProblem(postConsent(body.encode()), 400, "validation_failed");

    assertThat(pointers(problem)).contains("/patient/phone");
  }

  @Test
  void missingBody_is400() {
    JsonObject problem = assertProblem(postConsent(""), 400, "validation_failed");
    assertThat(problem.getString("detail")).contains("body is required");
  }

  @Test
  void bodyOverTheLimit_is413() {
    String big = "{\"hospital_patient_ref\":\"" + "x".repeat(1100 * 1024) + "\"}";

    assertProblem(postConsent(big), 413, "body_too_large");
  }

  @Test
  void nonJsonContentType_is415() {
    Http.Response response =
        consentRequest(consent().encode()).header("Content-Type", "text/plain").send();

    assertProblem(response, 415, "unsupported_media_type");
  }

  @Test
  void invalidQueryParameter_is400PointingAtTheParameter() {
    JsonObject problem =
        assertProblem(
            app.request("GET", "/v1/care/consents?limit=1000").send(), 400, "validation_failed");

    assertThat(pointers(problem)).containsExactly("query:limit");
  }

  @Test
  void missingRequiredHeader_is400PointingAtTheHeader() {
    Http.Response response = consentRequest(consent().encode()).idempotencyKey(null).send();

    JsonObject problem = assertProblem(response, 400, "validation_failed");
    assertThat(pointers(problem)).containsExactly("header:Idempotency-Key");
  }

  @Test
  void unknownPath_is404AndWrongMethod_is405() {
    assertProblem(app.request("GET", "/v1/nothing-here").send(), 404, "not_found");
    assertProblem(app.request("DELETE", "/v1/care/consents").send(), 405, "method_not_allowed");
  }

  @Test
  void requestId_whenGiven_isEchoedInHeaderBodyAndEveryLogLine() {
    try (LogCapture logs = new LogCapture()) {
      Http.Response response = consentRequest("{").header("X-Request-Id", "his-visit-7781").send();

      assertThat(response.header("X-Request-Id")).isEqualTo("his-visit-7781");
      assertThat(response.json().getString("request_id")).isEqualTo("his-visit-7781");
      JsonObject access =
          new JsonObject(
              logs.await(l -> l.contains("scenebank.access") && l.contains("/v1/care/consents")));
      assertThat(access.getString("request_id")).isEqualTo("his-visit-7781");
      assertThat(access.getInteger("status")).isEqualTo(400);
      // nothing the gateway logged about this request lacks its id
      assertThat(logs.lines())
          .filteredOn(l -> l.contains("/v1/care/consents"))
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l).contains("\"request_id\":\"his-visit-7781\""));
    }
  }

  @Test
  void requestId_whenAbsentOrMalformed_isGenerated() {
    String generated = http.get("/health/live").header("X-Request-Id");
    assertThat(generated).matches("req_[0-9a-f]{32}");

    for (String bad : new String[] {"evil id with spaces", "x".repeat(129), "a\\\"b"}) {
      Http.Response replaced = http.get("/health/live", "X-Request-Id", bad);
      assertThat(replaced.header("X-Request-Id")).matches("req_[0-9a-f]{32}");
    }
  }

  @Test
  void everyResponse_isNotCacheableAndNotSniffable() {
    Http.Response response = http.get("/health/live");
    assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  private static java.util.List<String> pointers(JsonObject problem) {
    JsonArray errors = problem.getJsonArray("errors");
    assertThat(errors).as("errors of %s", problem).isNotNull();
    return errors.stream().map(e -> ((JsonObject) e).getString("pointer")).toList();
  }
}
