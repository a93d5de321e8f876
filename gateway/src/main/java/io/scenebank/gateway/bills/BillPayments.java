package io.scenebank.gateway.bills;

import io.scenebank.gateway.bills.connector.BillerConnector;
import io.scenebank.gateway.bills.connector.BillerConnector.Confirmed;
import io.scenebank.gateway.bills.connector.BillerConnector.DueBill;
import io.scenebank.gateway.bills.connector.BillerConnector.Dues;
import io.scenebank.gateway.bills.connector.BillerConnector.Inquiry;
import io.scenebank.gateway.bills.connector.BillerConnector.NoDues;
import io.scenebank.gateway.bills.connector.BillerConnector.Rejected;
import io.scenebank.gateway.bills.connector.BillerConnector.WriteOff;
import io.scenebank.gateway.bills.connector.BillerException;
import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.ledger.Ledger.Transfer;
import io.scenebank.gateway.payers.PayerAccounts;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Times;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.TimeDriven;
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
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inquiries and bill payments. A payment debits the payer in one transaction (PENDING), then asks
 * the biller to write it off: confirmed → SUCCEEDED with a signed receipt; rejected, or not
 * confirmed by the deadline → REVERSED by a reversing ledger transaction, money back. A bill has at
 * most one payment pending or succeeded.
 */
final class BillPayments implements TimeDriven {

  private static final Logger LOG = LoggerFactory.getLogger(BillPayments.class);
  private static final String PAYMENT_SELECT =
      "SELECT p.*, a.holder_name, a.account_masked FROM bill_payments p"
          + " JOIN payer_accounts a ON a.client_id = p.client_id AND a.id = p.payer_account_id";
  private static final int SWEEP_BATCH = 200;

  private final Pool pool;
  private final Transactions transactions;
  private final Billers billers;
  private final Connectors connectors;
  private final PayerAccounts payers;
  private final Ledger ledger;
  private final Events events;
  private final AppClock clock;
  private final Receipts receipts;
  private final BillRows rows;

  BillPayments(
      Pool pool,
      Billers billers,
      Connectors connectors,
      PayerAccounts payers,
      Ledger ledger,
      Events events,
      AppClock clock,
      Receipts receipts,
      BillRows rows,
      Transactions transactions) {
    this.pool = pool;
    this.transactions = transactions;
    this.billers = billers;
    this.connectors = connectors;
    this.payers = payers;
    this.ledger = ledger;
    this.events = events;
    this.clock = clock;
    this.receipts = receipts;
    this.rows = rows;
  }

  static Problem invalidAccount(Biller biller, String accountNumber) {
    return Problem.unprocessable(
        "invalid_account",
        "Account "
            + accountNumber
            + " does not match the format of "
            + biller.name()
            + " ("
            + biller.accountFormat().pattern()
            + ").");
  }

  static Problem billerFailed(Biller biller, BillerException e) {
    return e.kind() == BillerException.Kind.TIMEOUT
        ? new Problem(
            504,
            "biller_timeout",
            "The biller did not answer in time",
            biller.name() + " did not answer in time; retry later with the same Idempotency-Key.")
        : new Problem(
            502,
            "biller_unavailable",
            "The biller's system failed",
            biller.name() + " is unavailable or answered something unusable; retry later.");
  }

  // ---------------------------------------------------------------- inquiry

  Future<JsonObject> inquire(Call call, String billerId, String accountNumber) {
    return billers
        .active(pool, billerId)
        .compose(
            biller -> {
              if (!biller.accepts(accountNumber)) {
                throw invalidAccount(biller, accountNumber);
              }
              return connectors
                  .of(biller, call.clientId())
                  .inquire(accountNumber)
                  .recover(
                      e ->
                          Future.failedFuture(
                              e instanceof BillerException be ? billerFailed(biller, be) : e))
                  .compose(answer -> record(call.clientId(), biller, accountNumber, answer));
            });
  }

