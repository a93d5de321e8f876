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
 * Voids, cancellations and repayments run through {@code Transactions}: what they answer (and the
 * events they write) is what the stored rows show afterwards, and a retry replays the answer.
 */
class ReleaseAndRepaymentAnswersTest {

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

  @Test
  void voidCharge_answersTheChargeAsStored_andReplaysIt() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    String chargeId = hospital.held(encounterId, 1_000).getString("id");
    String path = "/v1/care/encounters/" + encounterId + "/charges/" + chargeId + "/void";
    JsonObject body = new JsonObject().put("reason", "ordered in error");
    String key = UUID.randomUUID().toString();
    JsonObject voided = hospital.ok("voidCharge", 200, hospital.post(path, body, key));
    assertThat(voided.getString("status")).isEqualTo("VOIDED");
    assertThat(voided.getString("void_reason")).isEqualTo("ordered in error");
    assertThat(voided.getString("voided_at")).isNotNull();
    assertThat(voided).isEqualTo(charge(encounterId, chargeId));
    assertThat(event("charge.voided", chargeId)).isEqualTo(voided);

    Http.Response again = hospital.post(path, body, key);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.json()).isEqualTo(voided);
    assertThat(hospital.events("charge.voided")).hasSize(1);

    JsonObject encounter =
        hospital.ok("getEncounter", 200, hospital.get("/v1/care/encounters/" + encounterId));
    assertThat(encounter.getJsonObject("totals").getJsonObject("voided").getLong("amount"))
        .isEqualTo(1_000);
    assertThat(encounter.getJsonObject("totals").getJsonObject("held").getLong("amount")).isZero();
    assertThat(hospital.line(lineId).getJsonObject("held").getLong("amount")).isZero();
  }

  @Test
  void voidCharge_ofAnUnknownCharge_isNotFound() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    assertProblem(
        hospital.post(
            "/v1/care/encounters/" + encounterId + "/charges/chg_00000000000000000000/void",
            new JsonObject()),
        404,
        "not_found");
    assertProblem(
        hospital.post(
            "/v1/care/encounters/enc_00000000000000000000/charges/chg_00000000000000000000/void",
            new JsonObject()),
        404,
        "not_found");
  }

  @Test
  void cancel_answersTheEncounterAsStored_andEachVoidedChargeAsStored() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    String first = hospital.held(encounterId, 1_000).getString("id");
    String second = hospital.held(encounterId, 2_500).getString("id");
    JsonObject cancelled =
        hospital.ok(
            "cancelEncounter",
            200,
            hospital.post(
                "/v1/care/encounters/" + encounterId + "/cancel",
                new JsonObject().put("reason", "patient left")));
    assertThat(cancelled.getString("status")).isEqualTo("CANCELLED");
    assertThat(cancelled.getString("cancelled_at")).isNotNull();
    assertThat(cancelled)
        .isEqualTo(
            hospital.ok("getEncounter", 200, hospital.get("/v1/care/encounters/" + encounterId)));
    for (String chargeId : new String[] {first, second}) {
      JsonObject stored = charge(encounterId, chargeId);
      assertThat(stored.getString("void_reason")).isEqualTo("encounter cancelled");
      assertThat(event("charge.voided", chargeId)).isEqualTo(stored);
    }
    assertThat(hospital.line(lineId).getJsonObject("held").getLong("amount")).isZero();
    assertProblem(
        hospital.post("/v1/care/encounters/" + encounterId + "/cancel", new JsonObject()),
        409,
        "encounter_not_open");
  }

  @Test
  void repayment_answersTheRepaymentAsStored_andReplaysIt() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    hospital.held(encounterId, 5_000);
    JsonObject settlement =
        hospital.ok("settleEncounter", 201, hospital.settle(encounterId, 0, 0, 5_000));
    String debtId = settlement.getJsonObject("patient_due").getString("debt_id");
    String path = "/v1/care/credit-lines/" + lineId + "/repayments";
    JsonObject body =
        new JsonObject()
            .put("amount", Hospital.money(2_000))
            .put("source_ref", "TRF-" + UUID.randomUUID())
            .put("debt_id", debtId)
            .put("metadata", new JsonObject().put("channel", "counter"));
    String key = UUID.randomUUID().toString();
    JsonObject repayment = hospital.ok("createRepayment", 201, hospital.post(path, body, key));
    assertThat(repayment.getJsonArray("allocations"))
        .containsExactly(
            new JsonObject()
                .put("debt_id", debtId)
                .put("principal", Hospital.money(2_000))
                .put("penalty", Hospital.money(0)));
    assertThat(repayment)
        .isEqualTo(
            hospital
                .ok("listRepayments", 200, hospital.get(path))
                .getJsonArray("data")
                .getJsonObject(0));
    assertThat(event("repayment.succeeded", repayment.getString("id"))).isEqualTo(repayment);

    Http.Response again = hospital.post(path, body, key);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.json()).isEqualTo(repayment);

    JsonObject debt = hospital.ok("getDebt", 200, hospital.get("/v1/care/debts/" + debtId));
    assertThat(debt.getJsonObject("outstanding").getLong("amount")).isEqualTo(3_000);
    assertProblem(
        hospital.post(
            path,
            new JsonObject()
                .put("amount", Hospital.money(1))
                .put("source_ref", "TRF-" + UUID.randomUUID())
                .put("debt_id", "dbt_00000000000000000000")),
        404,
        "not_found");

    JsonObject rest = hospital.ok("createRepayment", 201, hospital.repay(lineId, 3_000));
    assertThat(rest.getJsonArray("allocations").getJsonObject(0).getString("debt_id"))
        .isEqualTo(debtId);
    JsonObject repaid = hospital.ok("getDebt", 200, hospital.get("/v1/care/debts/" + debtId));
    assertThat(repaid.getString("status")).isEqualTo("REPAID");
    assertThat(repaid.getString("repaid_at")).isNotNull();
    assertThat(hospital.line(lineId).getJsonObject("outstanding").getLong("amount")).isZero();
  }
}
