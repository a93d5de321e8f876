package io.scenebank.gateway.care;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Voids and cancellations, from plain values: no database, no gateway. */
class ReleaseRulesTest {

  private static String refusal(ReleaseRules.Decision decision) {
    assertThat(decision).isInstanceOf(ReleaseRules.Refuse.class);
    return ((ReleaseRules.Refuse) decision).problem().code();
  }

  @Test
  void voidCharge_whenHeld_releasesItsAmount() {
    assertThat(ReleaseRules.voidCharge(new ReleaseRules.Charge("chg_1", "HELD", 1_000)))
        .isEqualTo(new ReleaseRules.Release(1_000, List.of("chg_1")));
  }

  @Test
  void voidCharge_whenVoidedOrSettled_refusesChargeNotHeld() {
    assertThat(refusal(ReleaseRules.voidCharge(new ReleaseRules.Charge("chg_1", "VOIDED", 1))))
        .isEqualTo("charge_not_held");
    ReleaseRules.Decision settled =
        ReleaseRules.voidCharge(new ReleaseRules.Charge("chg_1", "SETTLED", 1));
    assertThat(refusal(settled)).isEqualTo("charge_not_held");
    assertThat(((ReleaseRules.Refuse) settled).problem().detail()).contains("refund it instead");
  }

  @Test
  void cancel_whenOpen_releasesEveryHeldCharge() {
    assertThat(
            ReleaseRules.cancel(
                "enc_1",
                "OPEN",
                List.of(
                    new ReleaseRules.Charge("chg_1", "HELD", 1_000),
                    new ReleaseRules.Charge("chg_2", "HELD", 2_500))))
        .isEqualTo(new ReleaseRules.Release(3_500, List.of("chg_1", "chg_2")));
  }

  @Test
  void cancel_whenOpenWithNothingHeld_releasesNothing() {
    assertThat(ReleaseRules.cancel("enc_1", "OPEN", List.of()))
        .isEqualTo(new ReleaseRules.Release(0, List.of()));
  }

  @Test
  void cancel_whenSettledOrCancelled_refusesEncounterNotOpen() {
    assertThat(refusal(ReleaseRules.cancel("enc_1", "SETTLED", List.of())))
        .isEqualTo("encounter_not_open");
    assertThat(refusal(ReleaseRules.cancel("enc_1", "CANCELLED", List.of())))
        .isEqualTo("encounter_not_open");
  }
}
