package io.scenebank.gateway.canteen;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.merchants.MerchantRows;
import io.scenebank.gateway.merchants.Merchants;
import io.scenebank.gateway.merchants.PaymentRules;
import io.scenebank.gateway.merchants.PaymentStore;
import io.scenebank.gateway.merchants.Payments;
import io.scenebank.gateway.merchants.RefundRules;
import io.scenebank.gateway.payers.PayerAccounts;
import io.scenebank.gateway.payers.PayerCodes;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.tx.Answer;
import io.scenebank.gateway.tx.Cte;
import io.scenebank.gateway.tx.Plan;
import io.scenebank.gateway.tx.Transactions;
import io.scenebank.gateway.tx.Tx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Canteen payments: the subsidy first — inside a meal slot, up to the slot's per-meal cap (per day)
 * and the wallet's unexpired lots, earliest expiry first — and the employee's own funds for the
 * rest. Refunds give the own funds back first; subsidy goes back to its lots, never out as cash.
 */
final class CanteenPayments implements RefundRules.Splitter {

  private final Pool pool;
  private final Transactions transactions;
  private final Merchants merchants;
  private final Payments payments;
  private final PayerAccounts payers;
  private final PayerCodes codes;
  private final AppClock clock;

  CanteenPayments(
      Pool pool,
      Merchants merchants,
      Payments payments,
      PayerAccounts payers,
      PayerCodes codes,
      AppClock clock,
      Transactions transactions) {
    this.pool = pool;
    this.transactions = transactions;
    this.merchants = merchants;
    this.payments = payments;
    this.payers = payers;
    this.codes = codes;
    this.clock = clock;
  }

  private static final String ENROLMENT =
      "SELECT e.*, p.meal_slots, p.id AS programme FROM enrolments e JOIN subsidy_programmes p"
          + " ON p.id = e.programme_id WHERE e.client_id = $1 AND e.status = 'ACTIVE'"
          + " AND p.status = 'ACTIVE' AND $2 = ANY (p.canteen_merchant_ids)";

  /**
   * A canteen payment: one transaction through {@code Transactions}. The first round trip locks the
   * employee's enrolment; the second its wallet's lots and the payer's account, and reads the
   * merchant and what the meal slot has used today; {@link CanteenRules} decide; the third writes.
   */
  Future<Answer> pay(Call call, JsonObject request) {
    String merchantId = request.getString("merchant_id");
    long amount = request.getJsonObject("amount").getLong("amount");
    String orderRef = request.getString("merchant_order_ref");
    String code = request.getString("payer_code");
    String codeAccount =
        code == null ? null : codes.resolve(code).map(PayerCodes.Code::accountId).orElse(null);
    return payers
        .ensure(pool, call.clientId(), codeAccount)
        .compose(
            v ->
                transactions.run(
                    call,
                    tx ->
                        lockEnrolment(tx, merchantId, request, code, codeAccount)
                            .compose(
                                enrolment ->
                                    tx.now()
                                        .compose(
                                            now ->
                                                decide(
                                                    tx,
                                                    call,
                                                    request,
                                                    merchantId,
                                                    orderRef,
                                                    amount,
                                                    enrolment,
                                                    now)))));
  }

