package io.scenebank.gateway.bills.connector;

import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.List;

/**
 * How the gateway talks to one biller's system: look up an account's unpaid bills, ask for a
 * payment's write-off (销账), and ask what became of a write-off. Implementations fail their futures
 * with {@link BillerException} when the biller times out, is unavailable or answers something
 * unusable; a business answer (no dues, unknown account, rejected) is a normal result.
 */
public interface BillerConnector {

  /** The unpaid bills of an account, as the biller sees them. */
  Future<Inquiry> inquire(String accountNumber);

  /**
   * Asks the biller to write off a payment. The biller treats {@code paymentId} as idempotent: the
   * same id twice is one write-off. Not retried by the connector (a lost answer is settled by
   * {@link #status}).
   */
  Future<WriteOff> writeOff(WriteOffRequest request);

  /** What the biller knows of the write-off of {@code paymentId}. */
  Future<WriteOff> status(String paymentId);

  /** One unpaid bill: the biller's reference for it, the period, amount (fen) and due date. */
  record DueBill(String reference, String period, long amount, LocalDate dueDate) {}

  /** The answer to an inquiry. */
  sealed interface Inquiry {}

  /** The account has unpaid bills, oldest first. */
  record Dues(String holderMasked, List<DueBill> bills) implements Inquiry {
    public Dues {
      bills = List.copyOf(bills);
    }
  }

  /** The account owes nothing. */
  record NoDues(String holderMasked) implements Inquiry {}

  /** The biller does not know the account. */
  record UnknownAccount() implements Inquiry {}

  /** A write-off to ask for: {@code billReference} is null for payments without a bill. */
  record WriteOffRequest(
      String paymentId, String accountNumber, String billReference, String period, long amount) {}

  /** What became of a write-off. */
  sealed interface WriteOff {}

  /** Written off; {@code reference} is the biller's. */
  record Confirmed(String reference) implements WriteOff {}

  /** Refused by the biller, with its message. */
  record Rejected(String message) implements WriteOff {}

  /** The biller has not decided yet, or (status query) does not know the payment. */
  record Undecided() implements WriteOff {}
}
