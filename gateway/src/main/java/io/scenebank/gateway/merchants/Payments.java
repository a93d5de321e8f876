package io.scenebank.gateway.merchants;

import io.scenebank.gateway.bills.PayerAccounts;
import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.ledger.Ledger.Transfer;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.TimeDriven;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Merchant payments: QR orders the payer pays in the bank's app, payer-shown codes the merchant
 * scans, and (through the canteen module) canteen payments; refunds. Every decision — paid,
 * declined, reversed — is one transaction with its ledger transfer, its event and the idempotent
 * answer. Refunds of one payment are serialised on the payment's row.
 */
public final class Payments implements TimeDriven {

  /** Sandbox magic amounts (fen). */
  static final long DECLINE_FUNDS_AMOUNT = 4001;

  static final long DECLINE_RISK_AMOUNT = 4002;
  static final long BANK_TIMEOUT_AMOUNT = 4008;
  static final long REFUND_FAILS_AMOUNT = 6001;

  private static final String SELECT =
      "SELECT p.*, a.holder_name, a.account_masked FROM payments p LEFT JOIN payer_accounts a"
          + " ON a.client_id = p.client_id AND a.id = p.payer_account_id";
  private static final int SWEEP_BATCH = 500;

  /** How a refund of a payment is paid back: the credits, and the subsidy / own-funds split. */
  public interface RefundSplitter {
    Future<Split> split(SqlClient tx, Row payment, long amount, OffsetDateTime now);

    record Split(List<Posting> credits, long subsidy, long ownFunds) {}
  }

  /** The risk rules: the largest payment, and how many payments a payer may make in a window. */
  public record RiskRules(long maxAmount, int velocityLimit, Duration velocityWindow) {}

  private final Pool pool;
  private final Merchants merchants;
  private final PayerAccounts payers;
  private final PayerCodes codes;
  private final Ledger ledger;
  private final Events events;
  private final AppClock clock;
  private final MerchantRows rows;
  private final RiskRules risk;
  private final boolean sandbox;
  private RefundSplitter canteenRefunds;

  public Payments(
      Pool pool,
      Merchants merchants,
      PayerAccounts payers,
      PayerCodes codes,
      Ledger ledger,
      Events events,
      AppClock clock,
      MerchantRows rows,
      RiskRules risk,
      boolean sandbox) {
    this.pool = pool;
    this.merchants = merchants;
    this.payers = payers;
    this.codes = codes;
    this.ledger = ledger;
    this.events = events;
    this.clock = clock;
    this.rows = rows;
    this.risk = risk;
    this.sandbox = sandbox;
  }

  /** How canteen payments are refunded (own funds first, subsidy back to the wallet). */
  public void canteenRefunds(RefundSplitter splitter) {
    this.canteenRefunds = splitter;
  }

  // ------------------------------------------------------------------ shared with the canteen

  /** A payment about to be decided. */
  public record NewPayment(
      String id,
      String clientId,
      Row merchant,
      String type,
      long amount,
      String description,
      String orderRef,
      String payerAccountId,
      JsonObject funding,
      JsonArray lotAllocations,
      JsonObject metadata) {}

  /** 409 if the merchant already used the order reference. */
  public Future<Void> checkOrderRef(SqlClient tx, String merchantId, String orderRef) {
    return tx.preparedQuery(
            "SELECT id FROM payments WHERE merchant_id = $1 AND merchant_order_ref = $2")
        .execute(Tuple.of(merchantId, orderRef))
        .map(
            dup -> {
              if (dup.size() > 0) {
                throw Problem.conflict(
                    "duplicate_merchant_order_ref",
                    "merchant_order_ref "
                        + orderRef
                        + " was already used by "
                        + dup.iterator().next().getString("id")
                        + ".");
              }
              return null;
            });
  }

