package io.scenebank.gateway.bills;

import static io.scenebank.gateway.http.Handlers.answer;
import static io.scenebank.gateway.http.Handlers.body;
import static io.scenebank.gateway.http.Handlers.param;
import static io.scenebank.gateway.http.Handlers.reply;
import static io.scenebank.gateway.http.Handlers.sandboxOnly;
import static io.scenebank.gateway.http.Handlers.time;

import io.scenebank.gateway.bills.connector.BillerConnector;
import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.payers.PayerAccounts;
import io.scenebank.gateway.security.SigningKeys;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Times;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.TimeDriven;
import io.scenebank.gateway.tx.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bill payment API (scope {@code bills}): the biller directory, inquiries, payments, receipts
 * and mandates; the sandbox's bill simulators; the operators' biller management.
 */
public final class BillsApi {

  private static final Logger LOG = LoggerFactory.getLogger(BillsApi.class);

  private final Pool pool;
  private final Billers billers;
  private final Connectors connectors;
  private final BillPayments payments;
  private final Mandates mandates;
  private final Events events;
  private final AppClock clock;
  private final BillRows rows;
  private final Mode mode;

  public BillsApi(
      Pool pool,
      Ledger ledger,
      Events events,
      AppClock clock,
      SigningKeys keys,
      Function<JsonObject, BillerConnector> httpConnectors,
      Mode mode,
      Transactions transactions) {
    this.pool = pool;
    this.events = events;
    this.clock = clock;
    this.mode = mode;
    this.rows = new BillRows(mode);
    this.billers = new Billers(pool, mode);
    this.connectors =
        new Connectors(pool, clock, mode, biller -> httpConnectors.apply(httpConfig(biller)));
    PayerAccounts payers = new PayerAccounts(ledger, mode);
    this.payments =
        new BillPayments(
            pool,
            billers,
            connectors,
            payers,
            ledger,
            events,
            clock,
            new Receipts(keys, mode),
            rows,
            transactions);
    this.mandates = new Mandates(pool, billers, payers, payments, events, clock, rows);
  }

  /** The connector configuration of an HTTP biller, with its id. */
  private static JsonObject httpConfig(Biller biller) {
    return biller.connector().copy().put("biller_id", biller.id());
  }

  /** Adds the sandbox billers to the directory (sandbox mode only). */
  public Future<Void> seedSandbox() {
    if (!mode.sandbox()) {
      return Future.succeededFuture();
    }
    Future<Void> done = Future.succeededFuture();
    for (Map.Entry<String, JsonObject> e : SandboxBillers.definitions().entrySet()) {
      done = done.compose(v -> billers.seed(e.getKey(), e.getValue()));
    }
    return done;
  }

  /**
   * Adds or updates the billers of the configuration file: a JSON array of {@code createBiller}
   * bodies, each with its {@code id}. Fails (and so the start) on the first invalid entry.
   */
  public Future<Void> loadConfigured(io.vertx.core.Vertx vertx, java.nio.file.Path file) {
    return vertx
        .fileSystem()
        .readFile(file.toString())
        .compose(
            buffer -> {
              io.scenebank.openapi.ContractSchemas schemas =
                  new io.scenebank.openapi.ContractSchemas(
                      io.scenebank.openapi.Contract.fromClasspath());
              JsonArray entries = new JsonArray(buffer);
              Future<Void> done = Future.succeededFuture();
              for (int i = 0; i < entries.size(); i++) {
                JsonObject entry = entries.getJsonObject(i).copy();
                String id = (String) entry.remove("id");
                List<String> errors =
                    schemas.errors("/components/schemas/CreateBillerRequest", entry);
                if (id == null || !id.matches("blr_[A-Za-z0-9]{16,32}") || !errors.isEmpty()) {
                  return Future.failedFuture(
                      new IllegalArgumentException(
                          file
                              + ": biller "
                              + i
                              + " is not valid: "
                              + (id == null
                                  ? "no id"
                                  : errors.isEmpty() ? "bad id " + id : errors)));
                }
                done = done.compose(v -> billers.upsert(id, entry));
              }
              return done;
            });
  }

