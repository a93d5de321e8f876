package io.scenebank.gateway.budget;

import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.db.LocalPostgres;
import io.scenebank.gateway.testing.Hospital;
import io.scenebank.gateway.testing.Partner;
import io.scenebank.gateway.testing.Platform;
import io.scenebank.gateway.testing.RoundTripCounter;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What each money operation costs the database, counted on the wire between the gateway and
 * PostgreSQL (a {@link RoundTripCounter} proxy): round trips and statements per call, averaged over
 * calls made one after another once the gateway is warm (prepared statements cached, accounts
 * created). The whole request counts: authentication, nonce, idempotency, the operation, and what
 * the gateway does right after it (the webhook nudge). A change that adds round trips to the money
 * path fails here.
 */
class RoundTripBudgetTest {

  /** The most round trips a money operation may cost. */
  static final double MONEY_BUDGET = 4.0;

  /**
   * A bill payment is its debit (two round trips, within {@link #MONEY_BUDGET}) and then, outside
   * that transaction, the biller's write-off and its confirmation transaction, the receipt, the
   * final read and the restated answer; those are sequential still.
   */
  static final double BILL_PAYMENT_BUDGET = 20.0;

  /** A signed read: its nonce recorded beside the read (two connections, one round trip each). */
  static final double READ_BUDGET = 2.0;

  private static final int CALLS = 10;
  private static final String EMPLOYER = "acc_9Rm4Tx7KqN2vW8pLb3Zd";
  private static final String EMPLOYEE = "acc_7Wb3Nq8KxT2mR6pLv4Zs";
  private static final String EMPLOYEE_CODE = "289999000000000011";
  private static final String PARTY_DUES = "blr_2Dz7Kc4MqV9xN3tRb6Wp";
  private static final String PAYER = "acc_5Tn9Qx2KmR7vL4pWb8Zc";

  private static LocalPostgres database;
  private static RoundTripCounter wire;
  private static Gateway gateway;
  private static TestApp app;

  /** Round trips and statements per call. */
  record Cost(double roundTrips, double statements) {}

