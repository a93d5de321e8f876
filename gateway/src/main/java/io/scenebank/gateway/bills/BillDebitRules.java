package io.scenebank.gateway.bills;

import io.scenebank.gateway.http.Problem;

/**
 * Whether a bill payment may debit the payer, decided from plain values read under the payer's (and
 * the bill's) lock: the biller must exist and take payments, the account match its format, a bill
 * be named where the biller needs one, the channel reference be unused, the bill (if named) be the
 * account's and unpaid, the amount follow the biller's rule, and the payer have it.
 */
final class BillDebitRules {

  private BillDebitRules() {}

  /** The named bill as it is now (locked). */
  record Bill(
      String id,
      String billerId,
      String accountNumber,
      String status,
      String paidBy,
      long amountDue) {}

  /** What the payment asks and what was found. */
  record State(Biller biller, Bill bill, String paymentWithReference, Long available) {}

  /** Refuses with the problem, or null: the debit may go ahead. */
  static Problem refusal(BillPayments.Order order, String billerId, State state) {
    Biller biller = state.biller();
    if (biller == null) {
      return Problem.notFound("No biller " + billerId + ".");
    }
    if (!biller.active()) {
      return Problem.conflict("biller_suspended", "Biller " + billerId + " is SUSPENDED.");
    }
    if (!biller.accepts(order.accountNumber())) {
      return BillPayments.invalidAccount(biller, order.accountNumber());
    }
    if (biller.inquiryRequired() && order.billId() == null) {
      return Problem.unprocessable(
          "bill_required", biller.name() + " needs bill_id from an inquiry to take a payment.");
    }
    if (state.available() == null) {
      return Problem.notFound("No payer account " + order.payerAccountId() + ".");
    }
    if (state.paymentWithReference() != null) {
      return Problem.conflict(
          "duplicate_channel_reference",
          "channel_reference "
              + order.channelReference()
              + " was already used by "
              + state.paymentWithReference()
              + ".");
    }
    Bill bill = state.bill();
    if (order.billId() != null) {
      if (bill == null
          || !bill.billerId().equals(biller.id())
          || !bill.accountNumber().equals(order.accountNumber())) {
        return Problem.unprocessable(
            "invalid_account",
            "Bill " + order.billId() + " is not a bill of this account at this biller.");
      }
      if (!"UNPAID".equals(bill.status()) || bill.paidBy() != null) {
        return Problem.conflict(
            "bill_already_paid",
            "Bill "
                + order.billId()
                + " is "
                + ("UNPAID".equals(bill.status()) ? "being paid" : "paid")
                + (bill.paidBy() == null ? "." : " by " + bill.paidBy() + "."));
      }
    }
    Problem amount =
        BillPayments.amountProblem(biller, bill == null ? null : bill.amountDue(), order.amount());
    if (amount != null) {
      return amount;
    }
    if (order.amount() > state.available()) {
      return Problem.unprocessable(
          "insufficient_funds",
          "The payer's account cannot cover " + order.amount() + " fen; nothing was debited.");
    }
    return null;
  }
}