  /** Time-driven: pending payments chased and reversed at their deadline, due reminders. */
  public List<TimeDriven> timeDriven() {
    return List.of(payments);
  }

  /** The sandbox's bill accounts, as {@code listFixtures} shows them. */
  public static JsonArray billAccountFixtures() {
    Map<String, String> names = new LinkedHashMap<>();
    SandboxBillers.definitions().forEach((id, d) -> names.put(id, d.getString("name")));
    return SandboxBiller.fixtures(names);
  }

  /** The sandbox's payer accounts. */
  public static JsonArray payerAccountFixtures() {
    return PayerAccounts.fixtures();
  }

  /** The amounts that make the sandbox billers misbehave. */
  public static JsonArray magicAmounts() {
    return new JsonArray()
        .add(
            new JsonObject()
                .put("amount", SandboxBiller.REJECTED_AMOUNT)
                .put("applies_to", new JsonArray().add("BILL_PAYMENT"))
                .put("effect", "biller_rejects")
                .put(
                    "description",
                    "The biller rejects the write-off; REVERSED with BILLER_REJECTED."))
        .add(
            new JsonObject()
                .put("amount", SandboxBiller.UNCONFIRMED_AMOUNT)
                .put("applies_to", new JsonArray().add("BILL_PAYMENT"))
                .put("effect", "biller_timeout")
                .put(
                    "description",
                    "The biller never confirms; PENDING, then REVERSED with BILLER_TIMEOUT at the"
                        + " deadline (advance the clock to see it at once)."));
  }

  public void register(Operations operations) {
    operations
        .add(
            "listBillers",
            ctx ->
                reply(
                    ctx,
                    200,
                    billers.list(
                        param(ctx, "category"),
                        param(ctx, "region"),
                        param(ctx, "q"),
                        Page.request(
                            ctx,
                            "billers|"
                                + param(ctx, "category")
                                + "|"
                                + param(ctx, "region")
                                + "|"
                                + param(ctx, "q")))))
        .add("getBiller", ctx -> reply(ctx, 200, billers.get(ctx.pathParam("biller_id"))))
        .add(
            "inquireBills",
            ctx ->
                reply(
                    ctx,
                    200,
                    payments.inquire(
                        Call.of(ctx),
                        body(ctx).getString("biller_id"),
                        body(ctx).getString("account_number"))))
        .addTransactional(
            "createBillPayment",
            ctx -> answer(ctx, payments.pay(Call.of(ctx), BillPayments.Order.of(body(ctx)))))
        .add(
            "listBillPayments",
            ctx ->
                reply(
                    ctx,
                    200,
                    payments.list(
                        Call.of(ctx).clientId(),
                        param(ctx, "biller_id"),
                        param(ctx, "status"),
                        time(ctx, "created_gte"),
                        time(ctx, "created_lt"),
                        Page.request(
                            ctx,
                            "bill_payments|"
                                + param(ctx, "biller_id")
                                + "|"
                                + param(ctx, "status")
                                + "|"
                                + param(ctx, "created_gte")
                                + "|"
                                + param(ctx, "created_lt")))))
        .add(
            "getBillPayment",
            ctx ->
                reply(ctx, 200, payments.get(Call.of(ctx).clientId(), ctx.pathParam("payment_id"))))
        .add(
            "getBillReceipt",
            ctx ->
                reply(
                    ctx,
                    200,
                    payments.receipt(Call.of(ctx).clientId(), ctx.pathParam("payment_id"))))
        .add("createMandate", ctx -> reply(ctx, 201, mandates.create(Call.of(ctx), body(ctx))))
        .add(
            "listMandates",
            ctx ->
                reply(
                    ctx,
                    200,
                    mandates.list(
                        Call.of(ctx).clientId(),
                        param(ctx, "biller_id"),
                        param(ctx, "status"),
                        Page.request(
                            ctx,
                            "mandates|" + param(ctx, "biller_id") + "|" + param(ctx, "status")))))
        .add(
            "getMandate",
            ctx ->
                reply(ctx, 200, mandates.get(Call.of(ctx).clientId(), ctx.pathParam("mandate_id"))))
        .add(
            "cancelMandate",
            ctx ->
                reply(
                    ctx,
                    200,
                    mandates.cancel(
                        Call.of(ctx), ctx.pathParam("mandate_id"), body(ctx).getString("reason"))))
        .add(
            "issueBill",
            sandboxOnly(mode, ctx -> reply(ctx, 201, issueBill(Call.of(ctx), body(ctx)))))
        .add(
            "setBillerFault",
            sandboxOnly(
                mode,
                ctx ->
                    reply(
                        ctx,
                        200,
                        setFault(
                            Call.of(ctx).clientId(),
                            ctx.pathParam("biller_id"),
                            body(ctx).getString("mode")))))
        .add("createBiller", ctx -> reply(ctx, 201, billers.create(null, body(ctx))))
        .add(
            "updateBiller",
            ctx -> reply(ctx, 200, billers.update(ctx.pathParam("biller_id"), body(ctx))));
  }

