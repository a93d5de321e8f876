package io.scenebank.gateway.merchants;

import static io.scenebank.gateway.http.Handlers.answer;
import static io.scenebank.gateway.http.Handlers.body;
import static io.scenebank.gateway.http.Handlers.date;
import static io.scenebank.gateway.http.Handlers.filters;
import static io.scenebank.gateway.http.Handlers.param;
import static io.scenebank.gateway.http.Handlers.reply;
import static io.scenebank.gateway.http.Handlers.sandboxOnly;
import static io.scenebank.gateway.http.Handlers.time;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.http.Responses;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.payers.PayerAccounts;
import io.scenebank.gateway.payers.PayerCodes;
import io.scenebank.gateway.security.SigningKeys;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.TimeDriven;
import io.scenebank.gateway.tx.Transactions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.LocalDate;
import java.util.List;

/**
 * The merchant and payment APIs (scopes {@code merchants}, {@code payments}): onboarding, balances,
 * settlements and statements; QR orders, payer codes, refunds; the sandbox's QR payer and the
 * operators' merchant review.
 */
public final class MerchantsApi {

  private final Merchants merchants;
  private final Payments payments;
  private final Statements statements;
  private final Mode mode;

  public MerchantsApi(
      Pool pool,
      Ledger ledger,
      Events events,
      AppClock clock,
      SigningKeys keys,
      Payments.RiskRules risk,
      Mode mode,
      Transactions transactions) {
    this.mode = mode;
    MerchantRows rows = new MerchantRows(mode);
    this.merchants = new Merchants(pool, events, clock, rows, mode);
    this.payments =
        new Payments(
            pool,
            merchants,
            new PayerAccounts(ledger, mode),
            new PayerCodes(mode),
            ledger,
            events,
            clock,
            rows,
            risk,
            mode,
            transactions);
    this.statements = new Statements(pool, merchants, ledger, events, clock, keys, rows);
  }

  public Merchants merchants() {
    return merchants;
  }

  public Payments payments() {
    return payments;
  }

  /** QR orders closing at expiry; statements and settlements after each business day. */
  public List<TimeDriven> timeDriven() {
    return List.of(payments, statements);
  }

  public static JsonArray payerCodeFixtures() {
    return PayerCodes.fixtures();
  }

  public static JsonArray licenceFixtures() {
    return new JsonArray(List.copyOf(Merchants.licenceFixtures()));
  }

  public static JsonArray magicAmounts() {
    JsonArray list = new JsonArray();
    list.add(
        magic(
            Payments.DECLINE_FUNDS_AMOUNT,
            "decline_insufficient_funds",
            "Declined INSUFFICIENT_FUNDS whatever the payer.",
            "QR_ORDER",
            "CODE_PAYMENT"));
    list.add(
        magic(
            Payments.DECLINE_RISK_AMOUNT,
            "decline_risk",
            "Declined RISK_DECLINED; emits risk.declined.",
            "QR_ORDER",
            "CODE_PAYMENT"));
    list.add(
        magic(
            Payments.BANK_TIMEOUT_AMOUNT,
            "bank_timeout_reversed",
            "The payer's bank times out; the payment is REVERSED.",
            "CODE_PAYMENT"));
    list.add(
        magic(
            Payments.REFUND_FAILS_AMOUNT,
            "refund_failed",
            "The refund is FAILED; the amount stays refundable.",
            "REFUND"));
    return list;
  }

  private static JsonObject magic(
      long amount, String effect, String description, String... appliesTo) {
    return new JsonObject()
        .put("amount", amount)
        .put("applies_to", new JsonArray(List.of((Object[]) appliesTo)))
        .put("effect", effect)
        .put("description", description);
  }