  @BeforeAll
  static void start() {
    database = LocalPostgres.start(TestGateway.newDataDir("budget-db"));
    wire = new RoundTripCounter(database.port());
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "DATABASE_URL",
        "postgresql://postgres:" + database.password() + "@127.0.0.1:" + wire.port() + "/postgres");
    settings.put("SCENEBANK_MASTER_KEY", Base64.getEncoder().encodeToString(masterKey));
    settings.put("SCENEBANK_RATE_LIMIT_PER_SECOND", "100000");
    settings.put("SCENEBANK_RATE_LIMIT_BURST", "100000");
    settings.put("SCENEBANK_PAYMENT_VELOCITY_LIMIT", "1000000");
    // nothing runs in the background while calls are counted
    settings.put("SCENEBANK_WEBHOOK_POLL_MS", "60000");
    settings.put("SCENEBANK_SWEEP_INTERVAL_MS", "3600000");
    gateway = TestGateway.start(TestGateway.newDataDir("budget-gw"), settings);
    app = TestApp.signUp(gateway, SignatureAlgorithm.ED25519);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      await(gateway.stop());
    }
    wire.close();
    database.close();
  }

  @Test
  void moneyOperations_stayWithinTheirRoundTripBudget() {
    Map<String, Cost> costs = new LinkedHashMap<>();
    Hospital hospital = new Hospital(app);
    Platform platform = new Platform(app);
    Partner partner = new Partner(app);

    String lineId = hospital.line(Hospital.GOOD, 500_000L).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    costs.put(
        "createCharge",
        measure(i -> hospital.ok("createCharge", 201, hospital.charge(encounterId, 100))));

    List<String> toSettle = new ArrayList<>();
    for (int i = 0; i < CALLS + 2; i++) {
      String id = hospital.encounter(lineId).getString("id");
      hospital.held(id, 1_000);
      toSettle.add(id);
    }
    costs.put(
        "settleEncounter",
        measure(
            i ->
                hospital.ok(
                    "settleEncounter", 201, hospital.settle(toSettle.get(i), 400, 100, 500))));

    costs.put(
        "createRepayment",
        measure(i -> hospital.ok("createRepayment", 201, hospital.repay(lineId, 100))));

    String voidingId = hospital.encounter(lineId).getString("id");
    List<String> toVoid = new ArrayList<>();
    for (int i = 0; i < CALLS + 2; i++) {
      toVoid.add(hospital.held(voidingId, 100).getString("id"));
    }
    costs.put(
        "voidCharge",
        measure(
            i ->
                hospital.ok(
                    "voidCharge",
                    200,
                    hospital.post(
                        "/v1/care/encounters/" + voidingId + "/charges/" + toVoid.get(i) + "/void",
                        new JsonObject().put("reason", "ordered in error")))));

    List<String> toCancel = new ArrayList<>();
    for (int i = 0; i < CALLS + 2; i++) {
      String id = hospital.encounter(lineId).getString("id");
      hospital.held(id, 100);
      hospital.held(id, 200);
      toCancel.add(id);
    }
    costs.put(
        "cancelEncounter",
        measure(
            i ->
                hospital.ok(
                    "cancelEncounter",
                    200,
                    hospital.post(
                        "/v1/care/encounters/" + toCancel.get(i) + "/cancel",
                        new JsonObject().put("reason", "patient left")))));

    // partial refunds of one settled charge, each with a self-pay part: the debt is reduced too
    String refundLineId = hospital.line(Hospital.GOOD, 500_000L).getString("id");
    String refundingId = hospital.encounter(refundLineId).getString("id");
    String refundedCharge = hospital.held(refundingId, 100_000).getString("id");
    hospital.ok("settleEncounter", 201, hospital.settle(refundingId, 40_000, 10_000, 50_000));
    costs.put(
        "createCareRefund",
        measure(
            i ->
                hospital.ok(
                    "createCareRefund",
                    201,
                    hospital.refund(refundingId, refundedCharge, 100, 40, 10, 50))));

    String merchantId = platform.merchant().getString("id");
    List<String> paid = new ArrayList<>();
    costs.put(
        "createCodePayment",
        measure(
            i -> {
              JsonObject payment =
                  platform.ok(
                      "createCodePayment",
                      201,
                      platform.codePayment(merchantId, Platform.APPROVE_CODE, 1_000));
              paid.add(payment.getString("id"));
              return payment;
            }));

    List<String> orders = new ArrayList<>();
    for (int i = 0; i < CALLS + 2; i++) {
      orders.add(
          platform.ok("createQrOrder", 201, platform.qrOrder(merchantId, 500)).getString("id"));
    }
    costs.put(
        "payQrOrder",
        measure(
            i ->
                partner.ok(
                    "payQrOrder",
                    200,
                    partner.post(
                        "/v1/sandbox/payments/" + orders.get(i) + "/pay",
                        new JsonObject().put("payer_code", Platform.APPROVE_CODE)))));

    costs.put(
        "createRefund",
        measure(i -> platform.ok("createRefund", 201, platform.refund(paid.get(i), 100))));

    costs.put(
        "createBillPayment",
        measure(
            i ->
                partner.ok(
                    "createBillPayment",
                    201,
                    partner.post(
                        "/v1/bills/payments",
                        new JsonObject()
                            .put("biller_id", PARTY_DUES)
                            .put("account_number", "DY20260001")
                            .put("amount", Partner.money(100))
                            .put("payer", new JsonObject().put("account_id", PAYER))
                            .put("channel_reference", "BUDGET-" + UUID.randomUUID())))));

    String canteenId = platform.merchant().getString("id");
    String programmeId = fundCanteen(platform, canteenId);
    List<String> meals = new ArrayList<>();
    costs.put(
        "createCanteenPayment",
        measure(
            i -> {
              JsonObject payment =
                  platform.ok(
                      "createCanteenPayment",
                      201,
                      platform.post(
                          "/v1/canteen/payments",
                          new JsonObject()
                              .put("merchant_id", canteenId)
                              .put("payer_code", EMPLOYEE_CODE)
                              .put("amount", Partner.money(300))
                              .put("description", "午餐")
                              .put("merchant_order_ref", "POS-" + UUID.randomUUID())));
              meals.add(payment.getString("id"));
              return payment;
            }));
    costs.put(
        "createRefund (canteen)",
        measure(i -> platform.ok("createRefund", 201, platform.refund(meals.get(i), 100))));

    costs.put(
        "fundProgramme",
        measure(
            i ->
                platform.ok(
                    "fundProgramme",
                    201,
                    platform.post(
                        "/v1/canteen/programmes/" + programmeId + "/fundings",
                        new JsonObject()
                            .put("period", YearMonth.of(2030, 1).plusMonths(i).toString())))));

    costs.put(
        "enrolEmployee",
        measure(
            i ->
                platform.ok(
                    "enrolEmployee",
                    201,
                    platform.post(
                        "/v1/canteen/programmes/" + programmeId + "/enrolments",
                        new JsonObject()
                            .put("employee_ref", "B-" + UUID.randomUUID())
                            .put("name", "赵六")
                            .put("payer", new JsonObject().put("account_id", EMPLOYEE))))));

    costs.put(
        "listClientKeys (signed read)",
        measure(i -> partner.ok("listClientKeys", 200, partner.get("/v1/client/keys"))));
    costs.put(
        "getPayment (signed read)",
        measure(i -> partner.ok("getPayment", 200, partner.get("/v1/payments/" + paid.get(i)))));

    StringBuilder table =
        new StringBuilder("\nround trips and statements per call (" + CALLS + " calls each)\n");
    costs.forEach(
        (operation, cost) ->
            table.append(
                String.format(
                    "  %-30s %5.2f round trips %6.2f statements%n",
                    operation, cost.roundTrips(), cost.statements())));
    System.out.println(table);
    costs.forEach(
        (operation, cost) -> {
          double budget =
              operation.contains("read")
                  ? READ_BUDGET
                  : operation.equals("createBillPayment") ? BILL_PAYMENT_BUDGET : MONEY_BUDGET;
          assertThat(cost.roundTrips()).as(operation + table).isLessThanOrEqualTo(budget);
        });
  }

  /** A canteen with a funded programme and the sandbox employee enrolled; the programme's id. */
  private static String fundCanteen(Platform platform, String canteenId) {
    JsonObject slotAllDay =
        new JsonObject()
            .put("name", "全天")
            .put("start", "00:00")
            .put("end", "23:59")
            .put("per_meal_cap", Partner.money(1_000_000));
    String programmeId =
        platform
            .ok(
                "createSubsidyProgramme",
                201,
                platform.post(
                    "/v1/canteen/programmes",
                    new JsonObject()
                        .put("name", "工作餐补贴")
                        .put(
                            "employer",
                            new JsonObject()
                                .put("name", "江南科技有限公司")
                                .put("reference", "EMP-001")
                                .put(
                                    "funding_account",
                                    new JsonObject().put("account_id", EMPLOYER)))
                        .put("monthly_amount", Partner.money(30_000))
                        .put("meal_slots", new JsonArray().add(slotAllDay))
                        .put("canteen_merchant_ids", new JsonArray().add(canteenId))
                        .put("expiry", new JsonObject().put("policy", "MONTH_END"))))
            .getString("id");
    platform.ok(
        "enrolEmployee",
        201,
        platform.post(
            "/v1/canteen/programmes/" + programmeId + "/enrolments",
            new JsonObject()
                .put("employee_ref", "E10086")
                .put("name", "赵六")
                .put("payer", new JsonObject().put("account_id", EMPLOYEE))));
    OffsetDateTime now =
        OffsetDateTime.parse(
            platform.ok("getClock", 200, platform.get("/v1/sandbox/clock")).getString("now"));
    platform.ok(
        "fundProgramme",
        201,
        platform.post(
            "/v1/canteen/programmes/" + programmeId + "/fundings",
            new JsonObject()
                .put(
                    "period",
                    YearMonth.from(now.withOffsetSameInstant(ZoneOffset.ofHours(8))).toString())));
    return programmeId;
  }

  /**
   * Two calls to warm up (prepared statements, accounts), then {@link #CALLS} calls one after
   * another, counted.
   */
  private static Cost measure(IntFunction<Object> call) {
    call.apply(CALLS);
    call.apply(CALLS + 1);
    long roundTrips = wire.roundTrips();
    long statements = wire.statements();
    for (int i = 0; i < CALLS; i++) {
      call.apply(i);
    }
    return new Cost(
        (wire.roundTrips() - roundTrips) / (double) CALLS,
        (wire.statements() - statements) / (double) CALLS);
  }
}
