package io.scenebank.gateway.canteen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Enrolling an employee, from plain values: no database, no gateway. */
class EnrolmentRulesTest {

  private static EnrolmentRules.Decision decide(
      String status, String enrolledAs, boolean payerFound) {
    return EnrolmentRules.decide(
        new EnrolmentRules.State("sbp_1", status, "E1", enrolledAs, "acc_1", payerFound));
  }

  private static String refusal(EnrolmentRules.Decision decision) {
    assertThat(decision).isInstanceOf(EnrolmentRules.Refuse.class);
    return ((EnrolmentRules.Refuse) decision).problem().code();
  }

  @Test
  void decide_whenActiveNewAndKnown_enrols() {
    assertThat(decide("ACTIVE", null, true)).isEqualTo(new EnrolmentRules.Enrol());
  }

  @Test
  void decide_whenClosed_refusesProgrammeNotActive() {
    assertThat(refusal(decide("CLOSED", null, true))).isEqualTo("programme_not_active");
  }

  @Test
  void decide_whenAlreadyEnrolled_refusesAndNamesTheEnrolment() {
    EnrolmentRules.Decision decision = decide("ACTIVE", "enr_1", true);
    assertThat(refusal(decision)).isEqualTo("employee_already_enrolled");
    assertThat(((EnrolmentRules.Refuse) decision).problem().detail()).contains("E1", "enr_1");
  }

  @Test
  void decide_whenThePayerAccountIsUnknown_refusesNotFound() {
    assertThat(refusal(decide("ACTIVE", null, false))).isEqualTo("not_found");
  }
}
