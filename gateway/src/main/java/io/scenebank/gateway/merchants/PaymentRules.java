package io.scenebank.gateway.merchants;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.payers.PayerCodes;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * How a merchant payment by payer code is decided, from plain values read under the payer's lock:
 * the merchant must be active and the order reference unused; then the payer's bank (the code's
 * behaviour), the risk rules (largest amount, payments per payer in a sliding window) and the
 * payer's balance decide between paid, declined and reversed (the bank timed out). The sandbox's
 * magic amounts act as the payer's bank would.
 */
public final class PaymentRules {

  /** Sandbox magic amounts (fen). */
  static final long DECLINE_FUNDS_AMOUNT = 4001;

  static final long DECLINE_RISK_AMOUNT = 4002;
  static final long BANK_TIMEOUT_AMOUNT = 4008;

  /**
   * The payer's payments in the sliding window, estimated from two fixed windows: the current one
   * ({@code window}, numbered epoch-seconds / length) and the one before, weighted by how much of
   * it the sliding window still covers.
   */
  public record Velocity(long window, int current, int previous) {

    /** The counters as of {@code now}: shifted if windows have passed since they were written. */
    Velocity at(OffsetDateTime now, Duration length) {
      long nowWindow = now.toEpochSecond() / length.toSeconds();
      if (nowWindow == window) {
        return this;
      }
      return new Velocity(nowWindow, 0, nowWindow == window + 1 ? current : 0);
    }

    /** Payments in the last window-length up to {@code now} (an estimate). */
    double estimate(OffsetDateTime now, Duration length) {
      Velocity v = at(now, length);
      double elapsed = (now.toEpochSecond() % length.toSeconds()) / (double) length.toSeconds();
      return v.previous() * (1 - elapsed) + v.current();
    }

    /** One more successful payment at {@code now}. */
    public Velocity plusOne(OffsetDateTime now, Duration length) {
      Velocity v = at(now, length);
      return new Velocity(v.window(), v.current() + 1, v.previous());
    }
  }

  /** The payer as it is now (locked), or null if the code names no account. */
  public record Payer(
      String accountId,
      String holderName,
      String accountMasked,
      long available,
      Velocity velocity) {}

  /** The merchant as it is now; null fields if the app has no such merchant. */
  public record Merchant(String id, String status, int feeRateBps, String paymentWithReference) {}

  /** What to do. */
  sealed interface Decision {}

  /** Debit the payer, credit the merchant; keep the fee; count the payment for the payer. */
  record Pay(long fee, Velocity velocity) implements Decision {}

  /** Move nothing; the payment is DECLINED with this code ({@code risk}: emit risk.declined). */
  record Decline(String code, String message, boolean risk) implements Decision {}

  /** The payer's bank did not answer: debit and reverse at once; the payment is REVERSED. */
  record Reverse() implements Decision {}

  /** Change nothing; answer with the problem. */
  record Refuse(Problem problem) implements Decision {}

  static Decision decide(
      Merchant merchant,
      String orderRef,
      PayerCodes.Code code,
      Payer payer,
      long amount,
      Mode mode,
      Payments.RiskRules risk,
      OffsetDateTime now) {
    if (merchant.status() == null) {
      return new Refuse(Problem.notFound("No merchant " + merchant.id() + "."));
    }
    if (!"ACTIVE".equals(merchant.status())) {
      return new Refuse(
          Problem.conflict(
              "merchant_not_active",
              "Merchant " + merchant.id() + " is " + merchant.status() + "."));
    }
    if (merchant.paymentWithReference() != null) {
      return new Refuse(
          Problem.conflict(
              "duplicate_merchant_order_ref",
              "merchant_order_ref "
                  + orderRef
                  + " was already used by "
                  + merchant.paymentWithReference()
                  + "."));
    }
    if (code == null || payer == null) {
      return new Decline("INVALID_PAYER_CODE", "The payer code is not valid.", false);
    }
    if (code.behaviour() == PayerCodes.Behaviour.EXPIRED) {
      return new Decline("PAYER_CODE_EXPIRED", "The payer code has expired.", false);
    }
    if (code.behaviour() == PayerCodes.Behaviour.INSUFFICIENT_FUNDS
        || (mode.sandbox() && amount == DECLINE_FUNDS_AMOUNT)) {
      return new Decline("INSUFFICIENT_FUNDS", "The payer's account cannot cover it.", false);
    }
    if (code.behaviour() == PayerCodes.Behaviour.RISK_DECLINE) {
      return new Decline("VELOCITY_LIMIT", "Too many payments by this payer.", true);
    }
    if (mode.sandbox() && amount == DECLINE_RISK_AMOUNT) {
      return new Decline("RISK_DECLINED", "Declined by the risk rules.", true);
    }
    if (amount > risk.maxAmount()) {
      return new Decline(
          "AMOUNT_LIMIT",
          "The amount is above the " + risk.maxAmount() + " fen limit per payment.",
          true);
    }
    if (payer.velocity().estimate(now, risk.velocityWindow()) >= risk.velocityLimit()) {
      return new Decline(
          "VELOCITY_LIMIT",
          "The payer made "
              + risk.velocityLimit()
              + " payments in the last "
              + risk.velocityWindow().toMinutes()
              + " minutes.",
          true);
    }
    if (amount > payer.available()) {
      return new Decline("INSUFFICIENT_FUNDS", "The payer's account cannot cover it.", false);
    }
    if (code.behaviour() == PayerCodes.Behaviour.BANK_TIMEOUT
        || (mode.sandbox() && amount == BANK_TIMEOUT_AMOUNT)) {
      return new Reverse();
    }
    return new Pay(
        amount * merchant.feeRateBps() / 10_000,
        payer.velocity().plusOne(now, risk.velocityWindow()));
  }
}
