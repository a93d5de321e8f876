package io.scenebank.gateway.care;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The charge decision, from plain values: no database, no gateway. */
class ChargeRulesTest {

  private static final ChargeRules.Request TEN = new ChargeRules.Request(2, 500, 1_000, "C-1");

  private static ChargeRules.State state(
      String encounter, String line, long limit, long held, long owed, String duplicate) {
    return new ChargeRules.State(
        "enc_1", encounter, "cl_1", line, null, limit, held, owed, duplicate);
  }

  private static String refusal(ChargeRules.Decision decision) {
    assertThat(decision).isInstanceOf(ChargeRules.Refuse.class);
    return ((ChargeRules.Refuse) decision).problem().code();
  }

  @Test
  void decide_whenEverythingHolds_holdsTheAmount() {
    assertThat(ChargeRules.decide(TEN, state("OPEN", "ACTIVE", 5_000, 1_000, 2_000, null)))
        .isEqualTo(new ChargeRules.Hold(1_000));
  }

  @Test
  void decide_whenExactlyTheAvailableAmount_holdsIt() {
    assertThat(ChargeRules.decide(TEN, state("OPEN", "ACTIVE", 5_000, 2_000, 2_000, null)))
        .isEqualTo(new ChargeRules.Hold(1_000));
  }

  @Test
  void decide_whenOneFenOverTheAvailable_refusesOverLimit() {
    assertThat(refusal(ChargeRules.decide(TEN, state("OPEN", "ACTIVE", 5_000, 2_001, 2_000, null))))
        .isEqualTo("over_limit");
  }

  @Test
  void decide_whenAmountIsNotQuantityTimesUnit_refusesAmountMismatch() {
    ChargeRules.Request wrong = new ChargeRules.Request(3, 500, 1_000, "C-1");
    assertThat(refusal(ChargeRules.decide(wrong, state("OPEN", "ACTIVE", 5_000, 0, 0, null))))
        .isEqualTo("amount_mismatch");
  }

  @Test
  void decide_whenTheEncounterIsSettled_refusesEncounterNotOpen() {
    assertThat(refusal(ChargeRules.decide(TEN, state("SETTLED", "ACTIVE", 5_000, 0, 0, null))))
        .isEqualTo("encounter_not_open");
  }

  @Test
  void decide_whenTheLineIsFrozen_refusesCreditLineNotActive() {
    assertThat(refusal(ChargeRules.decide(TEN, state("OPEN", "FROZEN", 5_000, 0, 0, null))))
        .isEqualTo("credit_line_not_active");
  }

  @Test
  void decide_whenTheReferenceWasUsed_refusesDuplicate() {
    assertThat(refusal(ChargeRules.decide(TEN, state("OPEN", "ACTIVE", 5_000, 0, 0, "chg_9"))))
        .isEqualTo("duplicate_charge_ref");
  }
}
