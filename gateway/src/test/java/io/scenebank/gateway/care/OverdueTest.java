package io.scenebank.gateway.care;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.Partner.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Hospital;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Time passing on the app's sandbox clock: reminders before the due date, then overdue — the line
 * freezes and penalty accrues daily — until a repayment clears it.
 */
class OverdueTest {

  private final Hospital hospital = new Hospital();

  @AfterEach
  void ledgerStaysBalanced() {
    assertLedgerBalanced();
  }

  private JsonObject debt(String id) {
    return hospital.ok("getDebt", 200, hospital.get("/v1/care/debts/" + id));
  }

  /** A line with one settled visit: 100,000 fen self-pay (default grace 10 days, 5 bps a day). */
  private JsonObject settled() {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    hospital.held(encounterId, 100_000);
    return hospital.ok("settleEncounter", 201, hospital.settle(encounterId, 0, 0, 100_000));
  }

  @Test
  void unpaidAfterTheGracePeriod_turnsOverdue_freezesTheLine_andAccruesPenalty() {
    JsonObject settlement = settled();
    String lineId = settlement.getString("credit_line_id");
    String debtId = settlement.getJsonObject("patient_due").getString("debt_id");
    JsonObject debt = debt(debtId);
    LocalDate due = LocalDate.parse(debt.getString("due_date"));
    assertThat(debt.getString("status")).isEqualTo("DUE");
    assertThat(hospital.line(lineId).getInteger("grace_period_days")).isEqualTo(10);

    hospital.advanceDays(7); // 3 days before the due date
    assertThat(hospital.events("debt.reminder")).hasSize(1);
    hospital.advanceDays(2); // the day before
    assertThat(hospital.events("debt.reminder")).hasSize(2);
    assertThat(debt(debtId).getString("status")).isEqualTo("DUE");
    assertThat(hospital.events("debt.overdue")).isEmpty();

    hospital.advanceDays(2); // one day past the due date
    JsonObject overdue = debt(debtId);
    assertThat(overdue.getString("status")).isEqualTo("OVERDUE");
    assertThat(overdue.getString("overdue_since")).isEqualTo(due.plusDays(1).toString());
    // 100,000 fen × 5 bps = 50 fen a day
    assertThat(overdue.getJsonObject("penalty_accrued").getLong("amount")).isEqualTo(50);
    assertThat(overdue.getJsonObject("outstanding").getLong("amount")).isEqualTo(100_050);
    JsonObject line = hospital.line(lineId);
    assertThat(line.getString("status")).isEqualTo("FROZEN");
    assertThat(line.getString("frozen_reason")).isEqualTo("DEBT_OVERDUE");
    assertThat(line.getJsonObject("outstanding").getLong("amount")).isEqualTo(100_050);
    assertThat(hospital.events("debt.overdue")).hasSize(1);
    JsonArray frozen = hospital.events("credit_line.frozen");
    assertThat(frozen).hasSize(1);
    assertThat(
            frozen.getJsonObject(0).getJsonObject("data").getJsonObject("object").getString("id"))
        .isEqualTo(lineId);
    assertProblem(hospital.openEncounter(lineId), 409, "credit_line_not_active");

    hospital.advanceDays(3);
    assertThat(debt(debtId).getJsonObject("penalty_accrued").getLong("amount")).isEqualTo(200);
    // running the due work again changes nothing more
    hospital.ok("getClock", 200, hospital.get("/v1/sandbox/clock"));
    assertThat(debt(debtId).getJsonObject("penalty_accrued").getLong("amount")).isEqualTo(200);
    JsonObject overdueList =
        hospital.ok("listDebts", 200, hospital.get("/v1/care/debts?status=OVERDUE"));
    assertThat(overdueList.getJsonArray("data")).hasSize(1);

    // a partial repayment goes to the penalty first; the line stays frozen
    JsonObject partial = hospital.ok("createRepayment", 201, hospital.repay(lineId, 1_200));
    JsonObject allocation = partial.getJsonArray("allocations").getJsonObject(0);
    assertThat(allocation.getJsonObject("penalty").getLong("amount")).isEqualTo(200);
    assertThat(allocation.getJsonObject("principal").getLong("amount")).isEqualTo(1_000);
    assertThat(hospital.line(lineId).getString("status")).isEqualTo("FROZEN");

    hospital.ok("createRepayment", 201, hospital.repay(lineId, 99_000));
    JsonObject repaid = debt(debtId);
    assertThat(repaid.getString("status")).isEqualTo("REPAID");
    assertThat(repaid.getJsonObject("repaid").getLong("amount")).isEqualTo(100_200);
    JsonObject active = hospital.line(lineId);
    assertThat(active.getString("status")).isEqualTo("ACTIVE");
    assertThat(active.getJsonObject("available").getLong("amount")).isEqualTo(500_000);
    hospital.encounter(lineId);
  }

  @Test
  void refundAfterRepayment_paysThePatientBack() {
    JsonObject settlement = settled();
    String lineId = settlement.getString("credit_line_id");
    String encounterId = settlement.getString("encounter_id");
    String chargeId = settlement.getJsonArray("lines").getJsonObject(0).getString("charge_id");
    hospital.ok("createRepayment", 201, hospital.repay(lineId, 60_000));
    JsonObject refund =
        hospital.ok(
            "createCareRefund", 201, hospital.refund(encounterId, chargeId, 50_000, 0, 0, 50_000));
    // 40,000 was still owed: that much is taken off the debt, the other 10,000 goes back
    assertThat(refund.getJsonObject("debt_reduced").getLong("amount")).isEqualTo(40_000);
    assertThat(refund.getJsonObject("patient_refunded").getLong("amount")).isEqualTo(10_000);
    JsonObject debt = debt(settlement.getJsonObject("patient_due").getString("debt_id"));
    assertThat(debt.getString("status")).isEqualTo("REPAID");
    assertThat(debt.getJsonObject("principal").getLong("amount")).isEqualTo(60_000);
    assertThat(hospital.line(lineId).getJsonObject("outstanding").getLong("amount")).isZero();
  }

  @Test
  void theClock_onlyMovesForward_andIsPerApp() {
    JsonObject before = hospital.ok("getClock", 200, hospital.get("/v1/sandbox/clock"));
    assertThat(before.getLong("offset_seconds")).isZero();
    JsonObject after = hospital.advanceDays(2);
    assertThat(after.getLong("offset_seconds")).isEqualTo(172_800);
    assertProblem(
        hospital.post("/v1/sandbox/clock/advance", new JsonObject().put("seconds", -5)),
        400,
        "validation_failed");
    Hospital other = new Hospital();
    assertThat(other.ok("getClock", 200, other.get("/v1/sandbox/clock")).getLong("offset_seconds"))
        .isZero();
  }
}
