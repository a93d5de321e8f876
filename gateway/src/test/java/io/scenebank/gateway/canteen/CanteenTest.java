package io.scenebank.gateway.canteen;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.Partner.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.Platform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A smart canteen: the employer's subsidy first, the employee's own funds for the rest. */
class CanteenTest {

  private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
  private static final String EMPLOYER = "acc_9Rm4Tx7KqN2vW8pLb3Zd";
  private static final String EMPLOYEE = "acc_7Wb3Nq8KxT2mR6pLv4Zs";
  private static final String EMPLOYEE_CODE = "289999000000000011";

  private final Platform platform = new Platform("canteen");
  private String canteenId;

  @BeforeEach
  void setUp() {
    canteenId = platform.merchant().getString("id");
  }

  @AfterEach
  void ledgerStaysBalanced() {
    assertLedgerBalanced();
  }

  private static JsonObject slot(String name, String start, String end, long cap) {
    return new JsonObject()
        .put("name", name)
        .put("start", start)
        .put("end", end)
        .put("per_meal_cap", Platform.money(cap));
  }

  private JsonObject programmeBody(JsonArray slots, JsonObject expiry) {
    return new JsonObject()
        .put("name", "2026 年工作餐补贴")
        .put(
            "employer",
            new JsonObject()
                .put("name", "江南科技有限公司")
                .put("reference", "EMP-001")
                .put("funding_account", new JsonObject().put("account_id", EMPLOYER)))
        .put("monthly_amount", Platform.money(30_000))
        .put("meal_slots", slots)
        .put("canteen_merchant_ids", new JsonArray().add(canteenId))
        .put("expiry", expiry);
  }

  private JsonObject programme() {
    return platform.ok(
        "createSubsidyProgramme",
        201,
        platform.post(
            "/v1/canteen/programmes",
            programmeBody(
                new JsonArray()
                    .add(slot("午餐", "11:00", "13:30", 1_500))
                    .add(slot("晚餐", "17:00", "19:00", 1_500)),
                new JsonObject().put("policy", "MONTH_END"))));
  }

  private JsonObject enrol(String programmeId) {
    return platform.ok(
        "enrolEmployee",
        201,
        platform.post(
            "/v1/canteen/programmes/" + programmeId + "/enrolments",
            new JsonObject()
                .put("employee_ref", "E10086")
                .put("name", "赵六")
                .put("payer", new JsonObject().put("account_id", EMPLOYEE))));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.parse(
        platform.ok("getClock", 200, platform.get("/v1/sandbox/clock")).getString("now"));
  }

  /** The latest time of day {@code hour:minute} (China) not after the app's now. */
  private OffsetDateTime latest(int hour, int minute) {
    OffsetDateTime now = now().withOffsetSameInstant(CHINA);
    OffsetDateTime at = now.withHour(hour).withMinute(minute).withSecond(0).withNano(0);
    return at.isAfter(now) ? at.minusDays(1) : at;
  }

  private Http.Response pay(long amount, OffsetDateTime mealTime) {
    JsonObject body =
        new JsonObject()
            .put("merchant_id", canteenId)
            .put("payer_code", EMPLOYEE_CODE)
            .put("amount", Platform.money(amount))
            .put("description", "午餐")
            .put("merchant_order_ref", "POS-" + UUID.randomUUID());
    if (mealTime != null) {
      body.put(
          "meal_time", java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(mealTime));
    }
    return platform.post("/v1/canteen/payments", body);
  }

  private JsonObject wallet(String walletId) {
    return platform.ok("getWallet", 200, platform.get("/v1/canteen/wallets/" + walletId));
  }