  /** Keeps the app's view of the bills an inquiry returned; returns the inquiry. */
  private Future<JsonObject> record(
      String clientId, Biller biller, String accountNumber, Inquiry answer) {
    if (answer instanceof BillerConnector.UnknownAccount) {
      throw Problem.unprocessable(
          "invalid_account", biller.name() + " does not know account " + accountNumber + ".");
    }
    List<DueBill> due = answer instanceof Dues dues ? dues.bills() : List.of();
    String holder =
        answer instanceof Dues dues ? dues.holderMasked() : ((NoDues) answer).holderMasked();
    return pool.withTransaction(
        tx ->
            clock
                .now(tx, clientId)
                .compose(
                    now -> {
                      Future<JsonArray> bills = Future.succeededFuture(new JsonArray());
                      for (DueBill bill : due) {
                        bills =
                            bills.compose(
                                list ->
                                    upsertBill(tx, clientId, biller.id(), accountNumber, bill, now)
                                        .map(row -> list.add(rows.bill(row))));
                      }
                      return bills.map(
                          list -> {
                            JsonObject inquiry =
                                new JsonObject()
                                    .put("id", Ids.next("inq"))
                                    .put("object", "bill_inquiry")
                                    .put("livemode", rows.livemode())
                                    .put("biller_id", biller.id())
                                    .put("account_number", accountNumber)
                                    .put("status", list.isEmpty() ? "NO_DUES" : "DUES");
                            if (holder != null) {
                              inquiry.put("account_holder_masked", holder);
                            }
                            return inquiry.put("bills", list).put("created_at", Times.format(now));
                          });
                    }));
  }

  /** The app's row of a bill the biller reported (made the first time). */
  Future<Row> upsertBill(
      SqlClient tx,
      String clientId,
      String billerId,
      String accountNumber,
      DueBill bill,
      OffsetDateTime now) {
    return tx.preparedQuery(
            "INSERT INTO bills (id, client_id, biller_id, account_number, reference, period,"
                + " amount_due, due_date, issued_at, status, created_at, updated_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'UNPAID', $9, $9)"
                + " ON CONFLICT (client_id, biller_id, account_number, reference)"
                + " DO UPDATE SET updated_at = bills.updated_at RETURNING *")
        .execute(
            Tuple.tuple()
                .addString(Ids.next("bil"))
                .addString(clientId)
                .addString(billerId)
                .addString(accountNumber)
                .addString(bill.reference())
                .addString(bill.period())
                .addLong(bill.amount())
                .addLocalDate(bill.dueDate())
                .addOffsetDateTime(now))
        .map(r -> r.iterator().next());
  }

  // ---------------------------------------------------------------- payment

  /** What a payment is for. */
  record Order(
      String billerId,
      String accountNumber,
      String billId,
      long amount,
      String payerAccountId,
      String channelReference,
      String mandateId,
      JsonObject metadata) {

    static Order of(JsonObject request) {
      return new Order(
          request.getString("biller_id"),
          request.getString("account_number"),
          request.getString("bill_id"),
          request.getJsonObject("amount").getLong("amount"),
          request.getJsonObject("payer").getString("account_id"),
          request.getString("channel_reference"),
          null,
          request.getJsonObject("metadata", new JsonObject()));
    }
  }

  /**
   * Pays a bill. The debit is one transaction through {@code Transactions} (the store reads under
   * the payer's and the bill's locks, {@link BillDebitRules} decide, the debit and its answer — the
   * PENDING payment — commit together); then the biller writes it off, outside any transaction, and
   * the answer is restated as the payment's final state. A retry after a crash gets the stored
   * answer, never a second debit.
   */
  Future<Answer> pay(Call call, Order order) {
    return payers
        .ensure(pool, call.clientId(), order.payerAccountId())
        .compose(v -> transactions.run(call, tx -> debit(tx, call, order)))
        .compose(
            debited -> {
              if (debited.replayed() || debited.status() != 201) {
                return Future.succeededFuture(debited);
              }
              JsonObject pending = new JsonObject(debited.body());
              return billers
                  .find(pool, order.billerId())
                  .compose(
                      biller ->
                          writeOff(call.clientId(), biller, pending)
                              .recover(
                                  e -> {
                                    // the debit stands and the payment is PENDING: the sweep
                                    // settles it with the biller's status
                                    LOG.atWarn()
                                        .addKeyValue("payment", pending.getString("id"))
                                        .setCause(e)
                                        .log("settling the write-off failed; left pending");
                                    return Future.succeededFuture(pending.getString("id"));
                                  }))
                  .compose(id -> get(call.clientId(), id))
                  .compose(payment -> transactions.restate(call, 201, payment))
                  .map(
                      payment -> new Answer(201, debited.contentType(), payment.toBuffer(), false));
            });
  }

