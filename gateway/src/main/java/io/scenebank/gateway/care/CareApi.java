package io.scenebank.gateway.care;

import static io.scenebank.gateway.http.Handlers.answer;
import static io.scenebank.gateway.http.Handlers.body;
import static io.scenebank.gateway.http.Handlers.param;
import static io.scenebank.gateway.http.Handlers.reply;
import static io.scenebank.gateway.http.Handlers.time;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.security.SecretBox;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.TimeDriven;
import io.scenebank.gateway.tx.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;

/**
 * The pay-after-care API (scope {@code care}): consents, credit lines, encounters, charges,
 * settlement, refunds, debts and repayments; and the sandbox's consent decision.
 */
public final class CareApi {

  private final Consents consents;
  private final CreditLines lines;
  private final Encounters encounters;
  private final Settlements settlements;
  private final Debts debts;
  private final Mode mode;

  public CareApi(
      Pool pool,
      Ledger ledger,
      Events events,
      AppClock clock,
      SecretBox box,
      Mode mode,
      int graceDays,
      int penaltyBps,
      Transactions transactions) {
    CareServices care =
        new CareServices(
            pool,
            ledger,
            events,
            clock,
            new CareRows(mode),
            new Patients(box),
            new CreditPolicy(),
            graceDays,
            penaltyBps,
            transactions);
    this.mode = mode;
    this.consents = new Consents(care);
    this.lines = new CreditLines(care, consents);
    this.encounters = new Encounters(care);
    this.debts = new Debts(care);
    this.settlements = new Settlements(care, encounters, debts);
  }

  /** The care work that falls due with time: consent expiry, overdue debts, penalty, reminders. */
  public List<TimeDriven> timeDriven() {
    return List.of(consents, debts);
  }

