package io.scenebank.gateway.care;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.Partner.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Hospital;
import io.scenebank.gateway.testing.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every refusal a hospital can meet: a clear code, and nothing changed. */
class CareErrorsTest {

  private final Hospital hospital = new Hospital();

  @AfterEach
  void ledgerStaysBalanced() {
    assertLedgerBalanced();
  }

  private long held(String lineId) {
    return hospital.line(lineId).getJsonObject("held").getLong("amount");
  }

  @Test
  void overLimit_isDeclined_andHoldsNothing() {
    String lineId = hospital.line(Hospital.THIN_FILE, null).getString("id");
    assertThat(hospital.line(lineId).getJsonObject("limit").getLong("amount")).isEqualTo(100_000);
    String encounterId = hospital.encounter(lineId).getString("id");
    hospital.held(encounterId, 60_000);
    JsonObject problem = assertProblem(hospital.charge(encounterId, 40_001), 422, "over_limit");
    assertThat(problem.getString("detail")).contains("40001").contains("40000");
    assertThat(held(lineId)).isEqualTo(60_000);
    JsonObject charges =
        hospital.ok(
            "listCharges", 200, hospital.get("/v1/care/encounters/" + encounterId + "/charges"));
    assertThat(charges.getJsonArray("data")).hasSize(1);
    hospital.held(encounterId, 40_000); // exactly what is left is fine
    assertThat(hospital.line(lineId).getJsonObject("available").getLong("amount")).isZero();
  }

  @Test
  void amountNotQuantityTimesUnit_isRefused() {
    String encounterId =
        hospital.encounter(hospital.line(Hospital.GOOD, null).getString("id")).getString("id");
    JsonObject body = Hospital.chargeBody(6_000).put("quantity", 2);
    body.put("unit_amount", Hospital.money(3_250));
    assertProblem(
        hospital.post("/v1/care/encounters/" + encounterId + "/charges", body),
        422,
        "amount_mismatch");
  }

