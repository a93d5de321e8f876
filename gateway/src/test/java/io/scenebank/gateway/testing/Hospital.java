package io.scenebank.gateway.testing;

import static io.scenebank.gateway.testing.ContractAssert.assertResponseMatches;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A hospital app on the shared test gateway, driving pay-after-care over signed HTTP; every
 * successful answer is checked against the contract.
 */
public final class Hospital {

  /** Fixture patients (see listFixtures). */
  public static final String GOOD = "999999199001010011";

  public static final String THIN_FILE = "999999199505050022";
  public static final String DECLINED = "999999198803030033";
  public static final String FROZEN = "99999919770707004X";

  private final TestApp app;

  public Hospital() {
    this.app = TestApp.create(SignatureAlgorithm.ED25519, "care", "sandbox", "events");
  }

  public TestApp app() {
    return app;
  }

  public static JsonObject money(long amount) {
    return new JsonObject().put("amount", amount).put("currency", "CNY");
  }

  public Http.Response post(String path, JsonObject body) {
    return post(path, body, UUID.randomUUID().toString());
  }

  public Http.Response post(String path, JsonObject body, String idempotencyKey) {
    return app.request("POST", path).idempotencyKey(idempotencyKey).body(body.encode()).send();
  }

  public Http.Response get(String path) {
    return app.request("GET", path).send();
  }

  public JsonObject ok(String operationId, int status, Http.Response response) {
    assertThat(response.status()).as("%s: %s", operationId, response.body()).isEqualTo(status);
    return assertResponseMatches(operationId, response);
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

  public JsonObject advanceDays(int days) {
    return ok(
        "advanceClock",
        200,
        post("/v1/sandbox/clock/advance", new JsonObject().put("seconds", days * 86_400L)));
  }

  public JsonArray events(String type) {
    return ok("listEvents", 200, get("/v1/events?limit=100&type=" + type)).getJsonArray("data");
  }

  /** The operator's ledger check: balanced, nothing listed. */
  public static void assertLedgerBalanced() {
    Http.Response response = TestApp.operator().request("GET", "/v1/operator/ledger/check").send();
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonObject check = assertResponseMatches("checkLedger", response);
    assertThat(check.getJsonArray("discrepancies")).as(check.encode()).isEmpty();
    assertThat(check.getBoolean("balanced")).isTrue();
    assertThat(check.getLong("transactions_checked")).isPositive();
  }
}