  private Future<Biller> sandboxBiller(String billerId) {
    return billers
        .find(pool, billerId)
        .map(
            biller -> {
              if (!biller.sandbox()) {
                throw Problem.unprocessable(
                    "not_a_sandbox_biller", "Biller " + billerId + " is not a sandbox biller.");
              }
              return biller;
            });
  }

  /** The simulator: a sandbox biller issues a bill; an active mandate pays it. */
  private Future<JsonObject> issueBill(Call call, JsonObject request) {
    String account = request.getString("account_number");
    long amount = request.getJsonObject("amount").getLong("amount");
    String period = request.getString("period");
    LocalDate due = LocalDate.parse(request.getString("due_date"));
    return sandboxBiller(request.getString("biller_id"))
        .compose(
            biller -> {
              if (!biller.accepts(account)) {
                throw BillPayments.invalidAccount(biller, account);
              }
              return connectors
                  .sandbox(biller, call.clientId())
                  .issue(account, period, amount, due)
                  .compose(
                      reference ->
                          pool.withTransaction(
                              tx ->
                                  clock
                                      .now(tx, call.clientId())
                                      .compose(
                                          now ->
                                              payments.upsertBill(
                                                  tx,
                                                  call.clientId(),
                                                  biller.id(),
                                                  account,
                                                  new BillerConnector.DueBill(
                                                      reference, period, amount, due),
                                                  now))
                                      .compose(
                                          bill ->
                                              events
                                                  .emit(
                                                      tx,
                                                      call.clientId(),
                                                      "bill.issued",
                                                      rows.bill(bill),
                                                      call.requestId())
                                                  .map(bill))));
            })
        .compose(
            bill -> {
              events.nudge();
              return mandates
                  .billIssued(call.clientId(), bill)
                  .recover(
                      e -> {
                        LOG.atWarn()
                            .addKeyValue("bill", bill.getString("id"))
                            .setCause(e)
                            .log("autopay of an issued bill failed");
                        return Future.succeededFuture();
                      })
                  .compose(v -> billRow(bill.getString("id")));
            });
  }

  private Future<JsonObject> billRow(String id) {
    return pool.preparedQuery("SELECT * FROM bills WHERE id = $1")
        .execute(Tuple.of(id))
        .map(r -> rows.bill(r.iterator().next()));
  }

  private Future<JsonObject> setFault(String clientId, String billerId, String mode) {
    return sandboxBiller(billerId)
        .compose(
            biller ->
                pool.preparedQuery(
                        "INSERT INTO sandbox_biller_faults (client_id, biller_id, mode)"
                            + " VALUES ($1, $2, $3) ON CONFLICT (client_id, biller_id)"
                            + " DO UPDATE SET mode = EXCLUDED.mode")
                    .execute(Tuple.of(clientId, billerId, mode)))
        .map(
            v ->
                new JsonObject()
                    .put("object", "biller_fault")
                    .put("biller_id", billerId)
                    .put("livemode", false)
                    .put("mode", mode)
                    .put("updated_at", Times.format(OffsetDateTime.now())));
  }
}
