package io.scenebank.gateway.merchants;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.payers.PayerAccounts;
import java.util.List;

/**
 * Whether a refund of a payment may be made, decided from plain values read under the payment's
 * lock: the payment must have succeeded, the refund reference be unused for the merchant and the
 * amount within what is left to refund. The money goes back as the payment came: to the payer's
 * account, or (a canteen payment) by the canteen's split. In the sandbox the magic amount 6001
 * fails (nothing moves, the amount stays refundable).
 */
public final class RefundRules {

  public static final long REFUND_FAILS_AMOUNT = 6001;

  private RefundRules() {}

  /** What a refund gives back, and where from. */
  public record Split(List<Posting> credits, long subsidy, long ownFunds, List<LotBack> lots) {}

  /** Subsidy going back to a wallet lot. */
  public record LotBack(long lot, long amount) {}

  /** How a payment of a kind is paid back; pure: from the payment's row as read. */
  public interface Splitter {
    Split split(Payment payment, long amount);
  }

  /** The payment as it is now (locked). */
  public record Payment(
      String id,
      String clientId,
      String merchantId,
      String type,
      String status,
      long amount,
      long refunded,
      long refundedSubsidy,
      String payerAccountId,
      io.vertx.core.json.JsonObject funding,
      io.vertx.core.json.JsonArray lotAllocations) {

    public long left() {
      return amount - refunded;
    }
  }

  /** What to do. */
  sealed interface Decision {}

  /** Refund: the credits go back, the merchant's balance is debited. */
  record Refund(Split split) implements Decision {}

  /** Record a FAILED refund; nothing moves. */
  record Fail(String reason) implements Decision {}

  /** Change nothing; answer with the problem. */
  record Refuse(Problem problem) implements Decision {}

  static Decision decide(
      Payment payment,
      String refundWithReference,
      String reference,
      long amount,
      Mode mode,
      Splitter canteen) {
    if (!"SUCCEEDED".equals(payment.status())) {
      return new Refuse(
          Problem.conflict(
              "payment_not_refundable",
              "Payment " + payment.id() + " is " + payment.status() + "."));
    }
    if (refundWithReference != null) {
      return new Refuse(
          Problem.conflict(
              "duplicate_merchant_refund_ref",
              "merchant_refund_ref "
                  + reference
                  + " was already used by "
                  + refundWithReference
                  + "."));
    }
    if (amount > payment.left()) {
      return new Refuse(
          Problem.unprocessable(
              "refund_exceeds_paid",
              "Payment "
                  + payment.id()
                  + ": "
                  + payment.amount()
                  + " paid, "
                  + payment.refunded()
                  + " already refunded, "
                  + amount
                  + " requested."));
    }
    if (mode.sandbox() && amount == REFUND_FAILS_AMOUNT) {
      return new Fail("The refund failed; the amount stays refundable.");
    }
    if ("CANTEEN".equals(payment.type()) && canteen != null) {
      return new Refund(canteen.split(payment, amount));
    }
    return new Refund(
        new Split(
            List.of(
                Posting.credit(
                    PayerAccounts.deposit(payment.clientId(), payment.payerAccountId()), amount)),
            0,
            amount,
            List.of()));
  }
}