  /** The debit: reads under the locks, decides, and plans the PENDING payment. */
  private Future<Plan> debit(Tx tx, Call call, Order order) {
    String clientId = call.clientId();
    Future<RowSet<Row>> biller = tx.send("SELECT * FROM billers WHERE id = $1", order.billerId());
    tx.send(
        "SELECT 1 FROM payer_accounts WHERE client_id = $1 AND id = $2 FOR UPDATE",
        clientId,
        order.payerAccountId());
    Future<RowSet<Row>> bill =
        order.billId() == null
            ? Future.succeededFuture(null)
            : tx.send(
                "SELECT * FROM bills WHERE client_id = $1 AND id = $2 FOR UPDATE",
                clientId,
                order.billId());
    ledger.ensure(tx, List.of(BillRows.inFlight(clientId, order.billerId())));
    Future<RowSet<Row>> state =
        tx.send(
            "SELECT (SELECT id FROM bill_payments WHERE client_id = $1 AND channel_reference = $3)"
                + " AS duplicate, a.holder_name, a.account_masked,"
                + " coalesce(-l.posted, 0) AS available"
                + " FROM payer_accounts a LEFT JOIN ledger_accounts l ON l.code = $4"
                + " WHERE a.client_id = $1 AND a.id = $2",
            clientId,
            order.payerAccountId(),
            order.channelReference(),
            PayerAccounts.deposit(clientId, order.payerAccountId()));
    return Future.all(biller, bill, state, tx.now())
        .map(
            v -> {
              Biller found =
                  biller.result().size() == 0 ? null : Biller.of(biller.result().iterator().next());
              Row billRow =
                  bill.result() == null || bill.result().size() == 0
                      ? null
                      : bill.result().iterator().next();
              Row payer = state.result().size() == 0 ? null : state.result().iterator().next();
              BillDebitRules.State read =
                  new BillDebitRules.State(
                      found,
                      billRow == null
                          ? null
                          : new BillDebitRules.Bill(
                              billRow.getString("id"),
                              billRow.getString("biller_id"),
                              billRow.getString("account_number"),
                              billRow.getString("status"),
                              billRow.getString("bill_payment_id") != null
                                  ? billRow.getString("bill_payment_id")
                                  : billRow.getString("pending_payment_id"),
                              billRow.getLong("amount_due")),
                      payer == null ? null : payer.getString("duplicate"),
                      payer == null ? null : payer.getLong("available"));
              Problem refused = BillDebitRules.refusal(order, order.billerId(), read);
              if (refused != null) {
                return Plan.refuse(refused);
              }
              OffsetDateTime now = tx.now().result();
              String id = Ids.next("bpy");
              OffsetDateTime deadline = now.plusSeconds(found.deadlineSeconds());
              JsonObject pending =
                  rows.pendingPayment(
                      id,
                      order,
                      payer.getString("holder_name"),
                      payer.getString("account_masked"),
                      deadline,
                      now);
              return Plan.apply(
                  201, pending, debitWrites(clientId, found, order, id, deadline, now));
            });
  }

  /** The debit's writes: deposit → in-flight, the PENDING payment, the bill marked pending. */
  private Cte debitWrites(
      String clientId,
      Biller biller,
      Order order,
      String id,
      OffsetDateTime deadline,
      OffsetDateTime now) {
    Cte cte = new Cte();
    List<String> ids =
        ledger.write(
            cte,
            now,
            List.of(
                new Transfer(
                    Ledger.Layer.POSTED,
                    "bills.debit",
                    id,
                    List.of(
                        Posting.debit(
                            PayerAccounts.deposit(clientId, order.payerAccountId()),
                            order.amount()),
                        Posting.credit(
                            BillRows.inFlight(clientId, biller.id()), order.amount())))));
    cte.part(
        cte.name("payment"),
        "INSERT INTO bill_payments (id, client_id, biller_id, bill_id, account_number, amount,"
            + " payer_account_id, status, channel_reference, mandate_id, debit_transaction,"
            + " confirmation_deadline, metadata, created_at, updated_at)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', $8, $9, $10, $11, $12, $13, $13)"
            + " RETURNING 1",
        id,
        clientId,
        biller.id(),
        order.billId(),
        order.accountNumber(),
        order.amount(),
        order.payerAccountId(),
        order.channelReference(),
        order.mandateId(),
        ids.get(0),
        deadline,
        order.metadata(),
        now);
    if (order.billId() != null) {
      cte.part(
          cte.name("bill"),
          "UPDATE bills SET pending_payment_id = $2, updated_at = $3 WHERE id = $1 RETURNING 1",
          order.billId(),
          id,
          now);
    }
    return cte;
  }

