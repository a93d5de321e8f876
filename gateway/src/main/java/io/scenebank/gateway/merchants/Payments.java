package io.scenebank.gateway.merchants;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.payers.PayerAccounts;
import io.scenebank.gateway.payers.PayerCodes;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.support.Times;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.TimeDriven;
import io.scenebank.gateway.tx.Answer;
import io.scenebank.gateway.tx.Plan;
import io.scenebank.gateway.tx.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Merchant payments: QR orders the payer pays in the bank's app, payer-shown codes the merchant
 * scans, and (through the canteen module) canteen payments; refunds. Every decision — paid,
 * declined, reversed — is one transaction with its ledger transfer, its event and the idempotent
 * answer. Refunds of one payment are serialised on the payment's row.
 */
public final class Payments implements TimeDriven {

  /** Sandbox magic amounts (fen). */
  static final long DECLINE_FUNDS_AMOUNT = PaymentRules.DECLINE_FUNDS_AMOUNT;

  static final long DECLINE_RISK_AMOUNT = PaymentRules.DECLINE_RISK_AMOUNT;
  static final long BANK_TIMEOUT_AMOUNT = PaymentRules.BANK_TIMEOUT_AMOUNT;
  static final long REFUND_FAILS_AMOUNT = RefundRules.REFUND_FAILS_AMOUNT;

  private static final String SELECT =
      "SELECT p.*, a.holder_name, a.account_masked FROM payments p LEFT JOIN payer_accounts a"
          + " ON a.client_id = p.client_id AND a.id = p.payer_account_id";
  private static final int SWEEP_BATCH = 500;

  /** The risk rules: the largest payment, and how many payments a payer may make in a window. */
  public record RiskRules(long maxAmount, int velocityLimit, Duration velocityWindow) {}

  private final Transactions transactions;
  private final PaymentStore store;

