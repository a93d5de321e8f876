package io.scenebank.gateway.care;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.Partner.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Hospital;
import io.scenebank.gateway.testing.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Care refunds run through {@code Transactions}: what they answer (and the event they write) is
 * what the stored rows show afterwards, and a retry replays the answer.
 */
class CareRefundAnswersTest {

  private final Hospital hospital = new Hospital();

  @AfterEach
  void ledgerStaysBalanced() {
    assertLedgerBalanced();
  }

  private JsonObject charge(String encounterId, String chargeId) {
    JsonArray charges =
        hospital
            .ok("listCharges", 200, hospital.get("/v1/care/encounters/" + encounterId + "/charges"))
            .getJsonArray("data");
    for (int i = 0; i < charges.size(); i++) {
      if (charges.getJsonObject(i).getString("id").equals(chargeId)) {
        return charges.getJsonObject(i);
      }
    }
    throw new AssertionError("no charge " + chargeId);
  }

  private JsonObject event(String type, String objectId) {
    JsonArray events = hospital.events(type);
    for (int i = 0; i < events.size(); i++) {
      JsonObject object = events.getJsonObject(i).getJsonObject("data").getJsonObject("object");
      if (object.getString("id").equals(objectId)) {
        return object;
      }
    }
    throw new AssertionError("no " + type + " for " + objectId);
  }

  private static JsonObject item(String chargeId, long amount) {
    return new JsonObject().put("charge_id", chargeId).put("amount", Hospital.money(amount));
  }

  @Test
  void refund_answersTheRefundAsStored_andReplaysIt() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    String drug = hospital.held(encounterId, 3_250).getString("id");
    String lab = hospital.held(encounterId, 6_750).getString("id");
    JsonObject settlement =
        hospital.ok("settleEncounter", 201, hospital.settle(encounterId, 4_000, 1_000, 5_000));
    String debtId = settlement.getJsonObject("patient_due").getString("debt_id");

    String path = "/v1/care/encounters/" + encounterId + "/refunds";
    // the same charge twice counts once, with both amounts
    JsonObject body =
        new JsonObject()
            .put(
                "items",
                new JsonArray().add(item(drug, 3_000)).add(item(lab, 500)).add(item(drug, 250)))
            .put("insurance_split", Hospital.split(1_500, 750, 1_500))
            .put("reason", "药品未取，退药")
            .put(
                "metadata",
                new JsonObject().put("ticket", "RF-1").put("a", "1").put("counter", "3"));
    String key = UUID.randomUUID().toString();
    JsonObject refund = hospital.ok("createCareRefund", 201, hospital.post(path, body, key));
    assertThat(refund.getString("status")).isEqualTo("SUCCEEDED");
    assertThat(refund.getString("settlement_id")).isEqualTo(settlement.getString("id"));
    assertThat(refund.getJsonObject("amount").getLong("amount")).isEqualTo(3_750);
    assertThat(refund.getJsonObject("hospital_debited").getLong("amount")).isEqualTo(3_750);
    assertThat(refund.getJsonObject("debt_reduced").getLong("amount")).isEqualTo(1_500);
    assertThat(refund.getJsonObject("patient_refunded").getLong("amount")).isZero();
    assertThat(refund.getJsonArray("items")).containsExactly(item(drug, 3_250), item(lab, 500));
    assertThat(refund)
        .isEqualTo(
            hospital
                .ok("listCareRefunds", 200, hospital.get(path))
                .getJsonArray("data")
                .getJsonObject(0));
    assertThat(event("care_refund.succeeded", refund.getString("id"))).isEqualTo(refund);

