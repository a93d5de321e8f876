package io.scenebank.gateway.care;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.Partner.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Hospital;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A visit over the signed API: consent, line, charges, settlement, refund, repayment. */
class PayAfterCareTest {

  private final Hospital hospital = new Hospital();

  @AfterEach
  void ledgerStaysBalanced() {
    assertLedgerBalanced();
  }

  @Test
  void wholeVisit_holdsSettlesRefundsAndRepays() {
    JsonObject line = hospital.line(Hospital.GOOD, 300_000L);
    String lineId = line.getString("id");
    assertThat(line.getString("status")).isEqualTo("ACTIVE");
    assertThat(line.getJsonObject("limit").getLong("amount")).isEqualTo(300_000);
    assertThat(line.getJsonObject("patient").getString("id_number_masked"))
        .isEqualTo("9999**********0011");

    String encounterId = hospital.encounter(lineId).getString("id");
    JsonObject registration = hospital.held(encounterId, 1_000);
    JsonObject lab = hospital.held(encounterId, 6_500);
    JsonObject drug = hospital.held(encounterId, 10_000);
    assertThat(drug.getString("status")).isEqualTo("HELD");
    JsonObject afterCharges = hospital.line(lineId);
    assertThat(afterCharges.getJsonObject("held").getLong("amount")).isEqualTo(17_500);
    assertThat(afterCharges.getJsonObject("available").getLong("amount"))
        .isEqualTo(300_000 - 17_500);

    hospital.ok(
        "voidCharge",
        200,
        hospital.post(
            "/v1/care/encounters/"
                + encounterId
                + "/charges/"
                + registration.getString("id")
                + "/void",
            new JsonObject().put("reason", "registration waived")));
    assertThat(hospital.line(lineId).getJsonObject("held").getLong("amount")).isEqualTo(16_500);

    JsonObject settlement =
        hospital.ok("settleEncounter", 201, hospital.settle(encounterId, 8_000, 4_500, 4_000));
    assertThat(settlement.getJsonObject("total").getLong("amount")).isEqualTo(16_500);
    assertThat(settlement.getJsonObject("hospital_credited").getLong("amount")).isEqualTo(16_500);
    assertThat(settlement.getJsonArray("lines")).hasSize(2);
    JsonObject due = settlement.getJsonObject("patient_due");
    assertThat(due.getJsonObject("amount").getLong("amount")).isEqualTo(4_000);
    JsonObject settledLine = hospital.line(lineId);
    assertThat(settledLine.getJsonObject("held").getLong("amount")).isZero();
    assertThat(settledLine.getJsonObject("outstanding").getLong("amount")).isEqualTo(4_000);
    assertThat(settledLine.getJsonObject("available").getLong("amount")).isEqualTo(296_000);

    // the drug came back unused: 3,250 of the 10,000, re-split by the insurer
    JsonObject refund =
        hospital.ok(
            "createCareRefund",
            201,
            hospital.refund(encounterId, drug.getString("id"), 3_250, 1_500, 750, 1_000));
    assertThat(refund.getJsonObject("debt_reduced").getLong("amount")).isEqualTo(1_000);
    assertThat(refund.getJsonObject("patient_refunded").getLong("amount")).isZero();
    assertThat(hospital.line(lineId).getJsonObject("outstanding").getLong("amount"))
        .isEqualTo(3_000);

    String debtId = due.getString("debt_id");
    JsonObject repayment = hospital.ok("createRepayment", 201, hospital.repay(lineId, 3_000));
    assertThat(repayment.getJsonArray("allocations").getJsonObject(0).getString("debt_id"))
        .isEqualTo(debtId);
    JsonObject debt = hospital.ok("getDebt", 200, hospital.get("/v1/care/debts/" + debtId));
    assertThat(debt.getString("status")).isEqualTo("REPAID");
    assertThat(debt.getJsonObject("outstanding").getLong("amount")).isZero();
    assertProblem(hospital.repay(lineId, 1), 422, "nothing_outstanding");

    String stillOpen = hospital.encounter(lineId).getString("id");
    JsonObject closed =
        hospital.ok(
            "closeCreditLine",
            200,
            hospital.post("/v1/care/credit-lines/" + lineId + "/close", new JsonObject()));
    assertThat(closed.getString("status")).isEqualTo("CLOSED");
    assertThat(closed.getJsonObject("available").getLong("amount")).isZero();
    assertProblem(hospital.charge(stillOpen, 100), 409, "credit_line_not_active");
    assertProblem(hospital.openEncounter(lineId), 409, "credit_line_not_active");
    assertProblem(
        hospital.post("/v1/care/credit-lines/" + lineId + "/close", new JsonObject()),
        409,
        "credit_line_closed");
    assertThat(hospital.events("encounter.settled").encode()).contains(encounterId);
    assertThat(hospital.events("care_refund.succeeded").encode()).contains(refund.getString("id"));
    assertThat(hospital.events("repayment.succeeded").encode()).contains(repayment.getString("id"));
  }
}
