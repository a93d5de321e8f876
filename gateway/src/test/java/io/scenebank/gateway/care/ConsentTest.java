package io.scenebank.gateway.care;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Hospital;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.LogCapture;
import io.scenebank.gateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Consents: the patient's answer, expiry, the credit decision, and the patient's privacy. */
class ConsentTest {

  private final Hospital hospital = new Hospital();

  @Test
  void approvedConsent_opensOneLine_withTheProfilesLimit() {
    JsonObject consent = hospital.consent(Hospital.GOOD, 900_000L);
    assertThat(consent.getString("status")).isEqualTo("PENDING");
    String id = consent.getString("id");
    assertProblem(hospital.openLine(id), 409, "consent_not_approved");
    JsonObject approved = hospital.decide(id, "APPROVE");
    assertThat(approved.getString("status")).isEqualTo("APPROVED");
    assertThat(approved.getString("decided_at")).isNotNull();
    assertProblem(
        hospital.post(
            "/v1/sandbox/consents/" + id + "/decision", new JsonObject().put("decision", "REJECT")),
        409,
        "consent_not_pending");
    JsonObject line = hospital.ok("openCreditLine", 201, hospital.openLine(id));
    // asked 9,000 but a GOOD profile gets at most 5,000
    assertThat(line.getJsonObject("limit").getLong("amount")).isEqualTo(500_000);
    assertThat(line.getJsonObject("decision").getString("profile")).isEqualTo("GOOD");
    assertProblem(hospital.openLine(id), 409, "consent_already_used");
    assertThat(
            hospital
                .ok("getConsent", 200, hospital.get("/v1/care/consents/" + id))
                .getString("credit_line_id"))
        .isEqualTo(line.getString("id"));
    assertThat(hospital.events("consent.approved").encode()).contains(id);
    assertThat(hospital.events("credit_line.opened").encode()).contains(line.getString("id"));
  }

  @Test
  void rejectedConsent_opensNothing() {
    String id = hospital.consent(Hospital.GOOD, null).getString("id");
    assertThat(hospital.decide(id, "REJECT").getString("status")).isEqualTo("REJECTED");
    assertProblem(hospital.openLine(id), 409, "consent_not_approved");
    assertThat(hospital.events("consent.rejected").encode()).contains(id);
  }

  @Test
  void declinedProfile_getsNoLine_andFrozenProfile_aFrozenLine() {
    String declined = hospital.consent(Hospital.DECLINED, null).getString("id");
    hospital.decide(declined, "APPROVE");
    assertProblem(hospital.openLine(declined), 422, "credit_declined");
    assertThat(
            hospital
                .ok("listCreditLines", 200, hospital.get("/v1/care/credit-lines"))
                .getJsonArray("data"))
        .isEmpty();

    JsonObject frozen = hospital.line(Hospital.FROZEN, null);
    assertThat(frozen.getString("status")).isEqualTo("FROZEN");
    assertThat(frozen.getString("frozen_reason")).isEqualTo("PROFILE_FROZEN");
    assertProblem(hospital.openEncounter(frozen.getString("id")), 409, "credit_line_not_active");
    JsonObject thin = hospital.line(Hospital.THIN_FILE, null);
    assertThat(thin.getJsonObject("limit").getLong("amount")).isEqualTo(100_000);
  }

  @Test
  void unansweredConsent_expires_whenTheClockPassesIt() {
    JsonObject body =
        new JsonObject()
            .put(
                "patient",
                new JsonObject()
                    .put("id_number", Hospital.GOOD)
                    .put("name", "张三")
                    .put("phone", "13800000011"))
            .put("hospital_patient_ref", "P-EXPIRY")
            .put("expires_in_seconds", 600);
    String id =
        hospital.ok("createConsent", 201, hospital.post("/v1/care/consents", body)).getString("id");
    hospital.advanceDays(1);
    JsonObject expired = hospital.ok("getConsent", 200, hospital.get("/v1/care/consents/" + id));
    assertThat(expired.getString("status")).isEqualTo("EXPIRED");
    assertThat(hospital.events("consent.expired").encode()).contains(id);
    assertProblem(
        hospital.post(
            "/v1/sandbox/consents/" + id + "/decision",
            new JsonObject().put("decision", "APPROVE")),
        409,
        "consent_not_pending");
    JsonObject list =
        hospital.ok(
            "listConsents",
            200,
            hospital.get("/v1/care/consents?status=EXPIRED&hospital_patient_ref=P-EXPIRY"));
    assertThat(list.getJsonArray("data")).hasSize(1);
  }

  @Test
  void personalData_isSealedAtRest_maskedInAnswers_andNeverLogged() {
    String idNumber = "999999200002290017";
    String name = "欧阳娜娜";
    String phone = "13987654321";
    JsonObject consent;
    String answers;
    Http.Response invalid;
    try (LogCapture logs = new LogCapture()) {
      JsonObject body =
          new JsonObject()
              .put(
                  "patient",
                  new JsonObject().put("id_number", idNumber).put("name", name).put("phone", phone))
              .put("hospital_patient_ref", "P-PRIVACY");
      consent = hospital.ok("createConsent", 201, hospital.post("/v1/care/consents", body));
      hospital.decide(consent.getString("id"), "APPROVE");
      answers =
          hospital.openLine(consent.getString("id")).body()
              + hospital.get("/v1/care/consents/" + consent.getString("id")).body();
      invalid =
          hospital.post(
              "/v1/care/consents",
              body.copy()
                  .put(
                      "patient", body.getJsonObject("patient").copy().put("phone", "99912345678")));
      logs.await(line -> line.contains("/v1/care/consents"));
      String logged = String.join("\n", logs.lines());
      assertThat(logged).doesNotContain(idNumber).doesNotContain(name).doesNotContain(phone);
    }
    assertProblem(invalid, 400, "validation_failed");
    assertThat(invalid.body()).doesNotContain("99912345678");
    JsonObject patient = consent.getJsonObject("patient");
    assertThat(patient.getString("id_number_masked")).isEqualTo("9999**********0017");
    assertThat(patient.getString("name_masked")).isEqualTo("欧***");
    assertThat(patient.getString("phone_masked")).isEqualTo("139****4321");
    assertThat(answers + consent.encode())
        .doesNotContain(idNumber)
        .doesNotContain(name)
        .doesNotContain(phone);

    Row row =
        await(
                TestGateway.shared()
                    .database()
                    .pool()
                    .preparedQuery("SELECT * FROM care_consents WHERE id = $1")
                    .execute(Tuple.of(consent.getString("id"))))
            .iterator()
            .next();
    String sealed =
        new String(row.getBuffer("patient_sealed").getBytes(), StandardCharsets.ISO_8859_1);
    assertThat(sealed).doesNotContain(idNumber).doesNotContain(phone);
    assertThat(row.getBuffer("patient_sealed").toString(StandardCharsets.UTF_8))
        .doesNotContain(name);
    assertThat(row.getValue("patient_masked").toString())
        .doesNotContain(idNumber)
        .doesNotContain(phone);
  }
}