  public void register(Operations operations) {
    operations
        .add("createMerchant", ctx -> reply(ctx, 201, merchants.create(Call.of(ctx), body(ctx))))
        .add(
            "listMerchants",
            ctx ->
                reply(
                    ctx,
                    200,
                    merchants.list(
                        Call.of(ctx).clientId(),
                        param(ctx, "status"),
                        time(ctx, "created_gte"),
                        time(ctx, "created_lt"),
                        Page.request(
                            ctx,
                            filters(ctx, "merchants", "status", "created_gte", "created_lt")))))
        .add(
            "getMerchant",
            ctx ->
                reply(
                    ctx, 200, merchants.get(Call.of(ctx).clientId(), ctx.pathParam("merchant_id"))))
        .add(
            "getMerchantBalance",
            ctx ->
                reply(
                    ctx,
                    200,
                    merchants.balance(Call.of(ctx).clientId(), ctx.pathParam("merchant_id"))))
        .add(
            "listMerchantSettlements",
            ctx ->
                reply(
                    ctx,
                    200,
                    statements.settlements(
                        Call.of(ctx).clientId(),
                        ctx.pathParam("merchant_id"),
                        date(ctx, "date_gte"),
                        date(ctx, "date_lt"),
                        Page.request(
                            ctx,
                            filters(
                                ctx,
                                "settlements:" + ctx.pathParam("merchant_id"),
                                "date_gte",
                                "date_lt")))))
        .add(
            "listStatements",
            ctx ->
                reply(
                    ctx,
                    200,
                    statements.list(
                        Call.of(ctx).clientId(),
                        ctx.pathParam("merchant_id"),
                        date(ctx, "date_gte"),
                        date(ctx, "date_lt"),
                        Page.request(
                            ctx,
                            filters(
                                ctx,
                                "statements:" + ctx.pathParam("merchant_id"),
                                "date_gte",
                                "date_lt")))))
        .add("downloadStatement", this::download)
        .add(
            "createQrOrder",
            ctx -> reply(ctx, 201, payments.createQrOrder(Call.of(ctx), body(ctx))))
        .addTransactional(
            "createCodePayment",
            ctx -> answer(ctx, payments.createCodePayment(Call.of(ctx), body(ctx))))
        .add(
            "listPayments",
            ctx ->
                reply(
                    ctx,
                    200,
                    payments.list(
                        Call.of(ctx).clientId(),
                        param(ctx, "merchant_id"),
                        param(ctx, "status"),
                        param(ctx, "type"),
                        param(ctx, "merchant_order_ref"),
                        time(ctx, "created_gte"),
                        time(ctx, "created_lt"),
                        Page.request(
                            ctx,
                            filters(
                                ctx,
                                "payments",
                                "merchant_id",
                                "status",
                                "type",
                                "merchant_order_ref",
                                "created_gte",
                                "created_lt")))))
        .add(
            "getPayment",
            ctx ->
                reply(ctx, 200, payments.get(Call.of(ctx).clientId(), ctx.pathParam("payment_id"))))
        .add(
            "cancelPayment",
            ctx -> reply(ctx, 200, payments.cancel(Call.of(ctx), ctx.pathParam("payment_id"))))
        .addTransactional(
            "createRefund",
            ctx ->
                answer(ctx, payments.refund(Call.of(ctx), ctx.pathParam("payment_id"), body(ctx))))
        .add(
            "listRefunds",
            ctx ->
                reply(
                    ctx,
                    200,
                    payments.listRefunds(
                        Call.of(ctx).clientId(),
                        ctx.pathParam("payment_id"),
                        Page.request(ctx, "refunds:" + ctx.pathParam("payment_id")))))
        .addTransactional(
            "payQrOrder",
            sandboxOnly(
                mode,
                ctx ->
                    answer(
                        ctx,
                        payments.payQrOrder(
                            Call.of(ctx),
                            ctx.pathParam("payment_id"),
                            body(ctx).getString("payer_code")))))
        .add(
            "reviewMerchant",
            ctx ->
                reply(
                    ctx,
                    200,
                    merchants.review(
                        ctx.pathParam("merchant_id"),
                        body(ctx).getString("decision"),
                        body(ctx).getString("reason"))));
  }

  private void download(RoutingContext ctx) {
    String merchantId = ctx.pathParam("merchant_id");
    LocalDate date = LocalDate.parse(ctx.pathParam("statement_date"));
    statements
        .download(Call.of(ctx).clientId(), merchantId, date)
        .onSuccess(
            statement -> {
              ctx.response()
                  .putHeader("Statement-Signature", statement.getString("signature"))
                  .putHeader(
                      "Content-Disposition",
                      "attachment; filename=\"statement-" + merchantId + "-" + date + ".csv\"");
              Responses.send(ctx, 200, "text/csv; charset=utf-8", statement.getBuffer("body"));
            })
        .onFailure(ctx::fail);
  }
}
