package io.scenebank.gateway.care;

import io.scenebank.gateway.http.Problem;

/**
 * Whether a charge may be held on its encounter's credit line, decided from plain values read under
 * the line's lock: the amount must be quantity × unit, the encounter open, the line active, the
 * reference unused on the encounter, and the amount within what the line has available (limit −
 * held − outstanding).
 */
final class ChargeRules {

  private ChargeRules() {}

  /** What the hospital asks to charge. */
  record Request(int quantity, long unitAmount, long amount, String reference) {}

  /** The encounter and its line as they are now. */
  record State(
      String encounterId,
      String encounterStatus,
      String lineId,
      String lineStatus,
      String frozenReason,
      long limit,
      long held,
      long outstanding,
      String chargeWithReference) {

    long available() {
      return limit - held - outstanding;
    }
  }

  /** What to do. */
  sealed interface Decision {}

  /** Hold the amount on the line. */
  record Hold(long amount) implements Decision {}

  /** Hold nothing; answer with the problem. */
  record Refuse(Problem problem) implements Decision {}

  static Decision decide(Request request, State state) {
    if ((long) request.quantity() * request.unitAmount() != request.amount()) {
      return new Refuse(
          Problem.unprocessable(
              "amount_mismatch",
              "amount "
                  + request.amount()
                  + " differs from quantity "
                  + request.quantity()
                  + " × unit_amount "
                  + request.unitAmount()
                  + " = "
                  + (long) request.quantity() * request.unitAmount()
                  + "."));
    }
    if (!"OPEN".equals(state.encounterStatus())) {
      return new Refuse(
          Problem.conflict(
              "encounter_not_open",
              "Encounter " + state.encounterId() + " is " + state.encounterStatus() + "."));
    }
    if (!"ACTIVE".equals(state.lineStatus())) {
      return new Refuse(
          Problem.conflict(
              "credit_line_not_active",
              "Credit line "
                  + state.lineId()
                  + " is "
                  + state.lineStatus()
                  + (state.frozenReason() == null ? "" : " (" + state.frozenReason() + ")")
                  + "."));
    }
    if (request.amount() > state.available()) {
      return new Refuse(
          Problem.unprocessable(
              "over_limit",
              "The charge of "
                  + request.amount()
                  + " fen exceeds the "
                  + Math.max(0, state.available())
                  + " fen available on credit line "
                  + state.lineId()
                  + "."));
    }
    if (state.chargeWithReference() != null) {
      return new Refuse(
          Problem.conflict(
              "duplicate_charge_ref",
              "Charge "
                  + state.chargeWithReference()
                  + " already has hospital_charge_ref "
                  + request.reference()
                  + "."));
    }
    return new Hold(request.amount());
  }
}