  /** The biller's amount rule against the bill's amount due (if any) and its limits. */
  static Problem amountProblem(Biller biller, Long due, long amount) {
    String why = null;
    if (amount < biller.minAmount() || amount > biller.maxAmount()) {
      why =
          "must be between "
              + biller.minAmount()
              + " and "
              + biller.maxAmount()
              + " fen at "
              + biller.name();
    } else if (due != null) {
      switch (biller.amountRule()) {
        case "EXACT" -> why = amount == due ? null : "must be exactly the bill's " + due + " fen";
        case "EXACT_UP" ->
            why = amount >= due ? null : "must be at least the bill's " + due + " fen";
        case "EXACT_DOWN" ->
            why = amount <= due ? null : "must be at most the bill's " + due + " fen";
        default -> why = null;
      }
    }
    return why == null
        ? null
        : Problem.unprocessable("amount_not_allowed", "The amount " + amount + " " + why + ".");
  }

  /** Asks the biller to write the payment off and settles what its answer allows. */
  private Future<String> writeOff(String clientId, Biller biller, JsonObject payment) {
    String id = payment.getString("id");
    String billId = payment.getString("bill_id");
    Future<Row> bill =
        billId == null
            ? Future.succeededFuture(null)
            : pool.preparedQuery("SELECT * FROM bills WHERE id = $1")
                .execute(Tuple.of(billId))
                .map(r -> r.iterator().next());
    return bill.compose(
            b ->
                connectors
                    .of(biller, clientId)
                    .writeOff(
                        new BillerConnector.WriteOffRequest(
                            id,
                            payment.getString("account_number"),
                            b == null ? null : b.getString("reference"),
                            b == null ? null : b.getString("period"),
                            payment.getJsonObject("amount").getLong("amount"))))
        .compose(
            answer -> settle(clientId, biller, id, answer, null), failure -> noteError(id, failure))
        .map(id);
  }

  /** Records why the biller's answer was unusable; the payment stays PENDING. */
  private Future<Void> noteError(String paymentId, Throwable failure) {
    String kind =
        failure instanceof BillerException be
            ? be.kind().name()
            : BillerException.Kind.UNAVAILABLE.name();
    LOG.atWarn()
        .addKeyValue("payment", paymentId)
        .addKeyValue("kind", kind)
        .log("biller write-off without a usable answer; the payment stays pending");
    return pool.preparedQuery(
            "UPDATE bill_payments SET last_error = $2 WHERE id = $1 AND status = 'PENDING'")
        .execute(Tuple.of(paymentId, kind))
        .mapEmpty();
  }

  /**
   * Acts on the biller's answer: confirmed → SUCCEEDED, rejected → REVERSED, undecided → stays
   * PENDING unless {@code deadlineReason} says it is past its deadline (then REVERSED).
   */
  private Future<Void> settle(
      String clientId, Biller biller, String paymentId, WriteOff answer, String deadlineReason) {
    if (answer instanceof Confirmed confirmed) {
      return confirm(clientId, biller, paymentId, confirmed.reference());
    }
    if (answer instanceof Rejected rejected) {
      return reverse(clientId, paymentId, "BILLER_REJECTED", rejected.message());
    }
    return deadlineReason == null
        ? Future.succeededFuture()
        : reverse(clientId, paymentId, deadlineReason, "no confirmation before the deadline");
  }