  /**
   * Books a successful payment: {@code debits} (summing to the amount) against the merchant's
   * balance, the payment row, the merchant's business day, and {@code payment.succeeded}.
   */
  public Future<JsonObject> succeeded(
      SqlClient tx, Call call, NewPayment p, List<Posting> debits, OffsetDateTime now) {
    List<Posting> legs = new ArrayList<>(debits);
    legs.add(
        Posting.credit(
            MerchantRows.balance(p.clientId(), p.merchant().getString("id")), p.amount()));
    long fee = p.amount() * p.merchant().getInteger("fee_rate_bps") / 10_000;
    return ledger
        .record(
            tx, now, List.of(new Transfer(Ledger.Layer.POSTED, "payments.payment", p.id(), legs)))
        .compose(ids -> upsert(tx, p, "SUCCEEDED", now, fee, null, null, ids.get(0)))
        .compose(v -> day(tx, p.clientId(), p.merchant().getString("id"), now))
        .compose(v -> emit(tx, call, p.id(), "payment.succeeded"));
  }

  /** Records a declined payment (nothing moved) and its events. */
  public Future<JsonObject> declined(
      SqlClient tx,
      Call call,
      NewPayment p,
      String code,
      String message,
      boolean riskRule,
      OffsetDateTime now) {
    return upsert(tx, p, "DECLINED", now, 0, code, message, null)
        .compose(
            v ->
                riskRule
                    ? emit(tx, call, p.id(), "risk.declined").mapEmpty()
                    : Future.succeededFuture())
        .compose(v -> emit(tx, call, p.id(), "payment.declined"));
  }

