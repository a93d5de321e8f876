package io.scenebank.gateway.care;

import io.scenebank.gateway.http.Problem;
import java.util.List;

/**
 * Whether holds on a credit line may be released, decided from plain values read under the line's
 * lock: a charge may be voided only while it is held (a settled one is refunded instead); an
 * encounter may be cancelled only while it is open, and cancelling voids every charge it holds.
 */
final class ReleaseRules {

  private ReleaseRules() {}

  /** A charge as read: its id, status and amount. */
  record Charge(String id, String status, long amount) {}

  /** What to do. */
  sealed interface Decision {}

  /** Release {@code amount} held by {@code charges} (void them). */
  record Release(long amount, List<String> charges) implements Decision {}

  /** Release nothing; answer with the problem. */
  record Refuse(Problem problem) implements Decision {}

  /** Voiding one charge. */
  static Decision voidCharge(Charge charge) {
    if (!"HELD".equals(charge.status())) {
      return new Refuse(
          Problem.conflict(
              "charge_not_held",
              "Charge "
                  + charge.id()
                  + " is "
                  + charge.status()
                  + ("VOIDED".equals(charge.status()) ? "." : "; refund it instead.")));
    }
    return new Release(charge.amount(), List.of(charge.id()));
  }

  /** Cancelling an encounter: {@code held} are its charges still held. */
  static Decision cancel(String encounterId, String status, List<Charge> held) {
    if (!"OPEN".equals(status)) {
      return new Refuse(
          Problem.conflict(
              "encounter_not_open", "Encounter " + encounterId + " is " + status + "."));
    }
    long amount = 0;
    for (Charge charge : held) {
      amount = Math.addExact(amount, charge.amount());
    }
    return new Release(amount, held.stream().map(Charge::id).toList());
  }
}
