package io.scenebank.gateway.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A hospital app on the shared test gateway, driving pay-after-care over signed HTTP; every
 * successful answer is checked against the contract.
 */
public final class Hospital extends Partner {

  /** Fixture patients (see listFixtures). */
  public static final String GOOD = "999999199001010011";

  public static final String THIN_FILE = "999999199505050022";
  public static final String DECLINED = "999999198803030033";
  public static final String FROZEN = "99999919770707004X";

  public Hospital() {
    super("care", "sandbox", "events");
  }

  public Hospital(TestApp app) {
    super(app);
  }

  public JsonObject consent(String idNumber, Long requestedLimit) {
    JsonObject body =
        new JsonObject()
            .put(
                "patient",
                new JsonObject()
                    .put("id_number", idNumber)
                    .put("name", "张三丰")
                    .put("phone", "13912345678"))
            .put("hospital_patient_ref", "P-" + UUID.randomUUID().toString().substring(0, 8));
    if (requestedLimit != null) {
      body.put("requested_limit", money(requestedLimit));
    }
    return ok("createConsent", 201, post("/v1/care/consents", body));
  }

  public JsonObject decide(String consentId, String decision) {
    return ok(
        "decideConsent",
        200,
        post(
            "/v1/sandbox/consents/" + consentId + "/decision",
            new JsonObject().put("decision", decision)));
  }

  public Http.Response openLine(String consentId) {
    return post("/v1/care/credit-lines", new JsonObject().put("consent_id", consentId));
  }

  /** An approved consent and an open line for the patient. */
  public JsonObject line(String idNumber, Long requestedLimit) {
    JsonObject consent = consent(idNumber, requestedLimit);
    decide(consent.getString("id"), "APPROVE");
    return ok("openCreditLine", 201, openLine(consent.getString("id")));
  }

  public JsonObject line(String id) {
    return ok("getCreditLine", 200, get("/v1/care/credit-lines/" + id));
  }

  public Http.Response openEncounter(String lineId) {
    return post(
        "/v1/care/encounters",
        new JsonObject()
            .put("credit_line_id", lineId)
            .put("hospital_encounter_ref", "MZ-" + UUID.randomUUID().toString().substring(0, 8))
            .put("department", "内科")
            .put("visit_type", "OUTPATIENT"));
  }

  public JsonObject encounter(String lineId) {
    return ok("createEncounter", 201, openEncounter(lineId));
  }

  public static JsonObject chargeBody(long amount) {
    return new JsonObject()
        .put("item_code", "LAB-001")
        .put("description", "血常规")
        .put("category", "LAB")
        .put("quantity", 1)
        .put("unit_amount", money(amount))
        .put("amount", money(amount))
        .put("hospital_charge_ref", "C-" + UUID.randomUUID());
  }

  public Http.Response charge(String encounterId, long amount) {
    return post("/v1/care/encounters/" + encounterId + "/charges", chargeBody(amount));
  }

  public JsonObject held(String encounterId, long amount) {
    return ok("createCharge", 201, charge(encounterId, amount));
  }

  public static JsonObject split(long pooled, long personal, long selfPay) {
    return new JsonObject()
        .put("pooled_fund", money(pooled))
        .put("personal_account", money(personal))
        .put("self_pay", money(selfPay));
  }

  public static JsonObject settleBody(long pooled, long personal, long selfPay) {
    return new JsonObject()
        .put("insurance_split", split(pooled, personal, selfPay))
        .put(
            "insurer",
            new JsonObject().put("name", "江苏省医保").put("claim_ref", "CLM-" + UUID.randomUUID()));
  }

  public Http.Response settle(String encounterId, long pooled, long personal, long selfPay) {
    return post(
        "/v1/care/encounters/" + encounterId + "/settlement",
        settleBody(pooled, personal, selfPay));
  }

  public Http.Response refund(
      String encounterId, String chargeId, long amount, long pooled, long personal, long selfPay) {
    return post(
        "/v1/care/encounters/" + encounterId + "/refunds",
        new JsonObject()
            .put(
                "items",
                new JsonArray()
                    .add(new JsonObject().put("charge_id", chargeId).put("amount", money(amount))))
            .put("insurance_split", split(pooled, personal, selfPay))
            .put("reason", "drug returned unused"));
  }

  public Http.Response repay(String lineId, long amount) {
    return post(
        "/v1/care/credit-lines/" + lineId + "/repayments",
        new JsonObject()
            .put("amount", money(amount))
            .put("source_ref", "TRF" + UUID.randomUUID().toString().replace("-", "")));
  }
}
