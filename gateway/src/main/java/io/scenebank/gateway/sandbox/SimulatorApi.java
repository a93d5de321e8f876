package io.scenebank.gateway.sandbox;

import static io.scenebank.gateway.http.Handlers.sandboxOnly;

import io.scenebank.gateway.bills.BillsApi;
import io.scenebank.gateway.canteen.CanteenApi;
import io.scenebank.gateway.care.CareApi;
import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.http.Responses;
import io.scenebank.gateway.merchants.MerchantsApi;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Times;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.Sweeper;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * The sandbox's simulators (scope {@code sandbox}): the app's clock, and the fixtures. In
 * production every one of them answers {@code 404}.
 */
public final class SimulatorApi {

  private final Pool pool;
  private final AppClock clock;
  private final Sweeper sweeper;
  private final Mode mode;

  public SimulatorApi(Pool pool, AppClock clock, Sweeper sweeper, Mode mode) {
    this.pool = pool;
    this.clock = clock;
    this.sweeper = sweeper;
    this.mode = mode;
  }

  public void register(Operations operations) {
    operations
        .add("getClock", sandboxOnly(mode, this::getClock))
        .add("advanceClock", sandboxOnly(mode, this::advanceClock))
        .add("listFixtures", sandboxOnly(mode, this::listFixtures));
  }

  private void getClock(RoutingContext ctx) {
    clock
        .offsetSeconds(pool, Call.of(ctx).clientId())
        .onSuccess(offset -> Responses.json(ctx, 200, clockJson(offset)))
        .onFailure(ctx::fail);
  }

  /** Moves the app's clock, then runs everything that fell due before answering. */
  private void advanceClock(RoutingContext ctx) {
    String clientId = Call.of(ctx).clientId();
    long seconds = ctx.body().asJsonObject().getLong("seconds");
    clock
        .advance(pool, clientId, seconds)
        .compose(offset -> sweeper.runFor(clientId).map(offset))
        .onSuccess(offset -> Responses.json(ctx, 200, clockJson(offset)))
        .onFailure(ctx::fail);
  }

  private static JsonObject clockJson(long offset) {
    return new JsonObject()
        .put("object", "sandbox_clock")
        .put("livemode", false)
        .put("now", Times.format(AppClock.at(offset)))
        .put("offset_seconds", offset);
  }

  private void listFixtures(RoutingContext ctx) {
    Responses.json(
        ctx,
        200,
        new JsonObject()
            .put("object", "sandbox_fixtures")
            .put("livemode", false)
            .put("patients", CareApi.fixturePatients())
            .put("bill_accounts", BillsApi.billAccountFixtures())
            .put("payer_accounts", BillsApi.payerAccountFixtures())
            .put("payer_codes", MerchantsApi.payerCodeFixtures())
            .put("employees", CanteenApi.employeeFixtures())
            .put("magic_amounts", BillsApi.magicAmounts().addAll(MerchantsApi.magicAmounts()))
            .put("merchant_licences", MerchantsApi.licenceFixtures()));
  }
}