  @Test
  void duplicateReferences_areConflicts() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    JsonObject encounter = hospital.encounter(lineId);
    Http.Response again =
        hospital.post(
            "/v1/care/encounters",
            new JsonObject()
                .put("credit_line_id", lineId)
                .put("hospital_encounter_ref", encounter.getString("hospital_encounter_ref"))
                .put("department", "外科")
                .put("visit_type", "EMERGENCY"));
    assertProblem(again, 409, "duplicate_encounter_ref");
    JsonObject body = Hospital.chargeBody(500);
    String path = "/v1/care/encounters/" + encounter.getString("id") + "/charges";
    hospital.ok("createCharge", 201, hospital.post(path, body));
    assertProblem(hospital.post(path, body), 409, "duplicate_charge_ref");
    assertThat(held(lineId)).isEqualTo(500);
  }

  @Test
  void settlingTwice_isImpossible() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    hospital.held(encounterId, 10_000);
    String path = "/v1/care/encounters/" + encounterId + "/settlement";
    JsonObject body = Hospital.settleBody(5_000, 2_000, 3_000);
    Http.Response first = hospital.post(path, body, "settle-" + encounterId);
    JsonObject settlement = hospital.ok("settleEncounter", 201, first);
    // the same request again (a retry): the same answer, not a second settlement
    Http.Response retry = hospital.post(path, body, "settle-" + encounterId);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.json().getString("id")).isEqualTo(settlement.getString("id"));
    // another key: refused
    JsonObject problem = assertProblem(hospital.post(path, body), 409, "already_settled");
    assertThat(problem.getString("detail")).contains(settlement.getString("id"));
    assertThat(hospital.line(lineId).getJsonObject("outstanding").getLong("amount"))
        .isEqualTo(3_000);
    assertThat(
            hospital
                .ok("listDebts", 200, hospital.get("/v1/care/debts?credit_line_id=" + lineId))
                .getJsonArray("data"))
        .hasSize(1);
    assertProblem(hospital.charge(encounterId, 100), 409, "encounter_not_open");
    assertProblem(
        hospital.post("/v1/care/encounters/" + encounterId + "/cancel", new JsonObject()),
        409,
        "encounter_not_open");
  }

  @Test
  void settlement_mustAddUp_nameTheInsurer_andHaveCharges() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    String path = "/v1/care/encounters/" + encounterId + "/settlement";
    assertProblem(hospital.settle(encounterId, 0, 0, 100), 422, "nothing_to_settle");
    hospital.held(encounterId, 17_500);
    JsonObject problem =
        assertProblem(hospital.settle(encounterId, 8_000, 4_500, 4_000), 422, "split_mismatch");
    assertThat(problem.getString("detail")).contains("16500").contains("17500");
    JsonObject noInsurer =
        new JsonObject().put("insurance_split", Hospital.split(8_000, 4_500, 5_000));
    assertProblem(hospital.post(path, noInsurer), 422, "insurer_required");
    // all self-pay needs no insurer
    JsonObject selfPay = new JsonObject().put("insurance_split", Hospital.split(0, 0, 17_500));
    hospital.ok("settleEncounter", 201, hospital.post(path, selfPay));
    assertThat(held(lineId)).isZero();
  }

  @Test
  void refunds_neverExceedWhatWasCharged() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    JsonObject drug = hospital.held(encounterId, 6_500);
    assertProblem(
        hospital.refund(encounterId, drug.getString("id"), 100, 0, 0, 100),
        409,
        "encounter_not_settled");
    hospital.ok("settleEncounter", 201, hospital.settle(encounterId, 3_000, 1_500, 2_000));
    String chargeId = drug.getString("id");
    hospital.ok(
        "createCareRefund", 201, hospital.refund(encounterId, chargeId, 3_250, 1_500, 750, 1_000));
    JsonObject problem =
        assertProblem(
            hospital.refund(encounterId, chargeId, 4_000, 1_500, 750, 1_750),
            422,
            "refund_exceeds_charged");
    assertThat(problem.getString("detail")).contains("6500").contains("3250").contains("4000");
    assertProblem(
        hospital.refund(encounterId, chargeId, 1_000, 1_000, 0, 1), 422, "split_mismatch");
    // the insurer's part cannot go beyond what it paid
    assertProblem(
        hospital.refund(encounterId, chargeId, 2_000, 2_000, 0, 0), 422, "split_mismatch");
    assertProblem(
        hospital.refund(encounterId, "chg_0000000000000000", 100, 0, 0, 100),
        422,
        "charge_not_in_encounter");
    hospital.ok(
        "createCareRefund", 201, hospital.refund(encounterId, chargeId, 3_250, 1_500, 750, 1_000));
    assertProblem(
        hospital.refund(encounterId, chargeId, 1, 0, 0, 1), 422, "refund_exceeds_charged");
    JsonObject charge =
        hospital
            .ok("listCharges", 200, hospital.get("/v1/care/encounters/" + encounterId + "/charges"))
            .getJsonArray("data")
            .getJsonObject(0);
    assertThat(charge.getString("status")).isEqualTo("REFUNDED");
    assertThat(hospital.line(lineId).getJsonObject("outstanding").getLong("amount")).isZero();
    JsonObject refunds =
        hospital.ok(
            "listCareRefunds",
            200,
            hospital.get("/v1/care/encounters/" + encounterId + "/refunds"));
    assertThat(refunds.getJsonArray("data")).hasSize(2);
  }

  @Test
  void anotherHospitalsResources_areNotFound() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    JsonObject charge = hospital.held(encounterId, 1_000);
    Hospital other = new Hospital();
    String e = "/v1/care/encounters/" + encounterId;
    assertProblem(other.get(e), 404, "not_found");
    assertProblem(other.charge(encounterId, 100), 404, "not_found");
    assertProblem(other.settle(encounterId, 0, 0, 1_000), 404, "not_found");
    assertProblem(
        other.post(e + "/charges/" + charge.getString("id") + "/void", new JsonObject()),
        404,
        "not_found");
    assertProblem(other.get(e + "/charges"), 404, "not_found");
    assertProblem(other.get("/v1/care/credit-lines/" + lineId), 404, "not_found");
    assertProblem(other.openEncounter(lineId), 404, "not_found");
    assertProblem(other.repay(lineId, 100), 404, "not_found");
    JsonArray theirs =
        other.ok("listEncounters", 200, other.get("/v1/care/encounters")).getJsonArray("data");
    assertThat(theirs).isEmpty();
    assertThat(held(lineId)).isEqualTo(1_000);
  }

  @Test
  void voidAndCancel_releaseHolds_once() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    JsonObject first = hospital.held(encounterId, 1_000);
    hospital.held(encounterId, 2_000);
    hospital.held(encounterId, 3_000);
    String voidPath =
        "/v1/care/encounters/" + encounterId + "/charges/" + first.getString("id") + "/void";
    hospital.ok("voidCharge", 200, hospital.post(voidPath, new JsonObject()));
    assertProblem(hospital.post(voidPath, new JsonObject()), 409, "charge_not_held");
    assertThat(held(lineId)).isEqualTo(5_000);
    JsonObject cancelled =
        hospital.ok(
            "cancelEncounter",
            200,
            hospital.post(
                "/v1/care/encounters/" + encounterId + "/cancel",
                new JsonObject().put("reason", "patient left")));
    assertThat(cancelled.getString("status")).isEqualTo("CANCELLED");
    assertThat(cancelled.getJsonObject("totals").getJsonObject("voided").getLong("amount"))
        .isEqualTo(6_000);
    assertThat(held(lineId)).isZero();
    assertThat(hospital.line(lineId).getJsonObject("available").getLong("amount"))
        .isEqualTo(500_000);
    assertProblem(hospital.settle(encounterId, 0, 0, 5_000), 409, "encounter_not_open");
    assertThat(hospital.events("charge.voided").size()).isEqualTo(3);
  }

  @Test
  void closingALineWithABalance_isRefused() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    hospital.held(hospital.encounter(lineId).getString("id"), 1_000);
    assertProblem(
        hospital.post("/v1/care/credit-lines/" + lineId + "/close", new JsonObject()),
        409,
        "credit_line_has_balance");
    assertThat(hospital.line(lineId).getString("status")).isEqualTo("ACTIVE");
  }

  @Test
  void repayments_cannotExceedWhatIsOwed_norRepeatASourceRef() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    assertProblem(hospital.repay(lineId, 100), 422, "nothing_outstanding");
    String encounterId = hospital.encounter(lineId).getString("id");
    hospital.held(encounterId, 5_000);
    hospital.ok("settleEncounter", 201, hospital.settle(encounterId, 0, 0, 5_000));
    JsonObject problem =
        assertProblem(hospital.repay(lineId, 5_001), 422, "repayment_exceeds_outstanding");
    assertThat(problem.getString("detail")).contains("5001").contains("5000");
    JsonObject body =
        new JsonObject()
            .put("amount", Hospital.money(1_000))
            .put("source_ref", "TRF-ONCE-" + lineId.substring(3));
    String path = "/v1/care/credit-lines/" + lineId + "/repayments";
    hospital.ok("createRepayment", 201, hospital.post(path, body));
    assertProblem(hospital.post(path, body), 409, "duplicate_source_ref");
    assertThat(hospital.line(lineId).getJsonObject("outstanding").getLong("amount"))
        .isEqualTo(4_000);
    assertThat(hospital.ok("listRepayments", 200, hospital.get(path)).getJsonArray("data"))
        .hasSize(1);
  }
}