  @Test
  void programmes_areChecked() {
    JsonArray overlapping =
        new JsonArray()
            .add(slot("午餐", "11:00", "13:30", 1_500))
            .add(slot("加餐", "13:00", "14:00", 500));
    assertProblem(
        platform.post(
            "/v1/canteen/programmes",
            programmeBody(overlapping, new JsonObject().put("policy", "MONTH_END"))),
        422,
        "meal_slots_overlap");
    JsonArray backwards = new JsonArray().add(slot("午餐", "13:30", "11:00", 1_500));
    assertProblem(
        platform.post(
            "/v1/canteen/programmes",
            programmeBody(backwards, new JsonObject().put("policy", "MONTH_END"))),
        422,
        "meal_slots_overlap");
    assertProblem(
        platform.post(
            "/v1/canteen/programmes",
            programmeBody(
                new JsonArray().add(slot("午餐", "11:00", "13:30", 1_500)),
                new JsonObject().put("policy", "DAYS"))),
        422,
        "expiry_days_required");
    JsonObject stranger =
        programmeBody(
            new JsonArray().add(slot("午餐", "11:00", "13:30", 1_500)),
            new JsonObject().put("policy", "MONTH_END"));
    stranger.put("canteen_merchant_ids", new JsonArray().add("mch_0000000000000000"));
    assertProblem(platform.post("/v1/canteen/programmes", stranger), 422, "merchant_not_eligible");

    String programmeId = programme().getString("id");
    enrol(programmeId);
    assertProblem(
        platform.post(
            "/v1/canteen/programmes/" + programmeId + "/enrolments",
            new JsonObject()
                .put("employee_ref", "E10086")
                .put("name", "赵六")
                .put("payer", new JsonObject().put("account_id", EMPLOYEE))),
        409,
        "employee_already_enrolled");
    JsonObject got =
        platform.ok(
            "getSubsidyProgramme", 200, platform.get("/v1/canteen/programmes/" + programmeId));
    assertThat(got.getInteger("enrolled_count")).isEqualTo(1);
  }

