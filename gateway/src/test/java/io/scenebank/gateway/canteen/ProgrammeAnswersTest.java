package io.scenebank.gateway.canteen;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.Partner.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.Platform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Enrolments and fundings run through {@code Transactions}: what they answer (and the events they
 * write) is what the stored rows show afterwards, refusals change nothing, a retry replays.
 */
class ProgrammeAnswersTest {

  private static final String EMPLOYER = "acc_9Rm4Tx7KqN2vW8pLb3Zd";
  private static final String EMPLOYEE = "acc_7Wb3Nq8KxT2mR6pLv4Zs";

  private final Platform platform = new Platform("canteen");

  @AfterEach
  void ledgerStaysBalanced() {
    assertLedgerBalanced();
  }

  private String programme() {
    String canteenId = platform.merchant().getString("id");
    return platform
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
                            .put("funding_account", new JsonObject().put("account_id", EMPLOYER)))
                    .put("monthly_amount", Platform.money(30_000))
                    .put(
                        "meal_slots",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("name", "午餐")
                                    .put("start", "11:00")
                                    .put("end", "13:30")
                                    .put("per_meal_cap", Platform.money(1_500))))
                    .put("canteen_merchant_ids", new JsonArray().add(canteenId))
                    .put("expiry", new JsonObject().put("policy", "MONTH_END"))))
        .getString("id");
  }

  private Http.Response enrol(String programmeId, String employeeRef) {
    return platform.post(
        "/v1/canteen/programmes/" + programmeId + "/enrolments",
        new JsonObject()
            .put("employee_ref", employeeRef)
            .put("name", "赵六")
            .put("payer", new JsonObject().put("account_id", EMPLOYEE))
            .put("metadata", new JsonObject().put("team", "ops")));
  }

  private Http.Response fund(String programmeId, String period, Long each) {
    JsonObject body = new JsonObject().put("period", period);
    if (each != null) {
      body.put("amount_per_employee", Platform.money(each));
    }
    return platform.post("/v1/canteen/programmes/" + programmeId + "/fundings", body);
  }

  @Test
  void enrolment_answersTheEnrolmentAsStored_andRefusesTheSameEmployeeTwice() {
    String programmeId = programme();
    JsonObject enrolment = platform.ok("enrolEmployee", 201, enrol(programmeId, "E1"));
    assertThat(enrolment.getString("name_masked")).isNotEqualTo("赵六");
    assertThat(enrolment.getJsonObject("payer").getString("account_masked")).isNotNull();
    JsonArray listed =
        platform
            .ok(
                "listEnrolments",
                200,
                platform.get("/v1/canteen/programmes/" + programmeId + "/enrolments"))
            .getJsonArray("data");
    assertThat(listed).containsExactly(enrolment);
    JsonObject problem = assertProblem(enrol(programmeId, "E1"), 409, "employee_already_enrolled");
    assertThat(problem.getString("detail")).contains(enrolment.getString("id"));
    assertProblem(enrol("sbp_00000000000000000000", "E1"), 404, "not_found");
    assertProblem(
        platform.post(
            "/v1/canteen/programmes/" + programmeId + "/enrolments",
            new JsonObject()
                .put("employee_ref", "E2")
                .put("name", "赵六")
                .put("payer", new JsonObject().put("account_id", "acc_00000000000000000000"))),
        404,
        "not_found");
  }

  @Test
  void funding_answersTheFundingAsStored_creditsEachWallet_andReplays() {
    String programmeId = programme();
    assertProblem(fund(programmeId, "2026-11", null), 422, "no_active_enrolments");
    String first =
        platform.ok("enrolEmployee", 201, enrol(programmeId, "E1")).getString("wallet_id");
    String second =
        platform.ok("enrolEmployee", 201, enrol(programmeId, "E2")).getString("wallet_id");
    String key = UUID.randomUUID().toString();
    Http.Response response =
        platform.post(
            "/v1/canteen/programmes/" + programmeId + "/fundings",
            new JsonObject().put("period", "2030-01"),
            key);
    JsonObject funding = platform.ok("fundProgramme", 201, response);
    assertThat(funding.getInteger("employees_funded")).isEqualTo(2);
    assertThat(funding.getJsonObject("total").getLong("amount")).isEqualTo(60_000);
    assertThat(funding.getString("expires_at")).isEqualTo("2030-02-01T00:00:00+08:00");
    assertThat(
            platform
                .ok(
                    "listFundings",
                    200,
                    platform.get("/v1/canteen/programmes/" + programmeId + "/fundings"))
                .getJsonArray("data"))
        .containsExactly(funding);
    JsonArray events = platform.events("subsidy.funded");
    JsonObject event = null;
    for (int i = 0; i < events.size(); i++) {
      JsonObject object = events.getJsonObject(i).getJsonObject("data").getJsonObject("object");
      if (object.getString("id").equals(funding.getString("id"))) {
        event = object;
      }
    }
    assertThat(event).isEqualTo(funding);
    for (String wallet : new String[] {first, second}) {
      JsonObject json =
          platform.ok("getWallet", 200, platform.get("/v1/canteen/wallets/" + wallet));
      assertThat(json.getJsonObject("subsidy_balance").getLong("amount")).isEqualTo(30_000);
    }

    Http.Response again =
        platform.post(
            "/v1/canteen/programmes/" + programmeId + "/fundings",
            new JsonObject().put("period", "2030-01"),
            key);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.json()).isEqualTo(funding);

    JsonObject problem =
        assertProblem(fund(programmeId, "2030-01", null), 409, "period_already_funded");
    assertThat(problem.getString("detail")).contains(funding.getString("id"));
    assertProblem(fund(programmeId, "2030-02", 100_000_000L), 422, "insufficient_funds");
    assertProblem(fund("sbp_00000000000000000000", "2030-02", null), 404, "not_found");
    assertThat(
            platform
                .ok(
                    "listFundings",
                    200,
                    platform.get("/v1/canteen/programmes/" + programmeId + "/fundings"))
                .getJsonArray("data"))
        .hasSize(1);
  }
}
