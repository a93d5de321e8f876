package io.scenebank.gateway.care;

import io.scenebank.gateway.http.Problem;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What time does to a line's open debts, and how a repayment is allocated, decided from plain
 * values read under the line's lock. Time first: a debt past its due date turns overdue (the line
 * freezes) and accrues penalty each day on its unpaid principal; reminders fall due. Then the
 * repayment: the debts oldest first (or the one named), penalty before principal; it must not
 * exceed what is owed, and there must be something owed. A line frozen for an overdue debt is
 * active again once no debt is overdue.
 */
final class DebtRules {

  private DebtRules() {}

  static final String FROZEN = "FROZEN";
  static final String ACTIVE = "ACTIVE";
  static final String DEBT_OVERDUE = "DEBT_OVERDUE";

  /** An open debt, as stored (or as time and a repayment leave it). */
  record Debt(
      String id,
      String status,
      long principal,
      long penaltyAccrued,
      int penaltyDays,
      long repaidPrincipal,
      long repaidPenalty,
      LocalDate dueDate,
      LocalDate overdueSince,
      LocalDate nextReminder,
      int penaltyBps) {

    long penaltyDue() {
      return penaltyAccrued - repaidPenalty;
    }

    long principalDue() {
      return principal - repaidPrincipal;
    }

    long outstanding() {
      return principalDue() + penaltyDue();
    }
  }

  /** Penalty accrued on a debt: booked from the line's penalty account to penalty income. */
  record Penalty(String debtId, long amount) {}

  /** An event about a debt ({@code debt.overdue}, {@code debt.reminder}), in order. */
  record Notice(String type, String debtId) {}

  /**
   * The debts brought up to a day: {@code debts} as they now are (same order), {@code changed} the
   * ids of those that changed, the penalty to book, the events to emit, and whether a debt turned
   * overdue (the line freezes, if it is active).
   */
  record CatchUp(
      List<Debt> debts,
      List<String> changed,
      List<Penalty> penalties,
      List<Notice> notices,
      boolean turnedOverdue) {

    long penaltyTotal() {
      return penalties.stream().mapToLong(Penalty::amount).sum();
    }
  }

  /** The first reminder day strictly after {@code after} (there is always a next one). */
  static LocalDate nextReminder(LocalDate due, LocalDate after) {
    for (LocalDate day : List.of(due.minusDays(3), due.minusDays(1))) {
      if (day.isAfter(after)) {
        return day;
      }
    }
    // weekly while overdue: a week after the first overdue day, and every week after that
    LocalDate firstOverdue = due.plusDays(1);
    long weeks = Math.max(1, ChronoUnit.DAYS.between(firstOverdue, after) / 7 + 1);
    LocalDate day = firstOverdue.plusWeeks(weeks);
    return day.isAfter(after) ? day : day.plusWeeks(1);
  }

  /**
   * Penalty for {@code days} days on {@code principal} at {@code bps} a day, rounded down daily.
   */
  static long penalty(long principal, int bps, long days) {
    return Math.multiplyExact(Math.multiplyExact(principal, (long) bps) / 10_000, days);
  }

  /** Brings the open debts (oldest first) up to {@code today}. */
  static CatchUp catchUp(LocalDate today, List<Debt> open) {
    List<Debt> debts = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<Penalty> penalties = new ArrayList<>();
    List<Notice> notices = new ArrayList<>();
    boolean turnedOverdue = false;
    for (Debt debt : open) {
      String status = debt.status();
      LocalDate due = debt.dueDate();
      LocalDate overdueSince = debt.overdueSince();
      long penaltyAccrued = debt.penaltyAccrued();
      int penaltyDays = debt.penaltyDays();
      LocalDate nextReminder = debt.nextReminder();
      boolean change = false;
      if (today.isAfter(due)) {
        if ("DUE".equals(status)) {
          status = "OVERDUE";
          overdueSince = due.plusDays(1);
          notices.add(new Notice("debt.overdue", debt.id()));
          turnedOverdue = true;
          change = true;
        }
        int target = (int) ChronoUnit.DAYS.between(due, today);
        if (target > penaltyDays) {
          long amount = penalty(debt.principalDue(), debt.penaltyBps(), target - penaltyDays);
          penaltyDays = target;
          change = true;
          if (amount > 0) {
            penaltyAccrued = Math.addExact(penaltyAccrued, amount);
            penalties.add(new Penalty(debt.id(), amount));
          }
        }
      }
      if (nextReminder != null && !today.isBefore(nextReminder)) {
        nextReminder = nextReminder(due, today);
        notices.add(new Notice("debt.reminder", debt.id()));
        change = true;
      }
      if (change) {
        changed.add(debt.id());
        debts.add(
            new Debt(
                debt.id(),
                status,
                debt.principal(),
                penaltyAccrued,
                penaltyDays,
                debt.repaidPrincipal(),
                debt.repaidPenalty(),
                due,
                overdueSince,
                nextReminder,
                debt.penaltyBps()));
      } else {
        debts.add(debt);
      }
    }
    return new CatchUp(debts, changed, penalties, notices, turnedOverdue);
  }

