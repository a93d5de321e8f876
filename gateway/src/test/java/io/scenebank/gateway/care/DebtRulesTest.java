package io.scenebank.gateway.care;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What time does to debts, and how a repayment is allocated, from plain values: no database. */
class DebtRulesTest {

  private static final LocalDate DUE = LocalDate.of(2026, 11, 20);
  private static final DebtRules.LineState ACTIVE = new DebtRules.LineState("ACTIVE", null);
  private static final DebtRules.LineState FROZEN_OVERDUE =
      new DebtRules.LineState("FROZEN", "DEBT_OVERDUE");

  /** A debt due on {@link #DUE}, 5 bps a day, reminders from 3 days before. */
  private static DebtRules.Debt due(String id, long principal) {
    return new DebtRules.Debt(id, "DUE", principal, 0, 0, 0, 0, DUE, null, DUE.minusDays(3), 5);
  }

  private static DebtRules.Debt overdue(
      String id, long principal, long penalty, int days, long repaidPrincipal, long repaidPenalty) {
    return new DebtRules.Debt(
        id,
        "OVERDUE",
        principal,
        penalty,
        days,
        repaidPrincipal,
        repaidPenalty,
        DUE,
        DUE.plusDays(1),
        DUE.plusDays(8),
        5);
  }

  private static DebtRules.State state(DebtRules.LineState line, DebtRules.Debt... debts) {
    return new DebtRules.State(line, null, false, List.of(debts));
  }

  private static DebtRules.Request repay(long amount) {
    return new DebtRules.Request("cl_1", amount, "TRF-1", null);
  }

  private static String refusal(DebtRules.Decision decision) {
    assertThat(decision).isInstanceOf(DebtRules.Refuse.class);
    return ((DebtRules.Refuse) decision).problem().code();
  }

  private static DebtRules.Repay accepted(DebtRules.Decision decision) {
    assertThat(decision).isInstanceOf(DebtRules.Repay.class);
    return (DebtRules.Repay) decision;
  }

  @Test
  void catchUp_beforeTheFirstReminder_changesNothing() {
    DebtRules.CatchUp time = DebtRules.catchUp(DUE.minusDays(4), List.of(due("d1", 100_000)));
    assertThat(time.changed()).isEmpty();
    assertThat(time.notices()).isEmpty();
    assertThat(time.penalties()).isEmpty();
    assertThat(time.turnedOverdue()).isFalse();
  }

  @Test
  void catchUp_onAReminderDay_remindsAndSchedulesTheNext() {
    DebtRules.CatchUp time = DebtRules.catchUp(DUE.minusDays(3), List.of(due("d1", 100_000)));
    assertThat(time.notices()).containsExactly(new DebtRules.Notice("debt.reminder", "d1"));
    assertThat(time.debts().get(0).nextReminder()).isEqualTo(DUE.minusDays(1));
    assertThat(time.debts().get(0).status()).isEqualTo("DUE");
  }

  @Test
  void catchUp_pastTheDueDate_turnsOverdueAndAccruesPenaltyPerDay() {
    DebtRules.CatchUp time = DebtRules.catchUp(DUE.plusDays(3), List.of(due("d1", 100_000)));
    DebtRules.Debt debt = time.debts().get(0);
    assertThat(debt.status()).isEqualTo("OVERDUE");
    assertThat(debt.overdueSince()).isEqualTo(DUE.plusDays(1));
    // 100,000 × 5 bps = 50 fen a day, 3 days
    assertThat(debt.penaltyAccrued()).isEqualTo(150);
    assertThat(debt.penaltyDays()).isEqualTo(3);
    assertThat(time.penalties()).containsExactly(new DebtRules.Penalty("d1", 150));
    assertThat(time.turnedOverdue()).isTrue();
    assertThat(time.notices())
        .containsExactly(
            new DebtRules.Notice("debt.overdue", "d1"),
            new DebtRules.Notice("debt.reminder", "d1"));
  }

  @Test
  void catchUp_accruesOnlyTheDaysNotAccruedYet_onTheUnpaidPrincipal() {
    DebtRules.CatchUp time =
        DebtRules.catchUp(DUE.plusDays(5), List.of(overdue("d1", 100_000, 150, 3, 40_000, 150)));
    // 60,000 unpaid × 5 bps = 30 fen a day, 2 more days
    assertThat(time.penalties()).containsExactly(new DebtRules.Penalty("d1", 60));
    assertThat(time.turnedOverdue()).isFalse();
    assertThat(time.debts().get(0).penaltyAccrued()).isEqualTo(210);
  }

  @Test
  void penalty_roundsDownDaily() {
    // 1,999 × 5 / 10,000 = 0.9995 → 0 a day
    assertThat(DebtRules.penalty(1_999, 5, 10)).isZero();
    assertThat(DebtRules.penalty(2_000, 5, 10)).isEqualTo(10);
  }

  @Test
  void nextReminder_isThreeDaysBefore_thenTheDayBefore_thenWeeklyWhileOverdue() {
    assertThat(DebtRules.nextReminder(DUE, DUE.minusDays(10))).isEqualTo(DUE.minusDays(3));
    assertThat(DebtRules.nextReminder(DUE, DUE.minusDays(3))).isEqualTo(DUE.minusDays(1));
    assertThat(DebtRules.nextReminder(DUE, DUE.minusDays(1))).isEqualTo(DUE.plusDays(8));
    assertThat(DebtRules.nextReminder(DUE, DUE.plusDays(8))).isEqualTo(DUE.plusDays(15));
  }