  /**
   * The employee's enrolment in a programme of this canteen (by payer code or staff card), locked.
   */
  private Future<Row> lockEnrolment(
      Tx tx, String merchantId, JsonObject request, String code, String codeAccount) {
    Future<io.vertx.sqlclient.RowSet<Row>> found =
        code != null
            ? tx.send(
                ENROLMENT
                    + " AND e.payer_account_id = $3 ORDER BY e.created_at LIMIT 1 FOR UPDATE OF e",
                tx.clientId(),
                merchantId,
                codeAccount)
            : tx.send(
                ENROLMENT + " AND e.employee_ref = $3 AND e.programme_id = $4 FOR UPDATE OF e",
                tx.clientId(),
                merchantId,
                request.getString("employee_ref"),
                request.getString("programme_id"));
    return found.map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  private Future<Plan> decide(
      Tx tx,
      Call call,
      JsonObject request,
      String merchantId,
      String orderRef,
      long amount,
      Row enrolment,
      OffsetDateTime now) {
    OffsetDateTime mealTime =
        request.getString("meal_time") == null
            ? now
            : OffsetDateTime.parse(request.getString("meal_time"));
    String account = enrolment == null ? null : enrolment.getString("payer_account_id");
    String walletId = enrolment == null ? null : enrolment.getString("wallet_id");
    JsonObject slot =
        enrolment == null
            ? null
            : CanteenRules.slot((JsonArray) enrolment.getValue("meal_slots"), mealTime);
    Future<io.vertx.sqlclient.RowSet<Row>> lots =
        walletId == null
            ? Future.succeededFuture(null)
            : tx.send(
                "SELECT id, remaining, expires_at FROM subsidy_lots WHERE wallet_id = $1"
                    + " AND NOT expired AND remaining > 0 ORDER BY expires_at, id FOR UPDATE",
                walletId);
    Future<PaymentStore.Read> read = payments.store().read(tx, merchantId, orderRef, null, account);
    Future<io.vertx.sqlclient.RowSet<Row>> used =
        slot == null
            ? Future.succeededFuture(null)
            : tx.send(
                "SELECT coalesce(sum((funding->'subsidy'->>'amount')::bigint - refunded_subsidy), 0)"
                    + " FROM payments WHERE type = 'CANTEEN' AND status = 'SUCCEEDED'"
                    + " AND funding->>'wallet_id' = $1 AND funding->>'meal_slot' = $2"
                    + " AND meal_date = $3",
                walletId,
                slot.getString("name"),
                AppClock.day(mealTime));
    return Future.all(lots, read, used)
        .map(
            v -> {
              PaymentStore.Read found = read.result();
              PaymentRules.Merchant merchant = found.merchant();
              if (merchant.status() == null) {
                return Plan.refuse(Problem.notFound("No merchant " + merchantId + "."));
              }
              if (!"ACTIVE".equals(merchant.status())) {
                return Plan.refuse(
                    Problem.conflict(
                        "merchant_not_active",
                        "Merchant " + merchantId + " is " + merchant.status() + "."));
              }
              if (merchant.paymentWithReference() != null) {
                return Plan.refuse(
                    Problem.conflict(
                        "duplicate_merchant_order_ref",
                        "merchant_order_ref "
                            + orderRef
                            + " was already used by "
                            + merchant.paymentWithReference()
                            + "."));
              }
              Problem mealTimeProblem = CanteenRules.mealTimeProblem(mealTime, now);
              if (mealTimeProblem != null) {
                return Plan.refuse(mealTimeProblem);
              }
              if (enrolment == null || found.payer() == null) {
                return Plan.refuse(
                    Problem.unprocessable(
                        "not_enrolled",
                        "The employee is not enrolled in a subsidy programme of this canteen."));
              }
              List<CanteenRules.Lot> spendable = new ArrayList<>();
              for (Row lot : lots.result()) {
                spendable.add(
                    new CanteenRules.Lot(
                        lot.getLong("id"),
                        lot.getLong("remaining"),
                        lot.getOffsetDateTime("expires_at")));
              }
              CanteenRules.Decision decision =
                  CanteenRules.decide(
                      amount,
                      slot,
                      used.result() == null ? 0 : used.result().iterator().next().getLong(0),
                      spendable,
                      found.payer().available(),
                      now);
              return plan(
                  call, request, merchant, enrolment, found.payer(), decision, mealTime, now);
            });
  }

  private Plan plan(
      Call call,
      JsonObject request,
      PaymentRules.Merchant merchant,
      Row enrolment,
      PaymentRules.Payer payer,
      CanteenRules.Decision decision,
      OffsetDateTime mealTime,
      OffsetDateTime now) {
    String clientId = call.clientId();
    String walletId = enrolment.getString("wallet_id");
    boolean paid = decision instanceof CanteenRules.Pay;
    long subsidy =
        paid
            ? ((CanteenRules.Pay) decision).subsidy()
            : ((CanteenRules.Decline) decision).subsidy();
    long own = paid ? ((CanteenRules.Pay) decision).own() : ((CanteenRules.Decline) decision).own();
    JsonObject slot =
        paid ? ((CanteenRules.Pay) decision).slot() : ((CanteenRules.Decline) decision).slot();
    JsonObject funding =
        new JsonObject()
            .put("subsidy", Rows.money(subsidy))
            .put("own_funds", Rows.money(own))
            .put("programme_id", enrolment.getString("programme"))
            .put("wallet_id", walletId);
    if (slot != null) {
      funding.put("meal_slot", slot.getString("name"));
    }
    long amount = subsidy + own;
    MerchantRows.PaymentView view =
        new MerchantRows.PaymentView(
            Ids.next("pay"),
            "CANTEEN",
            paid ? "SUCCEEDED" : "DECLINED",
            merchant.id(),
            amount,
            0,
            request.getString("description"),
            request.getString("merchant_order_ref"),
            null,
            null,
            paid ? now : null,
            null,
            null,
            null,
            paid ? null : ((CanteenRules.Decline) decision).code(),
            paid ? null : ((CanteenRules.Decline) decision).message(),
            payer.accountId(),
            payer.accountMasked(),
            payer.holderName(),
            funding,
            request.getJsonObject("metadata", new JsonObject()),
            now,
            now);
    JsonObject json = payments.rows().payment(view);
    if (!paid) {
      return Plan.apply(
          201, json, payments.store().declined(clientId, call.requestId(), view, json, false));
    }
    List<CanteenRules.Take> takes = ((CanteenRules.Pay) decision).takes();
    JsonArray allocations = new JsonArray();
    takes.forEach(
        t -> allocations.add(new JsonObject().put("lot", t.lot()).put("amount", t.amount())));
    Cte writes =
        payments
            .store()
            .paid(
                clientId,
                call.requestId(),
                view,
                json,
                amount * merchant.feeRateBps() / 10_000,
                payer.velocity().plusOne(now, payments.velocityWindow()),
                List.of(
                    Posting.debit(Programmes.wallet(clientId, walletId), subsidy),
                    Posting.debit(PayerAccounts.deposit(clientId, payer.accountId()), own)),
                allocations,
                AppClock.day(mealTime));
    if (!takes.isEmpty()) {
      writes.part(
          writes.name("lots"),
          "UPDATE subsidy_lots l SET remaining = l.remaining - t.amount"
              + " FROM unnest($1::bigint[], $2::bigint[]) AS t (id, amount) WHERE l.id = t.id"
              + " RETURNING 1",
          takes.stream().map(CanteenRules.Take::lot).toArray(Long[]::new),
          takes.stream().map(CanteenRules.Take::amount).toArray(Long[]::new));
    }
    return Plan.apply(201, json, writes);
  }

  /** Own funds back first; the subsidy back to the lots it came from (last taken first). */
  @Override
  public RefundRules.Split split(RefundRules.Payment payment, long amount) {
    String clientId = payment.clientId();
    JsonObject funding = payment.funding();
    long subsidyPaid = funding.getJsonObject("subsidy").getLong("amount");
    long ownPaid = funding.getJsonObject("own_funds").getLong("amount");
    long subsidyRefunded = payment.refundedSubsidy();
    long ownRefunded = payment.refunded() - subsidyRefunded;
    long own = Math.min(amount, ownPaid - ownRefunded);
    long subsidy = amount - own;
    if (subsidy > subsidyPaid - subsidyRefunded) {
      throw new IllegalStateException("refund beyond the payment's subsidy");
    }
    JsonArray allocations = payment.lotAllocations();
    List<RefundRules.LotBack> lots = new ArrayList<>();
    long skip = subsidyRefunded;
    long left = subsidy;
    for (int i = allocations.size() - 1; i >= 0 && left > 0; i--) {
      JsonObject allocation = allocations.getJsonObject(i);
      long available = allocation.getLong("amount");
      long skipped = Math.min(skip, available);
      skip -= skipped;
      available -= skipped;
      long back = Math.min(left, available);
      if (back > 0) {
        left -= back;
        lots.add(new RefundRules.LotBack(allocation.getLong("lot"), back));
      }
    }
    String walletId = funding.getString("wallet_id");
    List<Posting> credits =
        List.of(
            Posting.credit(PayerAccounts.deposit(clientId, payment.payerAccountId()), own),
            Posting.credit(Programmes.wallet(clientId, walletId), subsidy));
    return new RefundRules.Split(credits, subsidy, own, lots);
  }
}