  /** The line's status and frozen reason. */
  record LineState(String status, String frozenReason) {

    /** Frozen because a debt turned overdue, if it was active. */
    LineState afterOverdue(boolean turnedOverdue) {
      return turnedOverdue && ACTIVE.equals(status) ? new LineState(FROZEN, DEBT_OVERDUE) : this;
    }

    /** Active again if frozen for an overdue debt and none is overdue any more. */
    LineState afterRepayment(List<Debt> debts) {
      boolean overdue = debts.stream().anyMatch(d -> "OVERDUE".equals(d.status()));
      return FROZEN.equals(status) && DEBT_OVERDUE.equals(frozenReason) && !overdue
          ? new LineState(ACTIVE, null)
          : this;
    }
  }

  /** The repayment asked for. */
  record Request(String lineId, long amount, String sourceRef, String debtId) {}

  /** The line as read under its lock. */
  record State(
      LineState line, String repaymentWithSourceRef, boolean debtFound, List<Debt> openDebts) {}

  /** What to do. */
  sealed interface Decision {}

  /** Refuse: change nothing (not even what time did), answer with the problem. */
  record Refuse(Problem problem) implements Decision {}

  /** What a repayment takes off a debt. */
  record Allocation(String debtId, long principal, long penalty, boolean repaid) {}

  /**
   * Repay: {@code time} is what the day did to the debts first; the repayment's {@code penalty} and
   * {@code principal} parts are allocated as {@code allocations}; {@code debts} are the open debts
   * as they end (repaid ones with status {@code REPAID}); the line goes from {@code frozeAs} (after
   * time: frozen if a debt turned overdue) to {@code line}.
   */
  record Repay(
      CatchUp time,
      long penalty,
      long principal,
      List<Allocation> allocations,
      List<Debt> debts,
      LineState frozeAs,
      LineState line)
      implements Decision {

    /** Whether time froze the line (it hears {@code credit_line.frozen}). */
    boolean froze(LineState before) {
      return !frozeAs.equals(before);
    }
  }

  static Decision decide(Request request, State state, LocalDate today) {
    if (state.repaymentWithSourceRef() != null) {
      return new Refuse(
          Problem.conflict(
              "duplicate_source_ref",
              "source_ref "
                  + request.sourceRef()
                  + " was already recorded as "
                  + state.repaymentWithSourceRef()
                  + "."));
    }
    if (request.debtId() != null && !state.debtFound()) {
      return new Refuse(Problem.notFound("No debt " + request.debtId() + "."));
    }
    CatchUp time = catchUp(today, state.openDebts());
    long owed = 0;
    for (Debt debt : time.debts()) {
      if (targeted(request, debt)) {
        owed += debt.outstanding();
      }
    }
    if (owed == 0) {
      return new Refuse(
          Problem.unprocessable(
              "nothing_outstanding",
              (request.debtId() == null
                      ? "Credit line " + request.lineId()
                      : "Debt " + request.debtId())
                  + " has nothing outstanding."));
    }
    if (request.amount() > owed) {
      return new Refuse(
          Problem.unprocessable(
              "repayment_exceeds_outstanding",
              request.amount() + " fen offered, " + owed + " fen outstanding."));
    }
    long left = request.amount();
    long penaltyPaid = 0;
    long principalPaid = 0;
    List<Allocation> allocations = new ArrayList<>();
    List<Debt> after = new ArrayList<>();
    for (Debt debt : time.debts()) {
      if (left == 0 || !targeted(request, debt)) {
        after.add(debt);
        continue;
      }
      long toPenalty = Math.min(left, debt.penaltyDue());
      left -= toPenalty;
      long toPrincipal = Math.min(left, debt.principalDue());
      left -= toPrincipal;
      if (toPenalty + toPrincipal == 0) {
        after.add(debt);
        continue;
      }
      penaltyPaid += toPenalty;
      principalPaid += toPrincipal;
      boolean repaid = toPenalty == debt.penaltyDue() && toPrincipal == debt.principalDue();
      allocations.add(new Allocation(debt.id(), toPrincipal, toPenalty, repaid));
      after.add(
          new Debt(
              debt.id(),
              repaid ? "REPAID" : debt.status(),
              debt.principal(),
              debt.penaltyAccrued(),
              debt.penaltyDays(),
              debt.repaidPrincipal() + toPrincipal,
              debt.repaidPenalty() + toPenalty,
              debt.dueDate(),
              debt.overdueSince(),
              repaid ? null : debt.nextReminder(),
              debt.penaltyBps()));
    }
    LineState frozeAs = state.line().afterOverdue(time.turnedOverdue());
    return new Repay(
        time,
        penaltyPaid,
        principalPaid,
        allocations,
        after,
        frozeAs,
        frozeAs.afterRepayment(after));
  }

  private static boolean targeted(Request request, Debt debt) {
    return request.debtId() == null || debt.id().equals(request.debtId());
  }
}