  private final Pool pool;
  private final Merchants merchants;
  private final PayerAccounts payers;
  private final PayerCodes codes;
  private final Ledger ledger;
  private final Events events;
  private final AppClock clock;
  private final MerchantRows rows;
  private final RiskRules risk;
  private final Mode mode;
  private RefundRules.Splitter canteenRefunds;

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
      Mode mode,
      Transactions transactions) {
    this.transactions = transactions;
    this.store = new PaymentStore(ledger, events);
    this.pool = pool;
    this.merchants = merchants;
    this.payers = payers;
    this.codes = codes;
    this.ledger = ledger;
    this.events = events;
    this.clock = clock;
    this.rows = rows;
    this.risk = risk;
    this.mode = mode;
  }

  /** What the canteen's payments share with these: the store, the rows, the risk window. */
  public PaymentStore store() {
    return store;
  }

  public MerchantRows rows() {
    return rows;
  }

  public java.time.Duration velocityWindow() {
    return risk.velocityWindow();
  }

  /** How canteen payments are refunded (own funds first, subsidy back to the wallet). */
  public void canteenRefunds(RefundRules.Splitter splitter) {
    this.canteenRefunds = splitter;
  }

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

  /**
   * A payer-code payment: one transaction through {@code Transactions} — the store reads under the
   * payer's lock, {@link PaymentRules} decide, the store writes the outcome. The answer is final:
   * SUCCEEDED, DECLINED or REVERSED.
   */
  Future<Answer> createCodePayment(Call call, JsonObject request) {
    String merchantId = request.getString("merchant_id");
    String orderRef = request.getString("merchant_order_ref");
    PayerCodes.Code code = codes.resolve(request.getString("payer_code")).orElse(null);
    String payerId = code == null ? null : code.accountId();
    return payers
        .ensure(pool, call.clientId(), payerId)
        .compose(
            v ->
                transactions.run(
                    call,
                    tx ->
                        Future.all(store.read(tx, merchantId, orderRef, null, payerId), tx.now())
                            .map(
                                read -> {
                                  OffsetDateTime now = read.resultAt(1);
                                  Order order =
                                      new Order(
                                          Ids.next("pay"),
                                          "PAYER_CODE",
                                          merchantId,
                                          request.getJsonObject("amount").getLong("amount"),
                                          request.getString("description"),
                                          orderRef,
                                          null,
                                          null,
                                          request.getJsonObject("metadata", new JsonObject()),
                                          now);
                                  return decide(call, 201, order, code, read.resultAt(0), now);
                                })));
  }

  /** The sandbox's payer pays a pending QR order with a payer code. */
  Future<Answer> payQrOrder(Call call, String paymentId, String payerCode) {
    PayerCodes.Code code = codes.resolve(payerCode).orElse(null);
    if (code == null) {
      return Future.failedFuture(
          Problem.unprocessable(
              "unknown_payer_code", "Payer code " + payerCode + " is not a fixture."));
    }
    return payers
        .ensure(pool, call.clientId(), code.accountId())
        .compose(
            v ->
                transactions.run(
                    call,
                    tx ->
                        store
                            .lockOrder(tx, paymentId)
                            .compose(
                                order -> {
                                  if (order == null) {
                                    throw Problem.notFound("No payment " + paymentId + ".");
                                  }
                                  return Future.all(
                                          store.read(
                                              tx,
                                              order.getString("merchant_id"),
                                              order.getString("merchant_order_ref"),
                                              paymentId,
                                              code.accountId()),
                                          tx.now())
                                      .map(
                                          read -> {
                                            OffsetDateTime now = read.resultAt(1);
                                            requirePayable(order, now);
                                            return decide(
                                                call,
                                                200,
                                                Order.of(order),
                                                code,
                                                read.resultAt(0),
                                                now);
                                          });
                                })));
  }

  /** A QR order can be paid while PENDING and not expired (the sweep closes it later). */
  private static void requirePayable(Row order, OffsetDateTime now) {
    String status = order.getString("status");
    boolean expired =
        "PENDING".equals(status) && !order.getOffsetDateTime("expires_at").isAfter(now);
    if (!"QR_ORDER".equals(order.getString("type")) || !"PENDING".equals(status) || expired) {
      throw Problem.conflict(
          "payment_not_pending",
          "Payment "
              + order.getString("id")
              + " is "
              + (expired ? "CLOSED (it expired unpaid)" : status)
              + ".");
    }
  }

  /** A payment about to be decided: what the payer is asked to pay. */
  private record Order(
      String id,
      String type,
      String merchantId,
      long amount,
      String description,
      String orderRef,
      String qrPayload,
      OffsetDateTime expiresAt,
      JsonObject metadata,
      OffsetDateTime createdAt) {

    static Order of(Row row) {
      return new Order(
          row.getString("id"),
          row.getString("type"),
          row.getString("merchant_id"),
          row.getLong("amount"),
          row.getString("description"),
          row.getString("merchant_order_ref"),
          row.getString("qr_payload"),
          row.getOffsetDateTime("expires_at"),
          row.getValue("metadata") instanceof JsonObject m ? m : new JsonObject(),
          row.getOffsetDateTime("created_at"));
    }

    MerchantRows.PaymentView view(
        String status,
        PaymentRules.Payer payer,
        OffsetDateTime paidAt,
        OffsetDateTime reversedAt,
        String declineCode,
        String declineMessage,
        OffsetDateTime now) {
      return new MerchantRows.PaymentView(
          id,
          type,
          status,
          merchantId,
          amount,
          0,
          description,
          orderRef,
          qrPayload,
          expiresAt,
          paidAt,
          null,
          null,
          reversedAt,
          declineCode,
          declineMessage,
          payer == null ? null : payer.accountId(),
          payer == null ? null : payer.accountMasked(),
          payer == null ? null : payer.holderName(),
          null,
          metadata,
          createdAt,
          now);
    }
  }

  /** The rules' decision on an order, as the transaction's plan. */
  private Plan decide(
      Call call,
      int status,
      Order order,
      PayerCodes.Code code,
      PaymentStore.Read read,
      OffsetDateTime now) {
    PaymentRules.Decision decision =
        PaymentRules.decide(
            read.merchant(), order.orderRef(), code, read.payer(), order.amount(), mode, risk, now);
    PaymentRules.Payer payer = code == null ? null : read.payer();
    if (decision instanceof PaymentRules.Refuse refuse) {
      return Plan.refuse(refuse.problem());
    }
    if (decision instanceof PaymentRules.Pay pay) {
      MerchantRows.PaymentView view = order.view("SUCCEEDED", payer, now, null, null, null, now);
      JsonObject json = rows.payment(view);
      return Plan.apply(
          status,
          json,
          store.paid(call.clientId(), call.requestId(), view, json, pay.fee(), pay.velocity()));
    }
    if (decision instanceof PaymentRules.Decline decline) {
      MerchantRows.PaymentView view =
          order.view("DECLINED", payer, null, null, decline.code(), decline.message(), now);
      JsonObject json = rows.payment(view);
      return Plan.apply(
          status,
          json,
          store.declined(call.clientId(), call.requestId(), view, json, decline.risk()));
    }
    MerchantRows.PaymentView view = order.view("REVERSED", payer, null, now, null, null, now);
    JsonObject json = rows.payment(view);
    return Plan.apply(status, json, store.reversed(call.clientId(), call.requestId(), view, json));
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

  /**
   * A refund of a payment: one transaction through {@code Transactions}, serialised on the
   * payment's row, so that refunds never go beyond what was paid.
   */
  Future<Answer> refund(Call call, String paymentId, JsonObject request) {
    long amount = request.getJsonObject("amount").getLong("amount");
    String ref = request.getString("merchant_refund_ref");
    return transactions.run(
        call,
        tx ->
            Future.all(store.readForRefund(tx, paymentId, ref), tx.now())
                .map(
                    read -> {
                      PaymentStore.RefundRead found = read.resultAt(0);
                      if (found == null) {
                        return Plan.refuse(Problem.notFound("No payment " + paymentId + "."));
                      }
                      OffsetDateTime now = read.resultAt(1);
                      RefundRules.Decision decision =
                          RefundRules.decide(
                              found.payment(),
                              found.refundWithReference(),
                              ref,
                              amount,
                              mode,
                              canteenRefunds);
                      if (decision instanceof RefundRules.Refuse refuse) {
                        return Plan.refuse(refuse.problem());
                      }
                      RefundRules.Split split =
                          decision instanceof RefundRules.Refund r ? r.split() : null;
                      JsonObject refund =
                          new JsonObject()
                              .put("id", Ids.next("rfd"))
                              .put("object", "refund")
                              .put("livemode", rows.livemode())
                              .put("payment_id", paymentId)
                              .put("merchant_id", found.payment().merchantId())
                              .put("amount", Rows.money(amount))
                              .put("status", split != null ? "SUCCEEDED" : "FAILED");
                      if (decision instanceof RefundRules.Fail fail) {
                        refund.put("failure_reason", fail.reason());
                      }
                      refund
                          .put("reason", request.getString("reason"))
                          .put("merchant_refund_ref", ref);
                      if (split != null) {
                        refund.put(
                            "funding",
                            new JsonObject()
                                .put("subsidy", Rows.money(split.subsidy()))
                                .put("own_funds", Rows.money(split.ownFunds())));
                      }
                      refund
                          .put("metadata", request.getJsonObject("metadata", new JsonObject()))
                          .put("created_at", Times.format(now));
                      return Plan.apply(
                          201,
                          refund,
                          store.refunded(
                              call.requestId(), found.payment(), split, refund, request, now));
                    }));
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
    // as stored: closing expired QR orders is the sweeper's (and advanceClock's) work
    return one(pool, clientId, id);
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