  private Future<Void> confirm(String clientId, Biller biller, String paymentId, String reference) {
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(PAYMENT_SELECT + " WHERE p.id = $1 FOR UPDATE OF p")
                    .execute(Tuple.of(paymentId))
                    .compose(
                        found -> {
                          Row payment = found.iterator().next();
                          if (!"PENDING".equals(payment.getString("status"))) {
                            return Future.succeededFuture(false);
                          }
                          return clock
                              .now(tx, clientId)
                              .compose(
                                  now -> confirmed(tx, clientId, biller, payment, reference, now))
                              .map(true);
                        }))
        .onSuccess(changed -> events.nudge())
        .mapEmpty();
  }

  private Future<Void> confirmed(
      SqlClient tx,
      String clientId,
      Biller biller,
      Row payment,
      String reference,
      OffsetDateTime now) {
    String paymentId = payment.getString("id");
    long amount = payment.getLong("amount");
    String billId = payment.getString("bill_id");
    Transfer settle =
        new Transfer(
            Ledger.Layer.POSTED,
            "bills.confirmation",
            paymentId,
            List.of(
                Posting.debit(BillRows.inFlight(clientId, biller.id()), amount),
                Posting.credit(BillRows.billerPayable(clientId, biller.id()), amount)));
    Future<Row> bill =
        billId == null
            ? Future.succeededFuture(null)
            : tx.preparedQuery(
                    "UPDATE bills SET status = 'PAID', bill_payment_id = $2,"
                        + " pending_payment_id = NULL, updated_at = $3 WHERE id = $1 RETURNING *")
                .execute(Tuple.of(billId, paymentId, now))
                .map(r -> r.iterator().next());
    return ledger
        .record(tx, now, List.of(settle))
        .compose(v -> bill)
        .compose(
            b ->
                tx.preparedQuery(
                        "UPDATE bill_payments SET status = 'SUCCEEDED', biller_reference = $2,"
                            + " confirmed_at = $3, updated_at = $3 WHERE id = $1")
                    .execute(Tuple.of(paymentId, reference, now))
                    .compose(
                        v ->
                            receipts.issue(
                                tx,
                                payment,
                                biller,
                                b == null ? null : b.getString("period"),
                                null,
                                payment.getString("account_masked"),
                                reference,
                                now)))
        .compose(v -> emit(tx, clientId, paymentId, "bill_payment.succeeded"));
  }

  private Future<Void> reverse(String clientId, String paymentId, String reason, String detail) {
    return pool.withTransaction(
            tx ->
                tx.preparedQuery("SELECT * FROM bill_payments WHERE id = $1 FOR UPDATE")
                    .execute(Tuple.of(paymentId))
                    .compose(
                        found -> {
                          Row payment = found.iterator().next();
                          if (!"PENDING".equals(payment.getString("status"))) {
                            return Future.succeededFuture();
                          }
                          return clock
                              .now(tx, clientId)
                              .compose(now -> reversed(tx, clientId, payment, reason, detail, now));
                        }))
        .onSuccess(v -> events.nudge())
        .mapEmpty();
  }

  private Future<Void> reversed(
      SqlClient tx,
      String clientId,
      Row payment,
      String reason,
      String detail,
      OffsetDateTime now) {
    String paymentId = payment.getString("id");
    long amount = payment.getLong("amount");
    Transfer debit =
        new Transfer(
            Ledger.Layer.POSTED,
            "bills.debit",
            paymentId,
            List.of(
                Posting.debit(
                    PayerAccounts.deposit(clientId, payment.getString("payer_account_id")), amount),
                Posting.credit(
                    BillRows.inFlight(clientId, payment.getString("biller_id")), amount)));
    return ledger
        .record(
            tx,
            now,
            List.of(debit.reversal("bills.reversal", payment.getString("debit_transaction"))))
        .compose(
            v ->
                payment.getString("bill_id") == null
                    ? Future.succeededFuture()
                    : tx.preparedQuery(
                            "UPDATE bills SET pending_payment_id = NULL, updated_at = $2"
                                + " WHERE id = $1 AND pending_payment_id = $3")
                        .execute(Tuple.of(payment.getString("bill_id"), now, paymentId))
                        .mapEmpty())
        .compose(
            v ->
                tx.preparedQuery(
                        "UPDATE bill_payments SET status = 'REVERSED', reversal_reason = $2,"
                            + " reversal_detail = $3, reversed_at = $4, updated_at = $4"
                            + " WHERE id = $1")
                    .execute(Tuple.of(paymentId, reason, truncate(detail), now)))
        .compose(v -> emit(tx, clientId, paymentId, "bill_payment.reversed"));
  }

  private static String truncate(String text) {
    return text == null || text.length() <= 500 ? text : text.substring(0, 500);
  }

  private Future<Void> emit(SqlClient tx, String clientId, String paymentId, String type) {
    return tx.preparedQuery(PAYMENT_SELECT + " WHERE p.id = $1")
        .execute(Tuple.of(paymentId))
        .compose(
            found -> events.emit(tx, clientId, type, rows.payment(found.iterator().next()), null))
        .mapEmpty();
  }

  // ---------------------------------------------------------------- reads

  Future<JsonObject> get(String clientId, String id) {
    return render(pool, clientId, id);
  }

  private Future<JsonObject> render(SqlClient client, String clientId, String id) {
    return client
        .preparedQuery(PAYMENT_SELECT + " WHERE p.client_id = $1 AND p.id = $2")
        .execute(Tuple.of(clientId, id))
        .map(
            found -> {
              if (found.size() == 0) {
                throw Problem.notFound("No bill payment " + id + ".");
              }
              return rows.payment(found.iterator().next());
            });
  }

  Future<JsonObject> list(
      String clientId,
      String billerId,
      String status,
      OffsetDateTime from,
      OffsetDateTime until,
      Page.Request page) {
    return ListQuery.of(
            "SELECT p.*, a.holder_name, a.account_masked FROM bill_payments p JOIN payer_accounts a"
                + " ON a.client_id = p.client_id AND a.id = p.payer_account_id",
            "p")
        .eq("p.client_id", clientId)
        .eq("p.biller_id", billerId)
        .eq("p.status", status)
        .createdFrom(from)
        .createdUntil(until)
        .page(pool, page, rows::payment);
  }

  Future<JsonObject> receipt(String clientId, String paymentId) {
    return receipts.get(pool, clientId, paymentId);
  }

  // ---------------------------------------------------------------- time

  /**
   * Pending payments: asks the biller what became of them; past the deadline, reverses them. Unpaid
   * bills due in 3 days: a {@code bill.due_reminder}.
   */
  @Override
  public Future<Void> runDue(String clientId) {
    return pool.preparedQuery(
            "SELECT p.id, p.client_id, p.biller_id, p.last_error,"
                + " p.confirmation_deadline <= "
                + clock.nowSql("p.client_id")
                + " AS late FROM bill_payments p WHERE p.status = 'PENDING'"
                + " AND ($1::text IS NULL OR p.client_id = $1)"
                + " ORDER BY p.confirmation_deadline LIMIT "
                + SWEEP_BATCH)
        .execute(Tuple.of(clientId))
        .compose(
            pending -> {
              Future<Void> done = Future.succeededFuture();
              for (Row row : pending) {
                done = done.compose(v -> chase(row).recover(e -> logged(row, e)));
              }
              return done;
            })
        .compose(v -> remind(clientId));
  }

  private Future<Void> logged(Row row, Throwable e) {
    LOG.atWarn()
        .addKeyValue("payment", row.getString("id"))
        .setCause(e)
        .log("could not settle a pending bill payment; it is tried again");
    return Future.succeededFuture();
  }

  private Future<Void> chase(Row row) {
    String clientId = row.getString("client_id");
    String paymentId = row.getString("id");
    boolean late = row.getBoolean("late");
    String lastError = row.getString("last_error");
    return billers
        .find(pool, row.getString("biller_id"))
        .compose(
            biller ->
                connectors
                    .of(biller, clientId)
                    .status(paymentId)
                    .compose(
                        answer ->
                            settle(
                                clientId,
                                biller,
                                paymentId,
                                answer,
                                late ? deadlineReason(lastError) : null),
                        failure ->
                            noteError(paymentId, failure)
                                .compose(
                                    v ->
                                        late
                                            ? reverse(
                                                clientId,
                                                paymentId,
                                                deadlineReason(
                                                    failure instanceof BillerException be
                                                        ? be.kind().name()
                                                        : lastError),
                                                failure.getMessage())
                                            : Future.succeededFuture())));
  }

  private static String deadlineReason(String lastError) {
    return BillerException.Kind.MALFORMED.name().equals(lastError)
        ? "BILLER_ERROR"
        : "BILLER_TIMEOUT";
  }

  private Future<Void> remind(String clientId) {
    String today =
        "((" + clock.nowSql("b.client_id") + " AT TIME ZONE 'UTC') + interval '8 hours')::date";
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "UPDATE bills b SET reminded = true WHERE b.id IN (SELECT id FROM bills b"
                            + " WHERE b.status = 'UNPAID' AND NOT b.reminded"
                            + " AND b.pending_payment_id IS NULL"
                            + " AND ($1::text IS NULL OR b.client_id = $1)"
                            + " AND b.due_date - 3 <= "
                            + today
                            + " LIMIT 500 FOR UPDATE SKIP LOCKED) RETURNING *")
                    .execute(Tuple.of(clientId))
                    .compose(
                        reminded -> {
                          Future<Void> emitted = Future.succeededFuture();
                          for (Row bill : reminded) {
                            JsonObject json = rows.bill(bill);
                            emitted =
                                emitted.compose(
                                    v ->
                                        events
                                            .emit(
                                                tx,
                                                bill.getString("client_id"),
                                                "bill.due_reminder",
                                                json,
                                                null)
                                            .mapEmpty());
                          }
                          return emitted.map(reminded.rowCount());
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
