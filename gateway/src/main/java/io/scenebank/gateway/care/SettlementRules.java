package io.scenebank.gateway.care;

import io.scenebank.gateway.http.Problem;
import java.util.List;

/**
 * Whether an encounter may be settled with the hospital's insurance split, decided from plain
 * values read under the line's lock: it must be open (a settled one says when and by which
 * settlement), hold at least one charge, the split must add up to what is held, and an insured part
 * needs the insurer named.
 */
final class SettlementRules {

  private SettlementRules() {}

  /** The hospital's split of the total. */
  record Split(long pooled, long personal, long selfPay) {
    long total() {
      return pooled + personal + selfPay;
    }
  }

  /** A held charge, as the settlement lists it. */
  record Held(
      String id, String itemCode, String description, String category, int quantity, long amount) {}

  /** What to do. */
  sealed interface Decision {}

  /** Settle the held charges for this total. */
  record Settle(long total) implements Decision {}

  /** Change nothing; answer with the problem. */
  record Refuse(Problem problem) implements Decision {}

  static Decision decide(
      String encounterId,
      String status,
      String settledDetail,
      List<Held> held,
      Split split,
      boolean insurerNamed) {
    if ("SETTLED".equals(status)) {
      return new Refuse(
          new Problem(409, "already_settled", "The encounter is already settled", settledDetail));
    }
    if (!"OPEN".equals(status)) {
      return new Refuse(
          Problem.conflict(
              "encounter_not_open", "Encounter " + encounterId + " is " + status + "."));
    }
    if (held.isEmpty()) {
      return new Refuse(
          Problem.unprocessable(
              "nothing_to_settle", "Encounter " + encounterId + " has no held charge."));
    }
    long total = held.stream().mapToLong(Held::amount).sum();
    Problem mismatch = splitMismatch(split, total, "held");
    if (mismatch != null) {
      return new Refuse(mismatch);
    }
    if (split.pooled() + split.personal() > 0 && !insurerNamed) {
      return new Refuse(
          Problem.unprocessable(
              "insurer_required",
              "The split has an insured part; name the insurer and its claim reference."));
    }
    return new Settle(total);
  }

  /**
   * The problem if the split's parts do not add up to {@code total} (what is {@code held} or {@code
   * refunded}), else null.
   */
  static Problem splitMismatch(Split split, long total, String what) {
    if (split.total() == total) {
      return null;
    }
    return Problem.unprocessable(
        "split_mismatch",
        "pooled_fund "
            + split.pooled()
            + " + personal_account "
            + split.personal()
            + " + self_pay "
            + split.selfPay()
            + " = "
            + split.total()
            + ", but "
            + total
            + " is "
            + what
            + ".");
  }
}
