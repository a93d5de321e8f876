package io.scenebank.gateway.care;

import io.scenebank.gateway.care.SettlementRules.Split;
import io.scenebank.gateway.http.Problem;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether settled charges may be refunded with the hospital's recomputed insurance split, decided
 * from plain values read under the line's lock: the encounter must be settled; each charge must be
 * one of its settled charges and never be refunded beyond its amount; the split must add up to what
 * is refunded, and no part may exceed what is left of that part of the settlement. If the
 * settlement opened a debt, the line's open debts are first brought up to the app's today (as
 * {@link DebtRules#catchUp}); the self-pay part then reduces the debt's unpaid principal, and what
 * is left of it is paid back to the patient. A line frozen for an overdue debt is active again once
 * no debt is overdue.
 */
final class CareRefundRules {

  private CareRefundRules() {}

  /** A charge to refund and how much of it (one per charge, in the request's order). */
  record Item(String chargeId, long amount) {}

  /** A charge of the encounter as read: its status, amount and what was refunded of it. */
  record Charge(String id, String status, long amount, long refunded) {}

  /**
   * The encounter's settlement (a split as {@link SettlementRules.Split}; the hospital's recomputed
   * split of a refund is one too): its split, what was refunded of each part, its debt (or null).
   */
  record Settlement(Split settled, Split refunded, String debtId) {}

  /**
   * What the rules read: the encounter's status; its charges named by the request, by id; its
   * settlement (null unless settled); the line's status; the line's open debts, oldest first; and
   * the settlement's debt as stored (null if none; it may be repaid, and then not among the open
   * ones).
   */
  record State(
      String encounterId,
      String status,
      Map<String, Charge> charges,
      Settlement settlement,
      DebtRules.LineState line,
      List<DebtRules.Debt> openDebts,
      DebtRules.Debt debt) {}

  /** What to do. */
  sealed interface Decision {}

  /** Change nothing; answer with the problem. */
  record Refuse(Problem problem) implements Decision {}

  /** A charge as the refund leaves it. */
  record Refunded(String id, long refunded, String status) {}

  /**
   * Refund {@code total}: the charges as they end; {@code debtReduced} taken off the debt's
   * principal and {@code patientRefunded} paid back; {@code time} is what the day did to the line's
   * open debts first (nothing, if the settlement opened no debt); {@code debts} are the open debts
   * as they end, {@code changed} the ids of those to write, {@code repaid} the debt the refund
   * cleared (or null); the line goes from {@code frozeAs} (after time) to {@code line}.
   */
  record Refund(
      long total,
      List<Refunded> charges,
      long debtReduced,
      long patientRefunded,
      DebtRules.CatchUp time,
      List<DebtRules.Debt> debts,
      List<String> changed,
      String repaid,
      DebtRules.LineState frozeAs,
      DebtRules.LineState line)
      implements Decision {

    /** Whether time froze the line (it hears {@code credit_line.frozen}). */
    boolean froze(DebtRules.LineState before) {
      return !frozeAs.equals(before);
    }
  }

  static Decision decide(List<Item> items, Split split, State state, LocalDate today) {
    if (!"SETTLED".equals(state.status())) {
      return new Refuse(
          Problem.conflict(
              "encounter_not_settled",
              "Encounter "
                  + state.encounterId()
                  + " is "
                  + state.status()
                  + "; void the charge instead."));
    }
    long total = 0;
    List<Refunded> charges = new ArrayList<>();
    for (Item item : items) {
      Charge charge = state.charges().get(item.chargeId());
      if (charge == null || "VOIDED".equals(charge.status())) {
        return new Refuse(
            Problem.unprocessable(
                "charge_not_in_encounter",
                "Charge " + item.chargeId() + " is not a settled charge of this encounter."));
      }
      if (charge.refunded() + item.amount() > charge.amount()) {
        return new Refuse(
            Problem.unprocessable(
                "refund_exceeds_charged",
                "Charge "
                    + item.chargeId()
                    + ": "
                    + charge.amount()
                    + " charged, "
                    + charge.refunded()
                    + " already refunded, "
                    + item.amount()
                    + " requested."));
      }
      total += item.amount();
      long after = charge.refunded() + item.amount();
      charges.add(
          new Refunded(
              charge.id(), after, after == charge.amount() ? "REFUNDED" : "PARTIALLY_REFUNDED"));
    }
    Problem mismatch = SettlementRules.splitMismatch(split, total, "refunded");
    if (mismatch != null) {
      return new Refuse(mismatch);
    }
    Split settled = state.settlement().settled();
    Split refunded = state.settlement().refunded();
    Problem part = exceeds(split.pooled(), settled.pooled(), refunded.pooled(), "pooled_fund");
    if (part == null) {
      part = exceeds(split.personal(), settled.personal(), refunded.personal(), "personal_account");
    }
    if (part == null) {
      part = exceeds(split.selfPay(), settled.selfPay(), refunded.selfPay(), "self_pay");
    }
    if (part != null) {
      return new Refuse(part);
    }
    String debtId = state.settlement().debtId();
    if (debtId == null) {
      // no debt: time is not brought up to date; the line thaws only if nothing is overdue
      List<DebtRules.Debt> open = state.openDebts();
      return new Refund(
          total,
          charges,
          0,
          split.selfPay(),
          new DebtRules.CatchUp(open, List.of(), List.of(), List.of(), false),
          open,
          List.of(),
          null,
          state.line(),
          state.line().afterRepayment(open));
    }
    DebtRules.CatchUp time = DebtRules.catchUp(today, state.openDebts());
    DebtRules.Debt debt =
        time.debts().stream()
            .filter(d -> d.id().equals(debtId))
            .findFirst()
            .orElse(state.debt() != null && state.debt().id().equals(debtId) ? state.debt() : null);
    long unpaidPrincipal = debt == null ? 0 : debt.principal() - debt.repaidPrincipal();
    long debtReduced = Math.min(split.selfPay(), unpaidPrincipal);
    long patientRefunded = split.selfPay() - debtReduced;
    List<String> changed = new ArrayList<>(time.changed());
    List<DebtRules.Debt> after = new ArrayList<>();
    String repaid = null;
    for (DebtRules.Debt d : time.debts()) {
      if (debtReduced == 0 || !d.id().equals(debtId)) {
        after.add(d);
        continue;
      }
      long principal = d.principal() - debtReduced;
      boolean cleared =
          principal + d.penaltyAccrued() - d.repaidPrincipal() - d.repaidPenalty() == 0;
      if (cleared) {
        repaid = d.id();
      }
      if (!changed.contains(d.id())) {
        changed.add(d.id());
      }
      after.add(
          new DebtRules.Debt(
              d.id(),
              cleared ? "REPAID" : d.status(),
              principal,
              d.penaltyAccrued(),
              d.penaltyDays(),
              d.repaidPrincipal(),
              d.repaidPenalty(),
              d.dueDate(),
              d.overdueSince(),
              d.nextReminder(),
              d.penaltyBps()));
    }
    DebtRules.LineState frozeAs = state.line().afterOverdue(time.turnedOverdue());
    return new Refund(
        total,
        charges,
        debtReduced,
        patientRefunded,
        time,
        after,
        changed,
        repaid,
        frozeAs,
        frozeAs.afterRepayment(after));
  }

  /** The problem if {@code part} is more than what is left of it (settled, not refunded). */
  private static Problem exceeds(long part, long settled, long refunded, String name) {
    long left = settled - refunded;
    if (part > left) {
      return Problem.unprocessable(
          "split_mismatch",
          name + " " + part + " is more than the " + left + " of it settled and not refunded.");
    }
    return null;
  }
}
