package io.scenebank.gateway.bills;

import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.payers.PayerAccounts;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Autopay mandates: a newly issued bill for the account is paid from the payer's account when it is
 * at most the mandate's maximum, else {@code mandate.limit_exceeded} is emitted.
 */
final class Mandates {

  private static final String SELECT =
      "SELECT m.*, a.holder_name, a.account_masked FROM bill_mandates m"
          + " JOIN payer_accounts a ON a.client_id = m.client_id AND a.id = m.payer_account_id";

  private final Pool pool;
  private final Billers billers;
  private final PayerAccounts payers;
  private final BillPayments payments;
  private final Events events;
  private final AppClock clock;
  private final BillRows rows;

  Mandates(
      Pool pool,
      Billers billers,
      PayerAccounts payers,
      BillPayments payments,
      Events events,
      AppClock clock,
      BillRows rows) {
    this.pool = pool;
    this.billers = billers;
    this.payers = payers;
    this.payments = payments;
    this.events = events;
    this.clock = clock;
    this.rows = rows;
  }

  Future<JsonObject> create(Call call, JsonObject request) {
    String billerId = request.getString("biller_id");
    String account = request.getString("account_number");
    String payer = request.getJsonObject("payer").getString("account_id");
    return billers
        .active(pool, billerId)
        .compose(
            biller -> {
              if (!biller.supportsMandates()) {
                throw Problem.unprocessable(
                    "mandates_not_supported", biller.name() + " does not offer autopay mandates.");
              }
              if (!biller.accepts(account)) {
                throw BillPayments.invalidAccount(biller, account);
              }
              return pool.withTransaction(
                  tx ->
                      clock
                          .now(tx, call.clientId())
                          .compose(
                              now ->
                                  payers
                                      .lock(tx, call.clientId(), payer, now)
                                      .compose(
                                          p ->
                                              tx.preparedQuery(
                                                      "SELECT id FROM bill_mandates WHERE"
                                                          + " client_id = $1 AND biller_id = $2"
                                                          + " AND account_number = $3"
                                                          + " AND payer_account_id = $4"
                                                          + " AND status = 'ACTIVE'")
                                                  .execute(
                                                      Tuple.of(
                                                          call.clientId(),
                                                          billerId,
                                                          account,
                                                          payer)))
                                      .compose(
                                          dup -> {
                                            if (dup.size() > 0) {
                                              throw Problem.conflict(
                                                  "mandate_exists",
                                                  "Mandate "
                                                      + dup.iterator().next().getString("id")
                                                      + " is already active for this account and"
                                                      + " payer.");
                                            }
                                            String id = Ids.next("mdt");
                                            return tx.preparedQuery(
                                                    "INSERT INTO bill_mandates (id, client_id,"
                                                        + " biller_id, account_number,"
                                                        + " payer_account_id, max_amount_per_bill,"
                                                        + " status, metadata, created_at,"
                                                        + " updated_at) VALUES ($1, $2, $3, $4,"
                                                        + " $5, $6, 'ACTIVE', $7, $8, $8)")
                                                .execute(
                                                    Tuple.tuple()
                                                        .addString(id)
                                                        .addString(call.clientId())
                                                        .addString(billerId)
                                                        .addString(account)
                                                        .addString(payer)
                                                        .addLong(
                                                            request
                                                                .getJsonObject(
                                                                    "max_amount_per_bill")
                                                                .getLong("amount"))
                                                        .addJsonObject(
                                                            request.getJsonObject(
                                                                "metadata", new JsonObject()))
                                                        .addOffsetDateTime(now))
                                                .compose(v -> one(tx, call.clientId(), id))
                                                .compose(m -> call.answer(tx, 201, m));
                                          })));
            });
  }

  private Future<JsonObject> one(io.vertx.sqlclient.SqlClient client, String clientId, String id) {
    return client
        .preparedQuery(SELECT + " WHERE m.client_id = $1 AND m.id = $2")
        .execute(Tuple.of(clientId, id))
        .map(
            found -> {
              if (found.size() == 0) {
                throw Problem.notFound("No mandate " + id + ".");
              }
              return rows.mandate(found.iterator().next());
            });
  }