  @Test
  void decide_paysPenaltyBeforePrincipal_oldestDebtFirst() {
    DebtRules.Repay repay =
        accepted(
            DebtRules.decide(
                repay(1_200),
                state(
                    FROZEN_OVERDUE,
                    overdue("d1", 1_000, 200, 4, 0, 0),
                    overdue("d2", 5_000, 100, 4, 0, 0)),
                DUE.plusDays(4)));
    assertThat(repay.penalty()).isEqualTo(200);
    assertThat(repay.principal()).isEqualTo(1_000);
    assertThat(repay.allocations())
        .containsExactly(new DebtRules.Allocation("d1", 1_000, 200, true));
    assertThat(repay.debts().get(0).status()).isEqualTo("REPAID");
    assertThat(repay.debts().get(0).nextReminder()).isNull();
    // d2 is still overdue: the line stays frozen
    assertThat(repay.line()).isEqualTo(FROZEN_OVERDUE);
  }

  @Test
  void decide_whenTheLastOverdueDebtIsRepaid_unfreezesTheLine() {
    DebtRules.Repay repay =
        accepted(
            DebtRules.decide(
                repay(1_200),
                state(FROZEN_OVERDUE, overdue("d1", 1_000, 200, 4, 0, 0)),
                DUE.plusDays(4)));
    assertThat(repay.frozeAs()).isEqualTo(FROZEN_OVERDUE);
    assertThat(repay.line()).isEqualTo(ACTIVE);
    assertThat(repay.froze(FROZEN_OVERDUE)).isFalse();
  }

  @Test
  void decide_whenTimeTurnsADebtOverdue_freezesFirst_andAPartialRepaymentLeavesItFrozen() {
    DebtRules.Repay repay =
        accepted(DebtRules.decide(repay(100), state(ACTIVE, due("d1", 100_000)), DUE.plusDays(1)));
    assertThat(repay.froze(ACTIVE)).isTrue();
    assertThat(repay.frozeAs()).isEqualTo(FROZEN_OVERDUE);
    assertThat(repay.line()).isEqualTo(FROZEN_OVERDUE);
    // the day's penalty (50) is paid first
    assertThat(repay.penalty()).isEqualTo(50);
    assertThat(repay.principal()).isEqualTo(50);
    assertThat(repay.time().penalties()).containsExactly(new DebtRules.Penalty("d1", 50));
  }

  @Test
  void decide_whenTimeTurnsADebtOverdue_andItIsRepaidInFull_freezesAndThaws() {
    DebtRules.Repay repay =
        accepted(
            DebtRules.decide(repay(100_050), state(ACTIVE, due("d1", 100_000)), DUE.plusDays(1)));
    assertThat(repay.froze(ACTIVE)).isTrue();
    assertThat(repay.line()).isEqualTo(ACTIVE);
    assertThat(repay.allocations())
        .containsExactly(new DebtRules.Allocation("d1", 100_000, 50, true));
  }

  @Test
  void decide_aLineFrozenForAnotherReason_staysFrozen() {
    DebtRules.LineState closedByBank = new DebtRules.LineState("FROZEN", "RISK_REVIEW");
    DebtRules.Repay repay =
        accepted(
            DebtRules.decide(
                repay(1_000), state(closedByBank, due("d1", 1_000)), DUE.minusDays(5)));
    assertThat(repay.line()).isEqualTo(closedByBank);
  }

  @Test
  void decide_namedDebt_paysOnlyThatDebt() {
    DebtRules.Request request = new DebtRules.Request("cl_1", 500, "TRF-1", "d2");
    DebtRules.State state =
        new DebtRules.State(ACTIVE, null, true, List.of(due("d1", 1_000), due("d2", 2_000)));
    DebtRules.Repay repay = accepted(DebtRules.decide(request, state, DUE.minusDays(5)));
    assertThat(repay.allocations()).containsExactly(new DebtRules.Allocation("d2", 500, 0, false));
  }

  @Test
  void decide_whenNothingIsOwed_refusesNothingOutstanding() {
    assertThat(refusal(DebtRules.decide(repay(100), state(ACTIVE), DUE)))
        .isEqualTo("nothing_outstanding");
  }

  @Test
  void decide_whenOneFenOverWhatIsOwed_refusesExceedsOutstanding() {
    assertThat(refusal(DebtRules.decide(repay(1_001), state(ACTIVE, due("d1", 1_000)), DUE)))
        .isEqualTo("repayment_exceeds_outstanding");
    accepted(DebtRules.decide(repay(1_000), state(ACTIVE, due("d1", 1_000)), DUE));
  }

  @Test
  void decide_whenTheSourceRefWasRecorded_refusesDuplicate() {
    DebtRules.State state = new DebtRules.State(ACTIVE, "rpy_1", false, List.of(due("d1", 1_000)));
    assertThat(refusal(DebtRules.decide(repay(100), state, DUE))).isEqualTo("duplicate_source_ref");
  }

  @Test
  void decide_whenTheNamedDebtIsNotTheLines_refusesNotFound() {
    DebtRules.Request request = new DebtRules.Request("cl_1", 100, "TRF-1", "d9");
    assertThat(refusal(DebtRules.decide(request, state(ACTIVE, due("d1", 1_000)), DUE)))
        .isEqualTo("not_found");
  }
}