  public void register(Operations operations) {
    operations
        .add("createConsent", ctx -> reply(ctx, 201, consents.create(Call.of(ctx), body(ctx))))
        .add(
            "listConsents",
            ctx ->
                reply(
                    ctx,
                    200,
                    consents.list(
                        Call.of(ctx).clientId(),
                        param(ctx, "status"),
                        param(ctx, "hospital_patient_ref"),
                        time(ctx, "created_gte"),
                        time(ctx, "created_lt"),
                        page(ctx, "consents", "status", "hospital_patient_ref"))))
        .add(
            "getConsent",
            ctx ->
                reply(ctx, 200, consents.get(Call.of(ctx).clientId(), ctx.pathParam("consent_id"))))
        .add(
            "decideConsent",
            ctx ->
                reply(
                    ctx,
                    200,
                    mode.livemode()
                        ? Future.failedFuture(
                            Problem.notFound(
                                "Consent decisions are simulated only in the sandbox."))
                        : consents.decide(
                            Call.of(ctx),
                            ctx.pathParam("consent_id"),
                            body(ctx).getString("decision"))))
        .add("openCreditLine", ctx -> reply(ctx, 201, lines.open(Call.of(ctx), body(ctx))))
        .add(
            "listCreditLines",
            ctx ->
                reply(
                    ctx,
                    200,
                    lines.list(
                        Call.of(ctx).clientId(),
                        param(ctx, "status"),
                        time(ctx, "created_gte"),
                        time(ctx, "created_lt"),
                        page(ctx, "credit_lines", "status"))))
        .add(
            "getCreditLine",
            ctx ->
                reply(
                    ctx, 200, lines.get(Call.of(ctx).clientId(), ctx.pathParam("credit_line_id"))))
        .add(
            "closeCreditLine",
            ctx -> reply(ctx, 200, lines.close(Call.of(ctx), ctx.pathParam("credit_line_id"))))
        .add("createEncounter", ctx -> reply(ctx, 201, encounters.create(Call.of(ctx), body(ctx))))
        .add(
            "listEncounters",
            ctx ->
                reply(
                    ctx,
                    200,
                    encounters.list(
                        Call.of(ctx).clientId(),
                        param(ctx, "status"),
                        param(ctx, "credit_line_id"),
                        time(ctx, "created_gte"),
                        time(ctx, "created_lt"),
                        page(ctx, "encounters", "status", "credit_line_id"))))
        .add(
            "getEncounter",
            ctx ->
                reply(
                    ctx,
                    200,
                    encounters.get(Call.of(ctx).clientId(), ctx.pathParam("encounter_id"))))
        .addTransactional(
            "cancelEncounter",
            ctx -> answer(ctx, encounters.cancel(Call.of(ctx), ctx.pathParam("encounter_id"))))
        .addTransactional(
            "createCharge",
            ctx ->
                answer(
                    ctx, encounters.charge(Call.of(ctx), ctx.pathParam("encounter_id"), body(ctx))))
        .add(
            "listCharges",
            ctx ->
                reply(
                    ctx,
                    200,
                    encounters.listCharges(
                        Call.of(ctx).clientId(),
                        ctx.pathParam("encounter_id"),
                        param(ctx, "status"),
                        page(ctx, "charges:" + ctx.pathParam("encounter_id"), "status"))))
        .addTransactional(
            "voidCharge",
            ctx ->
                answer(
                    ctx,
                    encounters.voidCharge(
                        Call.of(ctx),
                        ctx.pathParam("encounter_id"),
                        ctx.pathParam("charge_id"),
                        body(ctx).getString("reason"))))
        .addTransactional(
            "settleEncounter",
            ctx ->
                answer(
                    ctx,
                    settlements.settle(Call.of(ctx), ctx.pathParam("encounter_id"), body(ctx))))
        .add(
            "getSettlement",
            ctx ->
                reply(
                    ctx,
                    200,
                    settlements.get(Call.of(ctx).clientId(), ctx.pathParam("encounter_id"))))
        .addTransactional(
            "createCareRefund",
            ctx ->
                answer(
                    ctx,
                    settlements.refund(Call.of(ctx), ctx.pathParam("encounter_id"), body(ctx))))
        .add(
            "listCareRefunds",
            ctx ->
                reply(
                    ctx,
                    200,
                    settlements.listRefunds(
                        Call.of(ctx).clientId(),
                        ctx.pathParam("encounter_id"),
                        page(ctx, "care_refunds:" + ctx.pathParam("encounter_id")))))
        .add(
            "listDebts",
            ctx ->
                reply(
                    ctx,
                    200,
                    debts.list(
                        Call.of(ctx).clientId(),
                        param(ctx, "credit_line_id"),
                        param(ctx, "status"),
                        time(ctx, "created_gte"),
                        time(ctx, "created_lt"),
                        page(ctx, "debts", "credit_line_id", "status"))))
        .add(
            "getDebt",
            ctx -> reply(ctx, 200, debts.get(Call.of(ctx).clientId(), ctx.pathParam("debt_id"))))
        .addTransactional(
            "createRepayment",
            ctx ->
                answer(ctx, debts.repay(Call.of(ctx), ctx.pathParam("credit_line_id"), body(ctx))))
        .add(
            "listRepayments",
            ctx ->
                reply(
                    ctx,
                    200,
                    debts.listRepayments(
                        Call.of(ctx).clientId(),
                        ctx.pathParam("credit_line_id"),
                        page(ctx, "repayments:" + ctx.pathParam("credit_line_id")))));
  }

  /** The sandbox's fixture patients, as {@code listFixtures} shows them. */
  public static JsonArray fixturePatients() {
    JsonArray patients = new JsonArray();
    CreditPolicy policy = new CreditPolicy();
    CreditPolicy.FIXTURES.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              Patients.Patient patient =
                  new Patients.Patient(
                      e.getKey(), (String) e.getValue()[0], (String) e.getValue()[1]);
              CreditPolicy.Decision decision = policy.decide(patient, null);
              patients.add(
                  new JsonObject()
                      .put("id_number", patient.idNumber())
                      .put("name", patient.name())
                      .put("phone", patient.phone())
                      .put("profile", decision.profile().name())
                      .put("expected_limit", Rows.money(decision.limit()))
                      .put("description", decision.reason()));
            });
    return patients;
  }

  /** The page request; the cursor is bound to the list and its filters. */
  private static Page.Request page(RoutingContext ctx, String list, String... filters) {
    StringBuilder key = new StringBuilder(list);
    for (String filter : filters) {
      key.append('|').append(param(ctx, filter));
    }
    key.append('|').append(param(ctx, "created_gte")).append('|').append(param(ctx, "created_lt"));
    return Page.request(ctx, key.toString());
  }
}
