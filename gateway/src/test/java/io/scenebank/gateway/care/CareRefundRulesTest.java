package io.scenebank.gateway.care;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.http.Problem;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whether settled charges may be refunded, and how, from plain values: no database. */
class CareRefundRulesTest {

  private static final LocalDate DUE = LocalDate.of(2026, 11, 20);
  private static final LocalDate BEFORE_REMINDERS = DUE.minusDays(5);
  private static final DebtRules.LineState ACTIVE = new DebtRules.LineState("ACTIVE", null);
  private static final DebtRules.LineState FROZEN_OVERDUE =
      new DebtRules.LineState("FROZEN", "DEBT_OVERDUE");

  private static final SettlementRules.Split SETTLED =
      new SettlementRules.Split(4_000, 1_000, 5_000);
  private static final SettlementRules.Split NOTHING = new SettlementRules.Split(0, 0, 0);

  /** A settled charge of {@code amount}, {@code refunded} of it refunded before. */
  private static CareRefundRules.Charge charge(String id, long amount, long refunded) {
    return new CareRefundRules.Charge(
        id, refunded == 0 ? "SETTLED" : "PARTIALLY_REFUNDED", amount, refunded);
  }

  private static DebtRules.Debt debt(String id, String status, long principal, long repaid) {
    return new DebtRules.Debt(
        id,
        status,
        principal,
        0,
        0,
        repaid,
        0,
        DUE,
        null,
        "REPAID".equals(status) ? null : DUE.minusDays(3),
        5);
  }

  private static CareRefundRules.State state(
      String status,
      CareRefundRules.Settlement settlement,
      DebtRules.LineState line,
      List<DebtRules.Debt> open,
      DebtRules.Debt debt,
      CareRefundRules.Charge... charges) {
    Map<String, CareRefundRules.Charge> byId = new java.util.LinkedHashMap<>();
    for (CareRefundRules.Charge c : charges) {
      byId.put(c.id(), c);
    }
    return new CareRefundRules.State("enc_1", status, byId, settlement, line, open, debt);
  }

  /** A settled encounter with a 10,000 charge and a 5,000 self-pay debt, nothing repaid. */
  private static CareRefundRules.State settled(CareRefundRules.Charge... charges) {
    DebtRules.Debt debt = debt("dbt_1", "DUE", 5_000, 0);
    return state(
        "SETTLED",
        new CareRefundRules.Settlement(SETTLED, NOTHING, "dbt_1"),
        ACTIVE,
        List.of(debt),
        debt,
        charges);
  }

  private static List<CareRefundRules.Item> items(Object... idsAndAmounts) {
    List<CareRefundRules.Item> items = new java.util.ArrayList<>();
    for (int i = 0; i < idsAndAmounts.length; i += 2) {
      items.add(
          new CareRefundRules.Item(
              (String) idsAndAmounts[i], ((Number) idsAndAmounts[i + 1]).longValue()));
    }
    return items;
  }

  private static SettlementRules.Split split(long pooled, long personal, long selfPay) {
    return new SettlementRules.Split(pooled, personal, selfPay);
  }

  private static Problem refusal(CareRefundRules.Decision decision) {
    assertThat(decision).isInstanceOf(CareRefundRules.Refuse.class);
    return ((CareRefundRules.Refuse) decision).problem();
  }

  private static CareRefundRules.Refund accepted(CareRefundRules.Decision decision) {
    assertThat(decision).isInstanceOf(CareRefundRules.Refund.class);
    return (CareRefundRules.Refund) decision;
  }

  @Test
  void anEncounterNotSettled_isRefused_voidTheChargeInstead() {
    Problem problem =
        refusal(
            CareRefundRules.decide(
                items("chg_1", 100),
                split(0, 0, 100),
                state("OPEN", null, ACTIVE, List.of(), null),
                BEFORE_REMINDERS));
    assertThat(problem.status()).isEqualTo(409);
    assertThat(problem.code()).isEqualTo("encounter_not_settled");
    assertThat(problem.detail()).isEqualTo("Encounter enc_1 is OPEN; void the charge instead.");
  }

