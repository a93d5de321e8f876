package io.scenebank.gateway.http;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Hospital;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A validation problem lists what is wrong, and only that (issue 17). */
class ValidationErrorsTest {

  private final TestApp app = TestApp.create(SignatureAlgorithm.ED25519, "care");

  private JsonArray errors(JsonObject body) {
    return assertProblem(
            app.request("POST", "/v1/care/consents").body(body.encode()).send(),
            400,
            "validation_failed")
        .getJsonArray("errors");
  }

  private static JsonObject consent(JsonObject patient) {
    return new JsonObject().put("patient", patient).put("hospital_patient_ref", "P-1");
  }

  private static JsonObject patient(String idNumber, String phone) {
    return new JsonObject().put("id_number", idNumber).put("name", "张三").put("phone", phone);
  }

  @Test
  void aPhoneOfThreeDigits_isOneError_atThePhone() {
    JsonArray errors = errors(consent(patient(Hospital.GOOD, "123")));

    assertThat(errors.stream().map(e -> ((JsonObject) e).getString("pointer")).distinct())
        .containsExactly("/patient/phone");
    assertThat(errors.encode()).doesNotContain("unknown field");
  }

  @Test
  void anUnknownField_isStillNamedAsUnknown() {
    JsonArray errors = errors(consent(patient(Hospital.GOOD, "13800000011").put("nickname", "三")));

    assertThat(errors).hasSize(1);
    assertThat(errors.getJsonObject(0).getString("detail")).contains("unknown field");
  }

  @Test
  void twoWrongFields_areTwoErrors() {
    JsonArray errors =
        errors(
            consent(new JsonObject().put("id_number", "12").put("name", "张三").put("phone", "123")));

    assertThat(errors.stream().map(e -> ((JsonObject) e).getString("pointer")).distinct())
        .containsExactlyInAnyOrder("/patient/phone", "/patient/id_number");
    assertThat(errors.encode()).doesNotContain("unknown field");
  }
}