  /** Inserts the payment, or (a QR order) updates the pending one. */
  private Future<Void> upsert(
      SqlClient tx,
      NewPayment p,
      String status,
      OffsetDateTime now,
      long fee,
      String declineCode,
      String declineMessage,
      String debitTransaction) {
    boolean paid = "SUCCEEDED".equals(status);
    return tx.preparedQuery(
            "INSERT INTO payments (id, client_id, merchant_id, type, status, amount, fee,"
                + " description, merchant_order_ref, payer_account_id, paid_at, decline_code,"
                + " decline_message, funding, lot_allocations, debit_transaction, business_date,"
                + " metadata, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                + " $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)"
                + " ON CONFLICT (id) DO UPDATE SET status = $5, fee = $7, payer_account_id = $10,"
                + " paid_at = $11, decline_code = $12, decline_message = $13,"
                + " debit_transaction = $16, business_date = $17, updated_at = $19")
        .execute(
            Tuple.tuple()
                .addString(p.id())
                .addString(p.clientId())
                .addString(p.merchant().getString("id"))
                .addString(p.type())
                .addString(status)
                .addLong(p.amount())
                .addLong(fee)
                .addString(p.description())
                .addString(p.orderRef())
                .addString(p.payerAccountId())
                .addOffsetDateTime(paid ? now : null)
                .addString(declineCode)
                .addString(declineMessage)
                .addJsonObject(p.funding())
                .addJsonArray(p.lotAllocations())
                .addString(debitTransaction)
                .addLocalDate(paid ? AppClock.day(now) : null)
                .addJsonObject(p.metadata() == null ? new JsonObject() : p.metadata())
                .addOffsetDateTime(now))
        .mapEmpty();
  }

  /** Marks the merchant's business day as having activity (its statement follows). */
  private static Future<Void> day(
      SqlClient tx, String clientId, String merchantId, OffsetDateTime now) {
    return tx.preparedQuery(
            "INSERT INTO merchant_days (merchant_id, business_date, client_id) VALUES ($1, $2, $3)"
                + " ON CONFLICT DO NOTHING")
        .execute(Tuple.of(merchantId, AppClock.day(now), clientId))
        .mapEmpty();
  }

  private Future<JsonObject> emit(SqlClient tx, Call call, String paymentId, String type) {
    return tx.preparedQuery(SELECT + " WHERE p.id = $1")
        .execute(Tuple.of(paymentId))
        .compose(
            found -> {
              JsonObject payment = rows.payment(found.iterator().next());
              return events.emit(tx, call.clientId(), type, payment, call.requestId()).map(payment);
            });
  }

  // ------------------------------------------------------------------ QR orders and codes

  Future<JsonObject> createQrOrder(Call call, JsonObject request) {
    String merchantId = request.getString("merchant_id");
    long amount = request.getJsonObject("amount").getLong("amount");
    String orderRef = request.getString("merchant_order_ref");
    int expiresIn = request.getInteger("expires_in_seconds", 900);
    return pool.withTransaction(
        tx ->
            merchants
                .active(tx, call.clientId(), merchantId)
                .compose(m -> checkOrderRef(tx, merchantId, orderRef))
                .compose(v -> clock.now(tx, call.clientId()))
                .compose(
                    now -> {
                      String id = Ids.next("pay");
                      return tx.preparedQuery(
                              "INSERT INTO payments (id, client_id, merchant_id, type, status,"
                                  + " amount, description, merchant_order_ref, qr_payload,"
                                  + " expires_at, metadata, created_at, updated_at) VALUES ($1,"
                                  + " $2, $3, 'QR_ORDER', 'PENDING', $4, $5, $6, $7, $8, $9, $10,"
                                  + " $10)")
                          .execute(
                              Tuple.tuple()
                                  .addString(id)
                                  .addString(call.clientId())
                                  .addString(merchantId)
                                  .addLong(amount)
                                  .addString(request.getString("description"))
                                  .addString(orderRef)
                                  .addString("https://qr.scenebank.example/p/" + id)
                                  .addOffsetDateTime(now.plusSeconds(expiresIn))
                                  .addJsonObject(
                                      request.getJsonObject("metadata", new JsonObject()))
                                  .addOffsetDateTime(now))
                          .compose(v -> one(tx, call.clientId(), id));
                    })
                .compose(payment -> call.answer(tx, 201, payment)));
  }

  Future<JsonObject> createCodePayment(Call call, JsonObject request) {
    String merchantId = request.getString("merchant_id");
    String orderRef = request.getString("merchant_order_ref");
    return pool.withTransaction(
            tx ->
                merchants
                    .active(tx, call.clientId(), merchantId)
                    .compose(
                        merchant ->
                            checkOrderRef(tx, merchantId, orderRef)
                                .compose(v -> clock.now(tx, call.clientId()))
                                .compose(
                                    now -> {
                                      NewPayment p =
                                          new NewPayment(
                                              Ids.next("pay"),
                                              call.clientId(),
                                              merchant,
                                              "PAYER_CODE",
                                              request.getJsonObject("amount").getLong("amount"),
                                              request.getString("description"),
                                              orderRef,
                                              null,
                                              null,
                                              null,
                                              request.getJsonObject("metadata", new JsonObject()));
                                      return charge(
                                          tx, call, p, request.getString("payer_code"), now);
                                    }))
                    .compose(payment -> call.answer(tx, 201, payment)))
        .onSuccess(p -> events.nudge());
  }

  /** The sandbox's payer pays a pending QR order with a payer code. */
  Future<JsonObject> payQrOrder(Call call, String paymentId, String payerCode) {
    if (codes.resolve(payerCode).isEmpty()) {
      return Future.failedFuture(
          Problem.unprocessable(
              "unknown_payer_code", "Payer code " + payerCode + " is not a fixture."));
    }
    return runDue(call.clientId())
        .compose(
            v ->
                pool.withTransaction(
                    tx ->
                        lock(tx, call.clientId(), paymentId)
                            .compose(
                                order -> {
                                  if (!"QR_ORDER".equals(order.getString("type"))
                                      || !"PENDING".equals(order.getString("status"))) {
                                    throw Problem.conflict(
                                        "payment_not_pending",
                                        "Payment "
                                            + paymentId
                                            + " is "
                                            + order.getString("status")
                                            + ".");
                                  }
                                  return merchants
                                      .find(tx, call.clientId(), order.getString("merchant_id"))
                                      .compose(
                                          merchant ->
                                              clock
                                                  .now(tx, call.clientId())
                                                  .compose(
                                                      now ->
                                                          charge(
                                                              tx,
                                                              call,
                                                              new NewPayment(
                                                                  paymentId,
                                                                  call.clientId(),
                                                                  merchant,
                                                                  "QR_ORDER",
                                                                  order.getLong("amount"),
                                                                  order.getString("description"),
                                                                  order.getString(
                                                                      "merchant_order_ref"),
                                                                  null,
                                                                  null,
                                                                  null,
                                                                  (JsonObject)
                                                                      order.getValue("metadata")),
                                                              payerCode,
                                                              now)));
                                })
                            .compose(payment -> call.answer(tx, 200, payment))))
        .onSuccess(p -> events.nudge());
  }

  /** The payer's bank's decision on a code, then the risk rules, then the money. */
  private Future<JsonObject> charge(
      SqlClient tx, Call call, NewPayment p, String payerCode, OffsetDateTime now) {
    PayerCodes.Code code = codes.resolve(payerCode).orElse(null);
    if (code == null) {
      return declined(
          tx, call, p, "INVALID_PAYER_CODE", "The payer code is not valid.", false, now);
    }
    NewPayment withPayer =
        new NewPayment(
            p.id(),
            p.clientId(),
            p.merchant(),
            p.type(),
            p.amount(),
            p.description(),
            p.orderRef(),
            code.accountId(),
            p.funding(),
            p.lotAllocations(),
            p.metadata());
    if (code.behaviour() == PayerCodes.Behaviour.EXPIRED) {
      return declined(
          tx, call, withPayer, "PAYER_CODE_EXPIRED", "The payer code has expired.", false, now);
    }
    if (code.behaviour() == PayerCodes.Behaviour.INSUFFICIENT_FUNDS
        || (sandbox && p.amount() == DECLINE_FUNDS_AMOUNT)) {
      return declined(
          tx,
          call,
          withPayer,
          "INSUFFICIENT_FUNDS",
          "The payer's account cannot cover it.",
          false,
          now);
    }
    if (code.behaviour() == PayerCodes.Behaviour.RISK_DECLINE) {
      return declined(
          tx, call, withPayer, "VELOCITY_LIMIT", "Too many payments by this payer.", true, now);
    }
    if (sandbox && p.amount() == DECLINE_RISK_AMOUNT) {
      return declined(
          tx, call, withPayer, "RISK_DECLINED", "Declined by the risk rules.", true, now);
    }
    if (p.amount() > risk.maxAmount()) {
      return declined(
          tx,
          call,
          withPayer,
          "AMOUNT_LIMIT",
          "The amount is above the " + risk.maxAmount() + " fen limit per payment.",
          true,
          now);
    }
    return payers
        .lock(tx, p.clientId(), code.accountId(), now)
        .compose(
            account ->
                tx.preparedQuery(
                        "SELECT count(*) FROM payments WHERE client_id = $1"
                            + " AND payer_account_id = $2 AND status = 'SUCCEEDED'"
                            + " AND paid_at > $3")
                    .execute(
                        Tuple.of(p.clientId(), code.accountId(), now.minus(risk.velocityWindow()))))
        .compose(
            recent -> {
              if (recent.iterator().next().getLong(0) >= risk.velocityLimit()) {
                return declined(
                    tx,
                    call,
                    withPayer,
                    "VELOCITY_LIMIT",
                    "The payer made "
                        + risk.velocityLimit()
                        + " payments in the last "
                        + risk.velocityWindow().toMinutes()
                        + " minutes.",
                    true,
                    now);
              }
              return payers
                  .available(tx, p.clientId(), code.accountId())
                  .compose(
                      available -> {
                        if (p.amount() > available) {
                          return declined(
                              tx,
                              call,
                              withPayer,
                              "INSUFFICIENT_FUNDS",
                              "The payer's account cannot cover it.",
                              false,
                              now);
                        }
                        if (code.behaviour() == PayerCodes.Behaviour.BANK_TIMEOUT
                            || (sandbox && p.amount() == BANK_TIMEOUT_AMOUNT)) {
                          return timedOut(tx, call, withPayer, now);
                        }
                        return succeeded(
                            tx,
                            call,
                            withPayer,
                            List.of(
                                Posting.debit(
                                    PayerAccounts.deposit(p.clientId(), code.accountId()),
                                    p.amount())),
                            now);
                      });
            });
  }

  /** The payer's bank did not answer in time: the debit is reversed, the payment REVERSED. */
  private Future<JsonObject> timedOut(SqlClient tx, Call call, NewPayment p, OffsetDateTime now) {
    Transfer debit =
        new Transfer(
            Ledger.Layer.POSTED,
            "payments.debit",
            p.id(),
            List.of(
                Posting.debit(PayerAccounts.deposit(p.clientId(), p.payerAccountId()), p.amount()),
                Posting.credit(
                    MerchantRows.balance(p.clientId(), p.merchant().getString("id")), p.amount())));
    return ledger
        .record(tx, now, List.of(debit))
        .compose(
            ids ->
                ledger
                    .record(tx, now, List.of(debit.reversal("payments.reversal", ids.get(0))))
                    .map(ids.get(0)))
        .compose(debitId -> upsert(tx, p, "REVERSED", now, 0, null, null, debitId))
        .compose(
            v ->
                tx.preparedQuery("UPDATE payments SET reversed_at = $2 WHERE id = $1")
                    .execute(Tuple.of(p.id(), now)))
        .compose(v -> emit(tx, call, p.id(), "payment.reversed"));
  }

  Future<JsonObject> cancel(Call call, String paymentId) {
    return pool.withTransaction(
        tx ->
            lock(tx, call.clientId(), paymentId)
                .compose(
                    payment -> {
                      if (!"QR_ORDER".equals(payment.getString("type"))
                          || !"PENDING".equals(payment.getString("status"))) {
                        throw Problem.conflict(
                            "payment_not_cancellable",
                            "Payment "
                                + paymentId
                                + " is a "
                                + payment.getString("status")
                                + " "
                                + payment.getString("type")
                                + "; refund a paid one instead.");
                      }
                      return clock.now(tx, call.clientId());
                    })
                .compose(
                    now ->
                        tx.preparedQuery(
                                "UPDATE payments SET status = 'CANCELLED', cancelled_at = $2,"
                                    + " updated_at = $2 WHERE id = $1")
                            .execute(Tuple.of(paymentId, now)))
                .compose(v -> one(tx, call.clientId(), paymentId))
                .compose(payment -> call.answer(tx, 200, payment)));
  }

  /** The app's payment, locked for the rest of the transaction; 404 if it has none of that id. */
  private static Future<Row> lock(SqlClient tx, String clientId, String paymentId) {
    return tx.preparedQuery("SELECT * FROM payments WHERE client_id = $1 AND id = $2 FOR UPDATE")
        .execute(Tuple.of(clientId, paymentId))
        .map(
            found -> {
              if (found.size() == 0) {
                throw Problem.notFound("No payment " + paymentId + ".");
              }
              return found.iterator().next();
            });
  }

  // ------------------------------------------------------------------ refunds

  Future<JsonObject> refund(Call call, String paymentId, JsonObject request) {
    long amount = request.getJsonObject("amount").getLong("amount");
    String ref = request.getString("merchant_refund_ref");
    return pool.withTransaction(
            tx ->
                lock(tx, call.clientId(), paymentId)
                    .compose(
                        payment -> {
                          if (!"SUCCEEDED".equals(payment.getString("status"))) {
                            throw Problem.conflict(
                                "payment_not_refundable",
                                "Payment "
                                    + paymentId
                                    + " is "
                                    + payment.getString("status")
                                    + ".");
                          }
                          return tx.preparedQuery(
                                  "SELECT id FROM refunds WHERE merchant_id = $1"
                                      + " AND merchant_refund_ref = $2")
                              .execute(Tuple.of(payment.getString("merchant_id"), ref))
                              .compose(
                                  dup -> {
                                    if (dup.size() > 0) {
                                      throw Problem.conflict(
                                          "duplicate_merchant_refund_ref",
                                          "merchant_refund_ref "
                                              + ref
                                              + " was already used by "
                                              + dup.iterator().next().getString("id")
                                              + ".");
                                    }
                                    long left =
                                        payment.getLong("amount")
                                            - payment.getLong("refunded_amount");
                                    if (amount > left) {
                                      throw Problem.unprocessable(
                                          "refund_exceeds_paid",
                                          "Payment "
                                              + paymentId
                                              + ": "
                                              + payment.getLong("amount")
                                              + " paid, "
                                              + payment.getLong("refunded_amount")
                                              + " already refunded, "
                                              + amount
                                              + " requested.");
                                    }
                                    return clock.now(tx, call.clientId());
                                  })
                              .compose(now -> refund(tx, call, payment, amount, request, now));
                        }))
        .onSuccess(r -> events.nudge());
  }

  private Future<JsonObject> refund(
      SqlClient tx, Call call, Row payment, long amount, JsonObject request, OffsetDateTime now) {
    String id = Ids.next("rfd");
    String merchantId = payment.getString("merchant_id");
    if (sandbox && amount == REFUND_FAILS_AMOUNT) {
      return insertRefund(
          tx,
          call,
          id,
          payment,
          amount,
          "FAILED",
          "The refund failed; the amount stays refundable.",
          null,
          request,
          now);
    }
    Future<RefundSplitter.Split> split =
        "CANTEEN".equals(payment.getString("type")) && canteenRefunds != null
            ? canteenRefunds.split(tx, payment, amount, now)
            : Future.succeededFuture(
                new RefundSplitter.Split(
                    List.of(
                        Posting.credit(
                            PayerAccounts.deposit(
                                call.clientId(), payment.getString("payer_account_id")),
                            amount)),
                    0,
                    amount));
    return split.compose(
        s -> {
          List<Posting> legs = new ArrayList<>(s.credits());
          legs.add(Posting.debit(MerchantRows.balance(call.clientId(), merchantId), amount));
          JsonObject funding =
              new JsonObject()
                  .put("subsidy", Rows.money(s.subsidy()))
                  .put("own_funds", Rows.money(s.ownFunds()));
          return ledger
              .record(
                  tx, now, List.of(new Transfer(Ledger.Layer.POSTED, "payments.refund", id, legs)))
              .compose(
                  v ->
                      tx.preparedQuery(
                              "UPDATE payments SET refunded_amount = refunded_amount + $2,"
                                  + " refunded_subsidy = refunded_subsidy + $3, updated_at = $4"
                                  + " WHERE id = $1")
                          .execute(Tuple.of(payment.getString("id"), amount, s.subsidy(), now)))
              .compose(v -> day(tx, call.clientId(), merchantId, now))
              .compose(
                  v ->
                      insertRefund(
                          tx, call, id, payment, amount, "SUCCEEDED", null, funding, request, now));
        });
  }

  private Future<JsonObject> insertRefund(
      SqlClient tx,
      Call call,
      String id,
      Row payment,
      long amount,
      String status,
      String failure,
      JsonObject funding,
      JsonObject request,
      OffsetDateTime now) {
    return tx.preparedQuery(
            "INSERT INTO refunds (id, client_id, payment_id, merchant_id, amount, status,"
                + " failure_reason, reason, merchant_refund_ref, funding, business_date, metadata,"
                + " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
                + " RETURNING *")
        .execute(
            Tuple.tuple()
                .addString(id)
                .addString(call.clientId())
                .addString(payment.getString("id"))
                .addString(payment.getString("merchant_id"))
                .addLong(amount)
                .addString(status)
                .addString(failure)
                .addString(request.getString("reason"))
                .addString(request.getString("merchant_refund_ref"))
                .addJsonObject(funding)
                .addLocalDate(AppClock.day(now))
                .addJsonObject(request.getJsonObject("metadata", new JsonObject()))
                .addOffsetDateTime(now))
        .compose(
            inserted -> {
              JsonObject refund = rows.refund(inserted.iterator().next());
              Future<Void> event =
                  "SUCCEEDED".equals(status)
                      ? events
                          .emit(tx, call.clientId(), "refund.succeeded", refund, call.requestId())
                          .mapEmpty()
                      : Future.succeededFuture();
              return event.compose(v -> call.answer(tx, 201, refund));
            });
  }

  Future<JsonObject> listRefunds(String clientId, String paymentId, Page.Request page) {
    return one(pool, clientId, paymentId)
        .compose(
            p ->
                ListQuery.of("SELECT r.* FROM refunds r", "r")
                    .eq("r.payment_id", paymentId)
                    .page(pool, page, rows::refund));
  }

  // ------------------------------------------------------------------ reads, time

  Future<JsonObject> one(SqlClient client, String clientId, String id) {
    return client
        .preparedQuery(SELECT + " WHERE p.client_id = $1 AND p.id = $2")
        .execute(Tuple.of(clientId, id))
        .map(
            found -> {
              if (found.size() == 0) {
                throw Problem.notFound("No payment " + id + ".");
              }
              return rows.payment(found.iterator().next());
            });
  }

  Future<JsonObject> get(String clientId, String id) {
    return runDue(clientId).compose(v -> one(pool, clientId, id));
  }

  Future<JsonObject> list(
      String clientId,
      String merchantId,
      String status,
      String type,
      String orderRef,
      OffsetDateTime from,
      OffsetDateTime until,
      Page.Request page) {
    return ListQuery.of(SELECT, "p")
        .eq("p.client_id", clientId)
        .eq("p.merchant_id", merchantId)
        .eq("p.status", status)
        .eq("p.type", type)
        .eq("p.merchant_order_ref", orderRef)
        .createdFrom(from)
        .createdUntil(until)
        .page(pool, page, rows::payment);
  }

  /** QR orders unpaid at their expiry: CLOSED, with {@code payment.closed}. */
  @Override
  public Future<Void> runDue(String clientId) {
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "UPDATE payments p SET status = 'CLOSED', closed_at = p.expires_at,"
                            + " updated_at = now() WHERE p.id IN (SELECT id FROM payments x"
                            + " WHERE x.status = 'PENDING' AND x.type = 'QR_ORDER'"
                            + " AND ($1::text IS NULL OR x.client_id = $1) AND x.expires_at <= "
                            + clock.nowSql("x.client_id")
                            + " LIMIT "
                            + SWEEP_BATCH
                            + " FOR UPDATE SKIP LOCKED) RETURNING *")
                    .execute(Tuple.of(clientId))
                    .compose(
                        closed -> {
                          Future<Void> emitted = Future.succeededFuture();
                          for (Row row : closed) {
                            JsonObject json = rows.payment(row);
                            emitted =
                                emitted.compose(
                                    v ->
                                        events
                                            .emit(
                                                tx,
                                                row.getString("client_id"),
                                                "payment.closed",
                                                json,
                                                null)
                                            .mapEmpty());
                          }
                          return emitted.map(closed.rowCount());
                        }))
        .map(
            count -> {
              if (count > 0) {
                events.nudge();
              }
              return null;
            });
  }
}