  @Test
  void aMonthOfSubsidy_paysMealsFirst_ownFundsTheRest_andExpiresToTheEmployer() {
    // the meals below fall between 12:00 and 15:30 of the app's day: start at 16:00 (China), so
    // that they are all in the past and within the last 24 hours whatever the time of day
    OffsetDateTime start = now().withOffsetSameInstant(CHINA);
    OffsetDateTime four = start.withHour(16).withMinute(0).withSecond(0).withNano(0);
    platform.advanceSeconds(
        java.time.Duration.between(start, four.isAfter(start) ? four : four.plusDays(1))
            .getSeconds());
    String programmeId = programme().getString("id");
    JsonObject enrolment = enrol(programmeId);
    assertThat(enrolment.getString("name_masked")).isEqualTo("赵*");
    String walletId = enrolment.getString("wallet_id");
    String fundings = "/v1/canteen/programmes/" + programmeId + "/fundings";
    assertProblem(
        platform.post(
            "/v1/canteen/programmes/" + programme().getString("id") + "/fundings",
            new JsonObject().put("period", YearMonth.now(CHINA).toString())),
        422,
        "no_active_enrolments");
    String period = YearMonth.from(now().withOffsetSameInstant(CHINA)).toString();
    JsonObject funding =
        platform.ok(
            "fundProgramme", 201, platform.post(fundings, new JsonObject().put("period", period)));
    assertThat(funding.getJsonObject("total").getLong("amount")).isEqualTo(30_000);
    assertProblem(
        platform.post(fundings, new JsonObject().put("period", period)),
        409,
        "period_already_funded");
    assertThat(platform.events("subsidy.funded")).hasSize(1);
    JsonObject wallet = wallet(walletId);
    assertThat(wallet.getJsonObject("subsidy_balance").getLong("amount")).isEqualTo(30_000);
    assertThat(wallet.getJsonObject("own_funds_available").getLong("amount")).isEqualTo(128_000);

    // lunch: ¥15 of subsidy at most, the rest from own funds
    OffsetDateTime lunch = latest(12, 0);
    JsonObject first = platform.ok("createCanteenPayment", 201, pay(2_000, lunch));
    assertThat(first.getString("status")).isEqualTo("SUCCEEDED");
    assertThat(first.getString("type")).isEqualTo("CANTEEN");
    assertThat(first.getJsonObject("funding").getJsonObject("subsidy").getLong("amount"))
        .isEqualTo(1_500);
    assertThat(first.getJsonObject("funding").getJsonObject("own_funds").getLong("amount"))
        .isEqualTo(500);
    assertThat(first.getJsonObject("funding").getString("meal_slot")).isEqualTo("午餐");
    // a second lunch the same day: the cap is used up
    JsonObject second = platform.ok("createCanteenPayment", 201, pay(800, lunch.plusMinutes(20)));
    assertThat(second.getJsonObject("funding").getJsonObject("subsidy").getLong("amount")).isZero();
    // outside any meal slot: own funds only
    JsonObject snack = platform.ok("createCanteenPayment", 201, pay(600, latest(15, 30)));
    assertThat(snack.getJsonObject("funding").getJsonObject("subsidy").getLong("amount")).isZero();
    wallet = wallet(walletId);
    assertThat(wallet.getJsonObject("subsidy_balance").getLong("amount")).isEqualTo(28_500);
    assertThat(wallet.getJsonObject("own_funds_available").getLong("amount"))
        .isEqualTo(128_000 - 500 - 800 - 600);

    // more than own funds can cover: declined, nothing moves
    JsonObject declined =
        platform.ok("createCanteenPayment", 201, pay(200_000, lunch.minusDays(0).plusMinutes(40)));
    assertThat(declined.getString("status")).isEqualTo("DECLINED");
    assertThat(declined.getString("decline_code")).isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(wallet(walletId).getJsonObject("subsidy_balance").getLong("amount"))
        .isEqualTo(28_500);

    // refund 700 of the first lunch: the 500 own funds back first, then 200 to the wallet
    JsonObject refund =
        platform.ok("createRefund", 201, platform.refund(first.getString("id"), 700));
    assertThat(refund.getJsonObject("funding").getJsonObject("own_funds").getLong("amount"))
        .isEqualTo(500);
    assertThat(refund.getJsonObject("funding").getJsonObject("subsidy").getLong("amount"))
        .isEqualTo(200);
    wallet = wallet(walletId);
    assertThat(wallet.getJsonObject("subsidy_balance").getLong("amount")).isEqualTo(28_700);
    assertThat(wallet.getJsonObject("own_funds_available").getLong("amount"))
        .isEqualTo(128_000 - 800 - 600);
    assertProblem(platform.refund(first.getString("id"), 1_301), 422, "refund_exceeds_paid");

    // at the end of the month the unspent subsidy goes back to the employer
    OffsetDateTime monthEnd =
        YearMonth.parse(period).plusMonths(1).atDay(1).atStartOfDay().atOffset(CHINA);
    platform.advanceSeconds(java.time.Duration.between(now(), monthEnd).getSeconds() + 60);
    JsonObject expired = wallet(walletId);
    assertThat(expired.getJsonObject("subsidy_balance").getLong("amount")).isZero();
    assertThat(expired.getJsonObject("expired_last").getLong("amount")).isEqualTo(28_700);
    assertThat(platform.events("subsidy.expired")).hasSize(1);
    // and a refund of subsidy after that goes back to the employer too, never out as cash
    JsonObject late =
        platform.ok("createRefund", 201, platform.refund(first.getString("id"), 1_300));
    assertThat(late.getJsonObject("funding").getJsonObject("subsidy").getLong("amount"))
        .isEqualTo(1_300);
    assertThat(wallet(walletId).getJsonObject("subsidy_balance").getLong("amount")).isZero();
  }

  @Test
  void canteenPayments_refuseStrangers_andTimeTravel() {
    String programmeId = programme().getString("id");
    enrol(programmeId);
    JsonObject stranger =
        new JsonObject()
            .put("merchant_id", canteenId)
            .put("employee_ref", "E99999")
            .put("programme_id", programmeId)
            .put("amount", Platform.money(1_000))
            .put("description", "午餐")
            .put("merchant_order_ref", "POS-" + UUID.randomUUID());
    assertProblem(platform.post("/v1/canteen/payments", stranger), 422, "not_enrolled");
    assertProblem(pay(1_000, now().plusHours(2)), 422, "meal_time_out_of_range");
    assertProblem(pay(1_000, now().minusHours(25)), 422, "meal_time_out_of_range");
    // the staff card works like the code
    JsonObject card =
        stranger
            .copy()
            .put("employee_ref", "E10086")
            .put("merchant_order_ref", "POS-" + UUID.randomUUID());
    assertThat(
            platform
                .ok("createCanteenPayment", 201, platform.post("/v1/canteen/payments", card))
                .getString("status"))
        .isEqualTo("SUCCEEDED");
    JsonObject list = platform.ok("listPayments", 200, platform.get("/v1/payments?type=CANTEEN"));
    assertThat(list.getJsonArray("data")).hasSize(1);
  }
}
