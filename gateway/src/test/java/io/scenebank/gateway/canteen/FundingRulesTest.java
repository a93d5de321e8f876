package io.scenebank.gateway.canteen;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.support.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** Funding a programme, from plain values: no database, no gateway. */
class FundingRulesTest {

  private static FundingRules.State state(
      String status, String fundedAs, int enrolled, boolean funderFound, long available) {
    return new FundingRules.State(
        "sbp_1", status, fundedAs, enrolled, "acc_1", funderFound, available);
  }

  private static String refusal(FundingRules.Decision decision) {
    assertThat(decision).isInstanceOf(FundingRules.Refuse.class);
    return ((FundingRules.Refuse) decision).problem().code();
  }

  @Test
  void decide_whenTheEmployerCovers_fundsEveryWallet() {
    assertThat(FundingRules.decide(30_000, "2026-11", state("ACTIVE", null, 3, true, 90_000)))
        .isEqualTo(new FundingRules.Fund(30_000, 90_000));
  }

  @Test
  void decide_whenOneFenShort_refusesInsufficientFunds() {
    assertThat(
            refusal(FundingRules.decide(30_000, "2026-11", state("ACTIVE", null, 3, true, 89_999))))
        .isEqualTo("insufficient_funds");
  }

  @Test
  void decide_whenClosed_refusesProgrammeNotActive() {
    assertThat(refusal(FundingRules.decide(1, "2026-11", state("CLOSED", null, 3, true, 10))))
        .isEqualTo("programme_not_active");
  }

  @Test
  void decide_whenThePeriodWasFunded_refusesAndNamesTheFunding() {
    FundingRules.Decision decision =
        FundingRules.decide(1, "2026-11", state("ACTIVE", "fnd_1", 3, true, 10));
    assertThat(refusal(decision)).isEqualTo("period_already_funded");
    assertThat(((FundingRules.Refuse) decision).problem().detail()).contains("2026-11", "fnd_1");
  }

  @Test
  void decide_whenNobodyIsEnrolled_refusesNoActiveEnrolments() {
    assertThat(refusal(FundingRules.decide(1, "2026-11", state("ACTIVE", null, 0, true, 10))))
        .isEqualTo("no_active_enrolments");
  }

  @Test
  void decide_whenTheEmployerAccountIsUnknown_refusesNotFound() {
    assertThat(refusal(FundingRules.decide(1, "2026-11", state("ACTIVE", null, 1, false, 0))))
        .isEqualTo("not_found");
  }

  @Test
  void expiresAt_monthEnd_isTheStartOfTheNextMonthInChina() {
    OffsetDateTime now = OffsetDateTime.parse("2026-11-15T10:00:00+08:00");
    OffsetDateTime expires =
        FundingRules.expiresAt(new JsonObject().put("policy", "MONTH_END"), "2026-12", now);
    assertThat(expires).isEqualTo(OffsetDateTime.parse("2027-01-01T00:00:00+08:00"));
    assertThat(expires.getOffset()).isEqualTo(Times.CHINA);
  }

  @Test
  void expiresAt_days_countsFromTheFunding() {
    OffsetDateTime now = OffsetDateTime.parse("2026-11-15T10:00:00+08:00");
    assertThat(
            FundingRules.expiresAt(
                new JsonObject().put("policy", "DAYS").put("days", 30), "2026-11", now))
        .isEqualTo(now.plusDays(30));
  }
}
