package io.scenebank.gateway.canteen;

import io.scenebank.gateway.bills.PayerAccounts;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.merchants.Merchants;
import io.scenebank.gateway.merchants.PayerCodes;
import io.scenebank.gateway.merchants.Payments;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.support.Times;
import io.scenebank.gateway.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Canteen payments: the subsidy first — inside a meal slot, up to the slot's per-meal cap (per day)
 * and the wallet's unexpired lots, earliest expiry first — and the employee's own funds for the
 * rest. Refunds give the own funds back first; subsidy goes back to its lots, never out as cash.
 */
final class CanteenPayments implements Payments.RefundSplitter {

  private final Pool pool;
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
      AppClock clock) {
    this.pool = pool;
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

  Future<JsonObject> pay(Call call, JsonObject request) {
    String merchantId = request.getString("merchant_id");
    long amount = request.getJsonObject("amount").getLong("amount");
    String orderRef = request.getString("merchant_order_ref");
    return pool.withTransaction(
        tx ->
            merchants
                .active(tx, call.clientId(), merchantId)
                .compose(
                    merchant ->
                        payments
                            .checkOrderRef(tx, merchantId, orderRef)
                            .compose(v -> clock.now(tx, call.clientId()))
                            .compose(
                                now -> {
                                  OffsetDateTime mealTime =
                                      request.getString("meal_time") == null
                                          ? now
                                          : OffsetDateTime.parse(request.getString("meal_time"));
                                  if (mealTime.isAfter(now.plusMinutes(1))
                                      || mealTime.isBefore(now.minusHours(24))) {
                                    throw Problem.unprocessable(
                                        "meal_time_out_of_range",
                                        "meal_time must be within the last 24 hours.");
                                  }
                                  return enrolment(tx, call.clientId(), merchantId, request)
                                      .compose(
                                          enrolment ->
                                              charge(
                                                  tx, call, merchant, enrolment, amount, request,
                                                  mealTime, now));
                                }))
                .compose(payment -> call.answer(tx, 201, payment)));
  }

  /** The employee's enrolment in a programme of this canteen (by payer code or staff card). */
  private Future<Row> enrolment(
      SqlClient tx, String clientId, String merchantId, JsonObject request) {
    Future<io.vertx.sqlclient.RowSet<Row>> found;
    String code = request.getString("payer_code");
    if (code != null) {
      String account = codes.resolve(code).map(PayerCodes.Code::accountId).orElse(null);
      found =
          tx.preparedQuery(
                  ENROLMENT
                      + " AND e.payer_account_id = $3 ORDER BY e.created_at LIMIT 1"
                      + " FOR UPDATE OF e")
              .execute(Tuple.of(clientId, merchantId, account));
    } else {
      found =
          tx.preparedQuery(
                  ENROLMENT
                      + " AND e.employee_ref = $3 AND e.programme_id = $4"
                      + " FOR UPDATE OF e")
              .execute(
                  Tuple.of(
                      clientId,
                      merchantId,
                      request.getString("employee_ref"),
                      request.getString("programme_id")));
    }
    return found.map(
        rows -> {
          if (rows.size() == 0) {
            throw Problem.unprocessable(
                "not_enrolled",
                "The employee is not enrolled in a subsidy programme of this canteen.");
          }
          return rows.iterator().next();
        });
  }

  private Future<JsonObject> charge(
      SqlClient tx,
      Call call,
      Row merchant,
      Row enrolment,
      long amount,
      JsonObject request,
      OffsetDateTime mealTime,
      OffsetDateTime now) {
    String clientId = call.clientId();
    String walletId = enrolment.getString("wallet_id");
    String account = enrolment.getString("payer_account_id");
    LocalTime local = mealTime.atZoneSameInstant(Times.CHINA).toLocalTime();
    JsonObject slot = null;
    for (Object o : (JsonArray) enrolment.getValue("meal_slots")) {
      JsonObject s = (JsonObject) o;
      if (!local.isBefore(LocalTime.parse(s.getString("start")))
          && local.isBefore(LocalTime.parse(s.getString("end")))) {
        slot = s;
      }
    }
    JsonObject meal = slot;
    Future<Long> capLeft =
        meal == null
            ? Future.succeededFuture(0L)
            : tx.preparedQuery(
                    "SELECT coalesce(sum((funding->'subsidy'->>'amount')::bigint"
                        + " - refunded_subsidy), 0) FROM payments WHERE type = 'CANTEEN'"
                        + " AND status = 'SUCCEEDED' AND funding->>'wallet_id' = $1"
                        + " AND funding->>'meal_slot' = $2 AND meal_date = $3")
                .execute(Tuple.of(walletId, meal.getString("name"), AppClock.day(mealTime)))
                .map(
                    used ->
                        Math.max(
                            0,
                            meal.getJsonObject("per_meal_cap").getLong("amount")
                                - used.iterator().next().getLong(0)));
    return capLeft.compose(
        cap ->
            tx.preparedQuery(
                    "SELECT id, remaining FROM subsidy_lots WHERE wallet_id = $1 AND NOT expired"
                        + " AND remaining > 0 AND expires_at > $2 ORDER BY expires_at, id"
                        + " FOR UPDATE")
                .execute(Tuple.of(walletId, now))
                .compose(
                    lots -> {
                      long balance = 0;
                      for (Row lot : lots) {
                        balance += lot.getLong("remaining");
                      }
                      long subsidy = Math.min(amount, Math.min(cap, balance));
                      long own = amount - subsidy;
                      return payers
                          .lock(tx, clientId, account, now)
                          .compose(a -> payers.available(tx, clientId, account))
                          .compose(
                              available -> {
                                JsonObject funding =
                                    new JsonObject()
                                        .put("subsidy", Rows.money(subsidy))
                                        .put("own_funds", Rows.money(own))
                                        .put("programme_id", enrolment.getString("programme"))
                                        .put("wallet_id", walletId);
                                if (meal != null) {
                                  funding.put("meal_slot", meal.getString("name"));
                                }
                                JsonArray allocations = new JsonArray();
                                long left = subsidy;
                                List<Future<?>> spent = new ArrayList<>();
                                if (own <= available) {
                                  for (Row lot : lots) {
                                    if (left == 0) {
                                      break;
                                    }
                                    long take = Math.min(left, lot.getLong("remaining"));
                                    left -= take;
                                    allocations.add(
                                        new JsonObject()
                                            .put("lot", lot.getLong("id"))
                                            .put("amount", take));
                                    spent.add(
                                        tx.preparedQuery(
                                                "UPDATE subsidy_lots SET remaining = remaining - $2"
                                                    + " WHERE id = $1")
                                            .execute(Tuple.of(lot.getLong("id"), take)));
                                  }
                                }
                                Payments.NewPayment p =
                                    new Payments.NewPayment(
                                        Ids.next("pay"),
                                        clientId,
                                        merchant,
                                        "CANTEEN",
                                        amount,
                                        request.getString("description"),
                                        request.getString("merchant_order_ref"),
                                        account,
                                        funding,
                                        allocations,
                                        request.getJsonObject("metadata", new JsonObject()));
                                if (own > available) {
                                  return payments.declined(
                                      tx,
                                      call,
                                      p,
                                      "INSUFFICIENT_FUNDS",
                                      "The employee's own funds cannot pay the "
                                          + own
                                          + " fen the subsidy does not cover.",
                                      false,
                                      now);
                                }
                                List<Posting> debits = new ArrayList<>();
                                debits.add(
                                    Posting.debit(Programmes.wallet(clientId, walletId), subsidy));
                                debits.add(
                                    Posting.debit(PayerAccounts.deposit(clientId, account), own));
                                return Future.all(spent)
                                    .compose(v -> payments.succeeded(tx, call, p, debits, now))
                                    .compose(
                                        payment ->
                                            tx.preparedQuery(
                                                    "UPDATE payments SET meal_date = $2"
                                                        + " WHERE id = $1")
                                                .execute(Tuple.of(p.id(), AppClock.day(mealTime)))
                                                .map(payment));
                              });
                    }));
  }

  /** Own funds back first; the subsidy back to the lots it came from (last taken first). */
  @Override
  public Future<Split> split(SqlClient tx, Row payment, long amount, OffsetDateTime now) {
    String clientId = payment.getString("client_id");
    JsonObject funding = (JsonObject) payment.getValue("funding");
    long subsidyPaid = funding.getJsonObject("subsidy").getLong("amount");
    long ownPaid = funding.getJsonObject("own_funds").getLong("amount");
    long subsidyRefunded = payment.getLong("refunded_subsidy");
    long ownRefunded = payment.getLong("refunded_amount") - subsidyRefunded;
    long own = Math.min(amount, ownPaid - ownRefunded);
    long subsidy = amount - own;
    if (subsidy > subsidyPaid - subsidyRefunded) {
      throw new IllegalStateException("refund beyond the payment's subsidy");
    }
    JsonArray allocations = (JsonArray) payment.getValue("lot_allocations");
    List<Future<?>> restored = new ArrayList<>();
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
        // an expired lot comes back un-expired: the next sweep clears it to the employer
        restored.add(
            tx.preparedQuery(
                    "UPDATE subsidy_lots SET remaining = remaining + $2, expired = false"
                        + " WHERE id = $1")
                .execute(Tuple.of(allocation.getLong("lot"), back)));
      }
    }
    String walletId = funding.getString("wallet_id");
    List<Posting> credits =
        List.of(
            Posting.credit(
                PayerAccounts.deposit(clientId, payment.getString("payer_account_id")), own),
            Posting.credit(Programmes.wallet(clientId, walletId), subsidy));
    return Future.all(restored).map(v -> new Split(credits, subsidy, own));
  }
}