  Future<JsonObject> get(String clientId, String id) {
    return one(pool, clientId, id);
  }

  Future<JsonObject> list(String clientId, String billerId, String status, Page.Request page) {
    return ListQuery.of(SELECT, "m")
        .eq("m.client_id", clientId)
        .eq("m.biller_id", billerId)
        .eq("m.status", status)
        .page(pool, page, rows::mandate);
  }

  Future<JsonObject> cancel(Call call, String id, String reason) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "SELECT status FROM bill_mandates WHERE client_id = $1 AND id = $2 FOR UPDATE")
                .execute(Tuple.of(call.clientId(), id))
                .compose(
                    found -> {
                      if (found.size() == 0) {
                        throw Problem.notFound("No mandate " + id + ".");
                      }
                      if (!"ACTIVE".equals(found.iterator().next().getString("status"))) {
                        throw Problem.conflict(
                            "mandate_not_active", "Mandate " + id + " is CANCELLED.");
                      }
                      return clock.now(tx, call.clientId());
                    })
                .compose(
                    now ->
                        tx.preparedQuery(
                                "UPDATE bill_mandates SET status = 'CANCELLED', cancelled_at = $2,"
                                    + " cancel_reason = $3, updated_at = $2 WHERE id = $1")
                            .execute(Tuple.of(id, now, reason)))
                .compose(v -> one(tx, call.clientId(), id))
                .compose(m -> call.answer(tx, 200, m)));
  }

  /**
   * A bill was issued for an account: pays it under the app's active mandate for the account when
   * it is within the maximum, else records it on the mandate and emits {@code
   * mandate.limit_exceeded}.
   */
  Future<Void> billIssued(String clientId, Row bill) {
    return pool.preparedQuery(
            "SELECT * FROM bill_mandates WHERE client_id = $1 AND biller_id = $2"
                + " AND account_number = $3 AND status = 'ACTIVE' ORDER BY created_at LIMIT 1")
        .execute(Tuple.of(clientId, bill.getString("biller_id"), bill.getString("account_number")))
        .compose(
            found -> {
              if (found.size() == 0) {
                return Future.succeededFuture();
              }
              Row mandate = found.iterator().next();
              long amount = bill.getLong("amount_due");
              if (amount <= mandate.getLong("max_amount_per_bill")) {
                BillPayments.Order order =
                    new BillPayments.Order(
                        bill.getString("biller_id"),
                        bill.getString("account_number"),
                        bill.getString("id"),
                        amount,
                        mandate.getString("payer_account_id"),
                        "autopay:" + bill.getString("id"),
                        mandate.getString("id"),
                        new JsonObject());
                return payments
                    .pay(Call.internal(clientId), order)
                    .map(answer -> new JsonObject(answer.body()))
                    .compose(
                        payment ->
                            pool.preparedQuery(
                                    "UPDATE bill_mandates SET last_bill_payment_id = $2,"
                                        + " updated_at = now() WHERE id = $1")
                                .execute(
                                    Tuple.of(mandate.getString("id"), payment.getString("id"))))
                    .mapEmpty();
              }
              JsonObject exceeded =
                  new JsonObject()
                      .put("bill_id", bill.getString("id"))
                      .put("amount_due", Rows.money(amount))
                      .put("due_date", bill.getLocalDate("due_date").toString());
              return pool.withTransaction(
                      tx ->
                          tx.preparedQuery(
                                  "UPDATE bill_mandates SET last_exceeded_bill = $2,"
                                      + " updated_at = now() WHERE id = $1")
                              .execute(Tuple.of(mandate.getString("id"), exceeded))
                              .compose(v -> one(tx, clientId, mandate.getString("id")))
                              .compose(
                                  m ->
                                      events.emit(tx, clientId, "mandate.limit_exceeded", m, null)))
                  .onSuccess(v -> events.nudge())
                  .mapEmpty();
            });
  }
}
