package io.scenebank.gateway.canteen;

import static io.scenebank.gateway.http.Handlers.answer;
import static io.scenebank.gateway.http.Handlers.body;
import static io.scenebank.gateway.http.Handlers.filters;
import static io.scenebank.gateway.http.Handlers.param;
import static io.scenebank.gateway.http.Handlers.reply;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.merchants.MerchantsApi;
import io.scenebank.gateway.payers.PayerAccounts;
import io.scenebank.gateway.payers.PayerCodes;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.TimeDriven;
import io.scenebank.gateway.tx.Transactions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;

/**
 * The canteen API (scope {@code canteen}): subsidy programmes, enrolments and wallets, monthly
 * funding, canteen payments. Canteen payments are merchant payments (listed, refunded and settled
 * with the others).
 */
public final class CanteenApi {

  private final Programmes programmes;
  private final CanteenPayments canteenPayments;

  public CanteenApi(
      Pool pool,
      Ledger ledger,
      Events events,
      AppClock clock,
      MerchantsApi merchants,
      Mode mode,
      Transactions transactions) {
    PayerAccounts payers = new PayerAccounts(ledger, mode);
    this.programmes = new Programmes(pool, payers, ledger, events, clock, mode, transactions);
    this.canteenPayments =
        new CanteenPayments(
            pool,
            merchants.merchants(),
            merchants.payments(),
            payers,
            new PayerCodes(mode),
            clock,
            transactions);
    merchants.payments().canteenRefunds(canteenPayments);
  }

  /** Unspent subsidy cleared down to the employer at expiry. */
  public List<TimeDriven> timeDriven() {
    return List.of(programmes);
  }

  /** The sandbox's employees. */
  public static JsonArray employeeFixtures() {
    return new JsonArray()
        .add(
            new JsonObject()
                .put("employee_ref", "E10086")
                .put("name", "赵六")
                .put("payer_code", PayerCodes.EMPLOYEE_CODE)
                .put("account_id", "acc_7Wb3Nq8KxT2mR6pLv4Zs")
                .put("description", "Has ¥1,280 of own funds; enrol and fund to give a subsidy."));
  }

  public void register(Operations operations) {
    operations
        .add(
            "createSubsidyProgramme",
            ctx -> reply(ctx, 201, programmes.create(Call.of(ctx), body(ctx))))
        .add(
            "listSubsidyProgrammes",
            ctx ->
                reply(
                    ctx,
                    200,
                    programmes.list(
                        Call.of(ctx).clientId(),
                        param(ctx, "status"),
                        Page.request(ctx, filters(ctx, "programmes", "status")))))
        .add(
            "getSubsidyProgramme",
            ctx ->
                reply(
                    ctx,
                    200,
                    programmes.get(Call.of(ctx).clientId(), ctx.pathParam("programme_id"))))
        .addTransactional(
            "enrolEmployee",
            ctx ->
                answer(
                    ctx, programmes.enrol(Call.of(ctx), ctx.pathParam("programme_id"), body(ctx))))
        .add(
            "listEnrolments",
            ctx ->
                reply(
                    ctx,
                    200,
                    programmes.enrolments(
                        Call.of(ctx).clientId(),
                        ctx.pathParam("programme_id"),
                        param(ctx, "employee_ref"),
                        Page.request(
                            ctx,
                            filters(
                                ctx,
                                "enrolments:" + ctx.pathParam("programme_id"),
                                "employee_ref")))))
        .addTransactional(
            "fundProgramme",
            ctx ->
                answer(
                    ctx, programmes.fund(Call.of(ctx), ctx.pathParam("programme_id"), body(ctx))))
        .add(
            "listFundings",
            ctx ->
                reply(
                    ctx,
                    200,
                    programmes.fundings(
                        Call.of(ctx).clientId(),
                        ctx.pathParam("programme_id"),
                        Page.request(ctx, "fundings:" + ctx.pathParam("programme_id")))))
        .add(
            "getWallet",
            ctx ->
                reply(
                    ctx,
                    200,
                    programmes.getWallet(Call.of(ctx).clientId(), ctx.pathParam("wallet_id"))))
        .addTransactional(
            "createCanteenPayment",
            ctx -> answer(ctx, canteenPayments.pay(Call.of(ctx), body(ctx))));
  }
}