  @Test
  void aChargeNotOfTheEncounter_orVoided_isRefused() {
    Problem unknown =
        refusal(
            CareRefundRules.decide(
                items("chg_9", 100),
                split(0, 0, 100),
                settled(charge("chg_1", 10_000, 0)),
                BEFORE_REMINDERS));
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.code()).isEqualTo("charge_not_in_encounter");
    assertThat(unknown.detail())
        .isEqualTo("Charge chg_9 is not a settled charge of this encounter.");
    Problem voided =
        refusal(
            CareRefundRules.decide(
                items("chg_2", 100),
                split(0, 0, 100),
                settled(
                    charge("chg_1", 10_000, 0),
                    new CareRefundRules.Charge("chg_2", "VOIDED", 500, 0)),
                BEFORE_REMINDERS));
    assertThat(voided.code()).isEqualTo("charge_not_in_encounter");
  }

  @Test
  void moreThanWasChargedAndNotRefunded_isRefused() {
    Problem problem =
        refusal(
            CareRefundRules.decide(
                items("chg_1", 3_000),
                split(0, 0, 3_000),
                settled(charge("chg_1", 10_000, 8_000)),
                BEFORE_REMINDERS));
    assertThat(problem.code()).isEqualTo("refund_exceeds_charged");
    assertThat(problem.detail())
        .isEqualTo("Charge chg_1: 10000 charged, 8000 already refunded, 3000 requested.");
  }

  @Test
  void aSplitThatDoesNotAddUp_isRefused() {
    Problem problem =
        refusal(
            CareRefundRules.decide(
                items("chg_1", 1_000),
                split(1_000, 0, 1),
                settled(charge("chg_1", 10_000, 0)),
                BEFORE_REMINDERS));
    assertThat(problem.code()).isEqualTo("split_mismatch");
    assertThat(problem.detail())
        .isEqualTo(
            "pooled_fund 1000 + personal_account 0 + self_pay 1 = 1001, but 1000 is refunded.");
  }

  @Test
  void aPartMoreThanIsLeftOfItInTheSettlement_isRefused() {
    Problem problem =
        refusal(
            CareRefundRules.decide(
                items("chg_1", 2_000),
                split(0, 2_000, 0),
                settled(charge("chg_1", 10_000, 0)),
                BEFORE_REMINDERS));
    assertThat(problem.code()).isEqualTo("split_mismatch");
    assertThat(problem.detail())
        .isEqualTo("personal_account 2000 is more than the 1000 of it settled and not refunded.");
  }

  @Test
  void theSelfPayPart_reducesTheUnpaidDebt_andTheChargesRecordIt() {
    CareRefundRules.Refund refund =
        accepted(
            CareRefundRules.decide(
                items("chg_1", 3_250, "chg_2", 500),
                split(1_500, 750, 1_500),
                settled(charge("chg_1", 3_250, 0), charge("chg_2", 6_750, 0)),
                BEFORE_REMINDERS));
    assertThat(refund.total()).isEqualTo(3_750);
    assertThat(refund.charges())
        .containsExactly(
            new CareRefundRules.Refunded("chg_1", 3_250, "REFUNDED"),
            new CareRefundRules.Refunded("chg_2", 500, "PARTIALLY_REFUNDED"));
    assertThat(refund.debtReduced()).isEqualTo(1_500);
    assertThat(refund.patientRefunded()).isZero();
    assertThat(refund.changed()).containsExactly("dbt_1");
    assertThat(refund.debts().get(0).principal()).isEqualTo(3_500);
    assertThat(refund.debts().get(0).status()).isEqualTo("DUE");
    assertThat(refund.repaid()).isNull();
    assertThat(refund.time().penalties()).isEmpty();
    assertThat(refund.line()).isEqualTo(ACTIVE);
    assertThat(refund.froze(ACTIVE)).isFalse();
  }

  @Test
  void whatWasAlreadyRepaid_isPaidBackToThePatient_andTheDebtIsRepaid() {
    DebtRules.Debt debt = debt("dbt_1", "DUE", 5_000, 3_000);
    CareRefundRules.Refund refund =
        accepted(
            CareRefundRules.decide(
                items("chg_1", 5_000),
                split(0, 0, 5_000),
                state(
                    "SETTLED",
                    new CareRefundRules.Settlement(SETTLED, NOTHING, "dbt_1"),
                    ACTIVE,
                    List.of(debt),
                    debt,
                    charge("chg_1", 10_000, 0)),
                BEFORE_REMINDERS));
    assertThat(refund.debtReduced()).isEqualTo(2_000);
    assertThat(refund.patientRefunded()).isEqualTo(3_000);
    assertThat(refund.repaid()).isEqualTo("dbt_1");
    DebtRules.Debt after = refund.debts().get(0);
    assertThat(after.status()).isEqualTo("REPAID");
    assertThat(after.principal()).isEqualTo(3_000);
  }

  @Test
  void aDebtRepaidBefore_sendsTheWholeSelfPayPartToThePatient() {
    DebtRules.Debt repaid = debt("dbt_1", "REPAID", 5_000, 5_000);
    CareRefundRules.Refund refund =
        accepted(
            CareRefundRules.decide(
                items("chg_1", 1_000),
                split(0, 0, 1_000),
                state(
                    "SETTLED",
                    new CareRefundRules.Settlement(SETTLED, NOTHING, "dbt_1"),
                    ACTIVE,
                    List.of(),
                    repaid,
                    charge("chg_1", 10_000, 0)),
                BEFORE_REMINDERS));
    assertThat(refund.debtReduced()).isZero();
    assertThat(refund.patientRefunded()).isEqualTo(1_000);
    assertThat(refund.changed()).isEmpty();
    assertThat(refund.repaid()).isNull();
  }

  @Test
  void withoutADebt_timeIsNotBroughtUpToDate() {
    DebtRules.Debt other = debt("dbt_2", "DUE", 1_000, 0);
    CareRefundRules.Refund refund =
        accepted(
            CareRefundRules.decide(
                items("chg_1", 1_000),
                split(1_000, 0, 0),
                state(
                    "SETTLED",
                    new CareRefundRules.Settlement(
                        new SettlementRules.Split(10_000, 0, 0), NOTHING, null),
                    ACTIVE,
                    List.of(other),
                    null,
                    charge("chg_1", 10_000, 0)),
                DUE.plusDays(5)));
    assertThat(refund.debtReduced()).isZero();
    assertThat(refund.patientRefunded()).isZero();
    assertThat(refund.time().notices()).isEmpty();
    assertThat(refund.time().penalties()).isEmpty();
    assertThat(refund.changed()).isEmpty();
    assertThat(refund.line()).isEqualTo(ACTIVE);
  }

  @Test
  void pastTheDueDate_theDebtTurnsOverdueFirst_andTheLineFreezesThenThawsIfTheRefundClearsIt() {
    DebtRules.Debt debt = debt("dbt_1", "DUE", 5_000, 0);
    CareRefundRules.Refund refund =
        accepted(
            CareRefundRules.decide(
                items("chg_1", 5_000),
                split(0, 0, 5_000),
                state(
                    "SETTLED",
                    new CareRefundRules.Settlement(SETTLED, NOTHING, "dbt_1"),
                    ACTIVE,
                    List.of(debt),
                    debt,
                    charge("chg_1", 10_000, 0)),
                DUE.plusDays(2)));
    // 5,000 × 5 bps = 2 fen a day (rounded down), 2 days
    assertThat(refund.time().penalties()).containsExactly(new DebtRules.Penalty("dbt_1", 4));
    assertThat(refund.time().notices())
        .extracting(DebtRules.Notice::type)
        .containsExactly("debt.overdue", "debt.reminder");
    assertThat(refund.froze(ACTIVE)).isTrue();
    assertThat(refund.frozeAs()).isEqualTo(FROZEN_OVERDUE);
    // the penalty is still owed: the debt stays overdue, the line frozen
    assertThat(refund.debtReduced()).isEqualTo(5_000);
    assertThat(refund.debts().get(0).status()).isEqualTo("OVERDUE");
    assertThat(refund.debts().get(0).principal()).isZero();
    assertThat(refund.repaid()).isNull();
    assertThat(refund.line()).isEqualTo(FROZEN_OVERDUE);
  }

  @Test
  void aLineFrozenForTheOnlyOverdueDebt_isActiveAgainOnceTheRefundClearsIt() {
    DebtRules.Debt overdue =
        new DebtRules.Debt(
            "dbt_1", "OVERDUE", 5_000, 4, 2, 0, 4, DUE, DUE.plusDays(1), DUE.plusDays(8), 5);
    CareRefundRules.Refund refund =
        accepted(
            CareRefundRules.decide(
                items("chg_1", 5_000),
                split(0, 0, 5_000),
                state(
                    "SETTLED",
                    new CareRefundRules.Settlement(SETTLED, NOTHING, "dbt_1"),
                    FROZEN_OVERDUE,
                    List.of(overdue),
                    overdue,
                    charge("chg_1", 10_000, 0)),
                DUE.plusDays(2)));
    assertThat(refund.time().penalties()).isEmpty();
    assertThat(refund.repaid()).isEqualTo("dbt_1");
    assertThat(refund.froze(FROZEN_OVERDUE)).isFalse();
    assertThat(refund.line()).isEqualTo(ACTIVE);
  }
}