    Http.Response again = hospital.post(path, body, key);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.json()).isEqualTo(refund);
    assertThat(hospital.events("care_refund.succeeded")).hasSize(1);
    assertThat(hospital.ok("listCareRefunds", 200, hospital.get(path)).getJsonArray("data"))
        .hasSize(1);

    JsonObject refundedDrug = charge(encounterId, drug);
    assertThat(refundedDrug.getString("status")).isEqualTo("REFUNDED");
    assertThat(refundedDrug.getJsonObject("refunded_amount").getLong("amount")).isEqualTo(3_250);
    JsonObject refundedLab = charge(encounterId, lab);
    assertThat(refundedLab.getString("status")).isEqualTo("PARTIALLY_REFUNDED");
    assertThat(refundedLab.getJsonObject("refunded_amount").getLong("amount")).isEqualTo(500);
    JsonObject encounter =
        hospital.ok("getEncounter", 200, hospital.get("/v1/care/encounters/" + encounterId));
    assertThat(encounter.getJsonObject("totals").getJsonObject("refunded").getLong("amount"))
        .isEqualTo(3_750);
    JsonObject debt = hospital.ok("getDebt", 200, hospital.get("/v1/care/debts/" + debtId));
    assertThat(debt.getJsonObject("principal").getLong("amount")).isEqualTo(3_500);
    assertThat(debt.getJsonObject("outstanding").getLong("amount")).isEqualTo(3_500);
    assertThat(hospital.line(lineId).getJsonObject("outstanding").getLong("amount"))
        .isEqualTo(3_500);

    // what is left of the personal account part is 250: asking for more is refused
    assertProblem(
        hospital.post(
            path,
            new JsonObject()
                .put("items", new JsonArray().add(item(lab, 500)))
                .put("insurance_split", Hospital.split(0, 500, 0))
                .put("reason", "retest cancelled")),
        422,
        "split_mismatch");
  }

  @Test
  void refund_afterRepayment_paysThePatientBack_andRepaysTheDebt() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    String chargeId = hospital.held(encounterId, 10_000).getString("id");
    JsonObject settlement =
        hospital.ok("settleEncounter", 201, hospital.settle(encounterId, 0, 0, 10_000));
    String debtId = settlement.getJsonObject("patient_due").getString("debt_id");
    hospital.ok("createRepayment", 201, hospital.repay(lineId, 7_000));

    JsonObject refund =
        hospital.ok(
            "createCareRefund", 201, hospital.refund(encounterId, chargeId, 5_000, 0, 0, 5_000));
    assertThat(refund.getJsonObject("debt_reduced").getLong("amount")).isEqualTo(3_000);
    assertThat(refund.getJsonObject("patient_refunded").getLong("amount")).isEqualTo(2_000);
    JsonObject debt = hospital.ok("getDebt", 200, hospital.get("/v1/care/debts/" + debtId));
    assertThat(debt.getString("status")).isEqualTo("REPAID");
    assertThat(debt.getString("repaid_at")).isNotNull();
    assertThat(debt.getJsonObject("principal").getLong("amount")).isEqualTo(7_000);
    assertThat(hospital.line(lineId).getJsonObject("outstanding").getLong("amount")).isZero();

    // the debt is repaid: a second refund goes back to the patient whole
    JsonObject more =
        hospital.ok(
            "createCareRefund", 201, hospital.refund(encounterId, chargeId, 1_000, 0, 0, 1_000));
    assertThat(more.getJsonObject("debt_reduced").getLong("amount")).isZero();
    assertThat(more.getJsonObject("patient_refunded").getLong("amount")).isEqualTo(1_000);
    assertThat(charge(encounterId, chargeId).getString("status")).isEqualTo("PARTIALLY_REFUNDED");
  }

  @Test
  void refund_ofAnEncounterNotSettled_orUnknown_isRefused() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    String chargeId = hospital.held(encounterId, 1_000).getString("id");
    String key = UUID.randomUUID().toString();
    JsonObject body =
        new JsonObject()
            .put("items", new JsonArray().add(item(chargeId, 1_000)))
            .put("insurance_split", Hospital.split(0, 0, 1_000))
            .put("reason", "drug returned unused");
    String path = "/v1/care/encounters/" + encounterId + "/refunds";
    JsonObject refused =
        assertProblem(hospital.post(path, body, key), 409, "encounter_not_settled");
    // a final refusal is the answer for the key
    Http.Response again = hospital.post(path, body, key);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.json()).isEqualTo(refused);
    assertProblem(
        hospital.post("/v1/care/encounters/enc_00000000000000000000/refunds", body),
        404,
        "not_found");
  }
}
