package io.scenebank.gateway.merchants;

import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.ledger.Ledger.Transfer;
import io.scenebank.gateway.payers.PayerAccounts;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.tx.Cte;
import io.scenebank.gateway.tx.Tx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The SQL of a merchant payment by payer code. Reading locks what the payment changes — the QR
 * order (if it pays one), then the payer's account — and then reads, in a statement of its own, the
 * merchant, the order reference and the payer's balance and velocity counters as the previous
 * holder of the lock left them. Writing is one statement per outcome: paid (the ledger transfer,
 * the payment, the merchant's business day, the payer's counters, {@code payment.succeeded}),
 * declined (the payment, {@code risk.declined}, {@code payment.declined}) or reversed (the debit
 * and its reversal, the payment, {@code payment.reversed}).
 */
public final class PaymentStore {

  private final Ledger ledger;
  private final Events events;

  public PaymentStore(Ledger ledger, Events events) {
    this.ledger = ledger;
    this.events = events;
  }

  /** A pending QR order, locked; null if the app has no such payment. */
  Future<Row> lockOrder(Tx tx, String paymentId) {
    return tx.send(
            "SELECT * FROM payments WHERE client_id = $1 AND id = $2 FOR UPDATE",
            tx.clientId(),
            paymentId)
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  /** What the decision needs, the payer's account locked (if there is one to lock). */
  public record Read(PaymentRules.Merchant merchant, PaymentRules.Payer payer) {}

  /**
   * Locks the payer's account, then reads the merchant, the payment already using the order
   * reference (other than {@code paymentId}) and the payer.
   */
  public Future<Read> read(
      Tx tx, String merchantId, String orderRef, String paymentId, String payerAccountId) {
    String clientId = tx.clientId();
    if (payerAccountId != null) {
      tx.send(
          "SELECT 1 FROM payer_accounts WHERE client_id = $1 AND id = $2 FOR UPDATE",
          clientId,
          payerAccountId);
      ledger.ensure(tx, List.of(MerchantRows.balance(clientId, merchantId)));
    }
    return tx.send(
            "SELECT m.status, m.fee_rate_bps,"
                + " (SELECT p.id FROM payments p WHERE p.merchant_id = $2"
                + "   AND p.merchant_order_ref = $3 AND p.id IS DISTINCT FROM $4) AS duplicate,"
                + " a.id AS payer_id, a.holder_name, a.account_masked, a.velocity_window,"
                + " a.velocity_current, a.velocity_previous, coalesce(-l.posted, 0) AS available"
                + " FROM (SELECT 1) one"
                + " LEFT JOIN merchants m ON m.client_id = $1 AND m.id = $2"
                + " LEFT JOIN payer_accounts a ON a.client_id = $1 AND a.id = $5"
                + " LEFT JOIN ledger_accounts l ON l.code = $6",
            clientId,
            merchantId,
            orderRef,
            paymentId,
            payerAccountId,
            payerAccountId == null ? null : PayerAccounts.deposit(clientId, payerAccountId))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              PaymentRules.Merchant merchant =
                  new PaymentRules.Merchant(
                      merchantId,
                      row.getString("status"),
                      row.getInteger("fee_rate_bps") == null ? 0 : row.getInteger("fee_rate_bps"),
                      row.getString("duplicate"));
              PaymentRules.Payer payer =
                  row.getString("payer_id") == null
                      ? null
                      : new PaymentRules.Payer(
                          row.getString("payer_id"),
                          row.getString("holder_name"),
                          row.getString("account_masked"),
                          row.getLong("available"),
                          new PaymentRules.Velocity(
                              row.getLong("velocity_window"),
                              row.getInteger("velocity_current"),
                              row.getInteger("velocity_previous")));
              return new Read(merchant, payer);
            });
  }

  /** The writes of a paid payment, debited from the payer's account alone. */
  Cte paid(
      String clientId,
      String requestId,
      MerchantRows.PaymentView payment,
      JsonObject json,
      long fee,
      PaymentRules.Velocity velocity) {
    return paid(
        clientId,
        requestId,
        payment,
        json,
        fee,
        velocity,
        List.of(
            Posting.debit(
                PayerAccounts.deposit(clientId, payment.payerAccountId()), payment.amount())),
        null,
        null);
  }

  /**
   * The writes of a paid payment: {@code debits} (summing to the amount) against the merchant's
   * balance, the payment (with a canteen's lot allocations and meal date), the merchant's business
   * day, the payer's counters and {@code payment.succeeded}. Returns the statement to complete (a
   * canteen adds its lots).
   */
  public Cte paid(
      String clientId,
      String requestId,
      MerchantRows.PaymentView payment,
      JsonObject json,
      long fee,
      PaymentRules.Velocity velocity,
      List<Posting> debits,
      io.vertx.core.json.JsonArray lotAllocations,
      java.time.LocalDate mealDate) {
    Cte cte = new Cte();
    List<Posting> legs = new java.util.ArrayList<>(debits);
    legs.add(
        Posting.credit(MerchantRows.balance(clientId, payment.merchantId()), payment.amount()));
    List<String> ids =
        ledger.write(
            cte,
            payment.paidAt(),
            List.of(new Transfer(Ledger.Layer.POSTED, "payments.payment", payment.id(), legs)));
    upsert(cte, clientId, payment, fee, ids.get(0), lotAllocations, mealDate);
    cte.part(
        cte.name("day"),
        "INSERT INTO merchant_days (merchant_id, business_date, client_id) VALUES ($1, $2, $3)"
            + " ON CONFLICT DO NOTHING RETURNING 1",
        payment.merchantId(),
        AppClock.day(payment.paidAt()),
        clientId);
    cte.part(
        cte.name("velocity"),
        "UPDATE payer_accounts SET velocity_window = $3, velocity_current = $4,"
            + " velocity_previous = $5 WHERE client_id = $1 AND id = $2 RETURNING 1",
        clientId,
        payment.payerAccountId(),
        velocity.window(),
        velocity.current(),
        velocity.previous());
    events.write(cte, clientId, "payment.succeeded", json, requestId);
    return cte;
  }

  /** The writes of a declined payment. */
  public Cte declined(
      String clientId,
      String requestId,
      MerchantRows.PaymentView payment,
      JsonObject json,
      boolean risk) {
    Cte cte = new Cte();
    upsert(cte, clientId, payment, 0, null, null, null);
    if (risk) {
      events.write(cte, clientId, "risk.declined", json, requestId);
    }
    events.write(cte, clientId, "payment.declined", json, requestId);
    return cte;
  }

  /** The writes of a payment the payer's bank did not answer: debited and reversed at once. */
  Cte reversed(
      String clientId, String requestId, MerchantRows.PaymentView payment, JsonObject json) {
    Cte cte = new Cte();
    String debitId = Ledger.newTransactionId();
    Transfer debit =
        new Transfer(
            Ledger.Layer.POSTED,
            "payments.debit",
            payment.id(),
            List.of(
                Posting.debit(
                    PayerAccounts.deposit(clientId, payment.payerAccountId()), payment.amount()),
                Posting.credit(
                    MerchantRows.balance(clientId, payment.merchantId()), payment.amount())),
            null,
            debitId);
    ledger.write(
        cte, payment.reversedAt(), List.of(debit, debit.reversal("payments.reversal", debitId)));
    upsert(cte, clientId, payment, 0, debitId, null, null);
    events.write(cte, clientId, "payment.reversed", json, requestId);
    return cte;
  }

  /** Inserts the payment, or (a QR order) updates the pending one. */
  private static void upsert(
      Cte cte,
      String clientId,
      MerchantRows.PaymentView p,
      long fee,
      String debitTransaction,
      io.vertx.core.json.JsonArray lotAllocations,
      java.time.LocalDate mealDate) {
    cte.part(
        cte.name("payment"),
        "INSERT INTO payments (id, client_id, merchant_id, type, status, amount, fee,"
            + " description, merchant_order_ref, payer_account_id, paid_at, reversed_at,"
            + " decline_code, decline_message, debit_transaction, business_date, metadata,"
            + " created_at, updated_at, funding, lot_allocations, meal_date)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
            + " $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)"
            + " ON CONFLICT (id) DO UPDATE SET status = $5, fee = $7, payer_account_id = $10,"
            + " paid_at = $11, reversed_at = $12, decline_code = $13, decline_message = $14,"
            + " debit_transaction = $15, business_date = $16, updated_at = $19 RETURNING 1",
        p.id(),
        clientId,
        p.merchantId(),
        p.type(),
        p.status(),
        p.amount(),
        fee,
        p.description(),
        p.orderRef(),
        p.payerAccountId(),
        p.paidAt(),
        p.reversedAt(),
        p.declineCode(),
        p.declineMessage(),
        debitTransaction,
        p.paidAt() == null ? null : AppClock.day(p.paidAt()),
        p.metadata() == null ? new JsonObject() : p.metadata(),
        p.createdAt(),
        p.updatedAt(),
        p.funding(),
        lotAllocations,
        mealDate);
  }

  /**
   * For a refund: locks the payment (its row, as locked, is current) and reads the refund already
   * using the reference at the payment's merchant, if any.
   */
  Future<RefundRead> readForRefund(Tx tx, String paymentId, String reference) {
    Future<io.vertx.sqlclient.RowSet<Row>> locked =
        tx.send(
            "SELECT * FROM payments WHERE client_id = $1 AND id = $2 FOR UPDATE",
            tx.clientId(),
            paymentId);
    Future<io.vertx.sqlclient.RowSet<Row>> duplicate =
        tx.send(
            "SELECT r.id FROM refunds r JOIN payments p ON p.merchant_id = r.merchant_id"
                + " WHERE p.client_id = $1 AND p.id = $2 AND r.merchant_refund_ref = $3",
            tx.clientId(),
            paymentId,
            reference);
    return Future.all(locked, duplicate)
        .map(
            v -> {
              if (locked.result().size() == 0) {
                return null;
              }
              Row row = locked.result().iterator().next();
              RefundRules.Payment payment =
                  new RefundRules.Payment(
                      row.getString("id"),
                      row.getString("client_id"),
                      row.getString("merchant_id"),
                      row.getString("type"),
                      row.getString("status"),
                      row.getLong("amount"),
                      row.getLong("refunded_amount"),
                      row.getLong("refunded_subsidy"),
                      row.getString("payer_account_id"),
                      row.getValue("funding") instanceof JsonObject f ? f : null,
                      row.getValue("lot_allocations") instanceof io.vertx.core.json.JsonArray a
                          ? a
                          : new io.vertx.core.json.JsonArray());
              return new RefundRead(
                  payment,
                  duplicate.result().size() == 0
                      ? null
                      : duplicate.result().iterator().next().getString("id"));
            });
  }

  /** A locked payment and the refund already using the reference. */
  record RefundRead(RefundRules.Payment payment, String refundWithReference) {}

  /**
   * The writes of a refund: the money back (when it succeeded), the payment's refunded amounts, the
   * subsidy back to its lots, the merchant's day, the refund row and {@code refund.succeeded}.
   */
  Cte refunded(
      String requestId,
      RefundRules.Payment payment,
      RefundRules.Split split,
      JsonObject refund,
      JsonObject request,
      OffsetDateTime now) {
    String clientId = payment.clientId();
    String id = refund.getString("id");
    long amount = refund.getJsonObject("amount").getLong("amount");
    Cte cte = new Cte();
    if (split != null) {
      List<Posting> legs = new java.util.ArrayList<>(split.credits());
      legs.add(Posting.debit(MerchantRows.balance(clientId, payment.merchantId()), amount));
      ledger.write(
          cte, now, List.of(new Transfer(Ledger.Layer.POSTED, "payments.refund", id, legs)));
      cte.part(
          cte.name("refunded"),
          "UPDATE payments SET refunded_amount = refunded_amount + $2,"
              + " refunded_subsidy = refunded_subsidy + $3, updated_at = $4 WHERE id = $1"
              + " RETURNING 1",
          payment.id(),
          amount,
          split.subsidy(),
          now);
      if (!split.lots().isEmpty()) {
        // an expired lot comes back un-expired: the next sweep clears it to the employer
        cte.part(
            cte.name("lots"),
            "UPDATE subsidy_lots l SET remaining = l.remaining + b.amount, expired = false"
                + " FROM unnest($1::bigint[], $2::bigint[]) AS b (id, amount) WHERE l.id = b.id"
                + " RETURNING 1",
            split.lots().stream().map(RefundRules.LotBack::lot).toArray(Long[]::new),
            split.lots().stream().map(RefundRules.LotBack::amount).toArray(Long[]::new));
      }
      cte.part(
          cte.name("day"),
          "INSERT INTO merchant_days (merchant_id, business_date, client_id) VALUES ($1, $2, $3)"
              + " ON CONFLICT DO NOTHING RETURNING 1",
          payment.merchantId(),
          AppClock.day(now),
          clientId);
    }
    cte.part(
        cte.name("refund"),
        "INSERT INTO refunds (id, client_id, payment_id, merchant_id, amount, status,"
            + " failure_reason, reason, merchant_refund_ref, funding, business_date, metadata,"
            + " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
            + " RETURNING 1",
        id,
        clientId,
        payment.id(),
        payment.merchantId(),
        amount,
        refund.getString("status"),
        refund.getString("failure_reason"),
        request.getString("reason"),
        request.getString("merchant_refund_ref"),
        refund.getJsonObject("funding"),
        AppClock.day(now),
        request.getJsonObject("metadata", new JsonObject()),
        now);
    if (split != null) {
      events.write(cte, clientId, "refund.succeeded", refund, requestId);
    }
    return cte;
  }
}
