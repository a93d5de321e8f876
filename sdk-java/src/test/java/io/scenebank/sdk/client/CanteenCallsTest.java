package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.DeclinedException;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.NotFoundException;
import io.scenebank.sdk.PermissionException;
import io.scenebank.sdk.RequestOptions;
import io.scenebank.sdk.internal.client.Mapper;
import io.scenebank.sdk.model.CreateCanteenPaymentRequest;
import io.scenebank.sdk.model.CreateSubsidyProgrammeRequest;
import io.scenebank.sdk.model.EnrolEmployeeRequest;
import io.scenebank.sdk.model.Enrolment;
import io.scenebank.sdk.model.EnrolmentList;
import io.scenebank.sdk.model.FundProgrammeRequest;
import io.scenebank.sdk.model.Payment;
import io.scenebank.sdk.model.SubsidyExpiry;
import io.scenebank.sdk.model.SubsidyFunding;
import io.scenebank.sdk.model.SubsidyFundingList;
import io.scenebank.sdk.model.SubsidyProgramme;
import io.scenebank.sdk.model.SubsidyProgrammeList;
import io.scenebank.sdk.model.Wallet;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Each typed canteen call sends the contract's method, path, query and body (with an idempotency
 * key on every POST) and reads the answer into its model; the gateway's codes become the SDK's
 * exceptions. Bodies and answers are the contract's examples.
 */
class CanteenCallsTest extends TypedCallsHarness {

  static final String PROGRAMME_ID = "sbp_6Kt2Wq9NxR4mV7pLb3Zs";
  static final String WALLET_ID = "wal_8Nq3Kx6TmR2vP7bLw4Zc";
  static final String CANTEEN_ID = "mch_5Cw9Rn2TxK7pQ3vLm8Zf";

  static final String PROGRAMME_REQUEST =
      "{\"name\":\"2026 午餐补贴\",\"employer\":{\"name\":\"江南科技有限公司（示例）\","
          + "\"reference\":\"EMP-0042\",\"funding_account\":{\"account_id\":\"acc_9Rm4Tx7KqN2vW8pLb3Zd\"}},"
          + "\"monthly_amount\":{\"amount\":40000,\"currency\":\"CNY\"},"
          + "\"meal_slots\":[{\"name\":\"午餐\",\"start\":\"11:00\",\"end\":\"13:30\","
          + "\"per_meal_cap\":{\"amount\":1500,\"currency\":\"CNY\"}},"
          + "{\"name\":\"晚餐\",\"start\":\"17:00\",\"end\":\"19:30\","
          + "\"per_meal_cap\":{\"amount\":1200,\"currency\":\"CNY\"}}],"
          + "\"canteen_merchant_ids\":[\"mch_5Cw9Rn2TxK7pQ3vLm8Zf\"],\"expiry\":{\"policy\":\"MONTH_END\"}}";
  static final String PROGRAMME =
      "{\"id\":\"sbp_6Kt2Wq9NxR4mV7pLb3Zs\",\"object\":\"subsidy_programme\",\"livemode\":false,"
          + "\"name\":\"2026 午餐补贴\",\"status\":\"ACTIVE\",\"employer\":{\"name\":\"江南科技有限公司（示例）\","
          + "\"reference\":\"EMP-0042\",\"funding_account\":{\"account_id\":\"acc_9Rm4Tx7KqN2vW8pLb3Zd\","
          + "\"account_masked\":\"6230********7710\"}},\"monthly_amount\":{\"amount\":40000,\"currency\":\"CNY\"},"
          + "\"meal_slots\":[{\"name\":\"午餐\",\"start\":\"11:00\",\"end\":\"13:30\","
          + "\"per_meal_cap\":{\"amount\":1500,\"currency\":\"CNY\"}},"
          + "{\"name\":\"晚餐\",\"start\":\"17:00\",\"end\":\"19:30\","
          + "\"per_meal_cap\":{\"amount\":1200,\"currency\":\"CNY\"}}],"
          + "\"canteen_merchant_ids\":[\"mch_5Cw9Rn2TxK7pQ3vLm8Zf\"],\"expiry\":{\"policy\":\"MONTH_END\"},"
          + "\"enrolled_count\":238,\"created_at\":\"2026-11-01T09:00:00+08:00\","
          + "\"updated_at\":\"2026-11-03T10:00:00+08:00\"}";
  static final String ENROLMENT_REQUEST =
      "{\"employee_ref\":\"E10086\",\"name\":\"赵六\",\"payer\":{\"account_id\":\"acc_7Wb3Nq8KxT2mR6pLv4Zs\"}}";
  static final String ENROLMENT =
      "{\"id\":\"enr_3Rx7Tm2QkN9vL4pWb8Zd\",\"object\":\"enrolment\",\"livemode\":false,"
          + "\"programme_id\":\"sbp_6Kt2Wq9NxR4mV7pLb3Zs\",\"employee_ref\":\"E10086\","
          + "\"name_masked\":\"赵*\",\"payer\":{\"account_id\":\"acc_7Wb3Nq8KxT2mR6pLv4Zs\","
          + "\"account_masked\":\"6230********3306\"},\"wallet_id\":\"wal_8Nq3Kx6TmR2vP7bLw4Zc\","
          + "\"status\":\"ACTIVE\",\"created_at\":\"2026-11-01T09:05:00+08:00\","
          + "\"updated_at\":\"2026-11-01T09:05:00+08:00\"}";
  static final String FUNDING =
      "{\"id\":\"fnd_2Tq7Xm4KvN9pR3bLw6Zd\",\"object\":\"subsidy_funding\",\"livemode\":false,"
          + "\"programme_id\":\"sbp_6Kt2Wq9NxR4mV7pLb3Zs\",\"period\":\"2026-11\","
          + "\"amount_per_employee\":{\"amount\":40000,\"currency\":\"CNY\"},\"employees_funded\":238,"
          + "\"total\":{\"amount\":9520000,\"currency\":\"CNY\"},"
          + "\"expires_at\":\"2026-12-01T00:00:00+08:00\",\"created_at\":\"2026-11-01T09:30:00+08:00\"}";
  static final String WALLET =
      "{\"id\":\"wal_8Nq3Kx6TmR2vP7bLw4Zc\",\"object\":\"wallet\",\"livemode\":false,"
          + "\"programme_id\":\"sbp_6Kt2Wq9NxR4mV7pLb3Zs\",\"enrolment_id\":\"enr_3Rx7Tm2QkN9vL4pWb8Zd\","
          + "\"employee_ref\":\"E10086\",\"subsidy_balance\":{\"amount\":23500,\"currency\":\"CNY\"},"
          + "\"expires_at\":\"2026-12-01T00:00:00+08:00\","
          + "\"own_funds_available\":{\"amount\":128000,\"currency\":\"CNY\"},"
          + "\"created_at\":\"2026-11-01T09:05:00+08:00\",\"updated_at\":\"2026-11-23T12:02:11+08:00\"}";
  static final String STAFF_CARD_PAYMENT_REQUEST =
      "{\"merchant_id\":\"mch_5Cw9Rn2TxK7pQ3vLm8Zf\",\"employee_ref\":\"E10086\","
          + "\"programme_id\":\"sbp_6Kt2Wq9NxR4mV7pLb3Zs\",\"amount\":{\"amount\":1800,\"currency\":\"CNY\"},"
          + "\"description\":\"午餐：红烧肉套餐\",\"merchant_order_ref\":\"CT20261123-1202-0032\","
          + "\"meal_time\":\"2026-11-23T12:02:00+08:00\"}";
  static final String CANTEEN_PAYMENT =
      "{\"id\":\"pay_9Qt4Kx7NmR2vL6pWb3Zs\",\"object\":\"payment\",\"livemode\":false,"
          + "\"type\":\"CANTEEN\",\"status\":\"SUCCEEDED\",\"merchant_id\":\"mch_5Cw9Rn2TxK7pQ3vLm8Zf\","
          + "\"amount\":{\"amount\":1800,\"currency\":\"CNY\"},"
          + "\"refunded_amount\":{\"amount\":0,\"currency\":\"CNY\"},\"description\":\"午餐：红烧肉套餐\","
          + "\"merchant_order_ref\":\"CT20261123-1202-0031\",\"paid_at\":\"2026-11-23T12:02:11+08:00\","
          + "\"payer\":{\"account_id\":\"acc_7Wb3Nq8KxT2mR6pLv4Zs\",\"account_masked\":\"6230********3306\","
          + "\"name_masked\":\"赵*\"},\"funding\":{\"subsidy\":{\"amount\":1500,\"currency\":\"CNY\"},"
          + "\"own_funds\":{\"amount\":300,\"currency\":\"CNY\"},"
          + "\"programme_id\":\"sbp_6Kt2Wq9NxR4mV7pLb3Zs\",\"wallet_id\":\"wal_8Nq3Kx6TmR2vP7bLw4Zc\","
          + "\"meal_slot\":\"午餐\"},\"created_at\":\"2026-11-23T12:02:11+08:00\","
          + "\"updated_at\":\"2026-11-23T12:02:11+08:00\"}";

  static String list(String item, boolean hasMore) {
    return CareCallsTest.list(item, hasMore);
  }

  static <T> T example(String json, Class<T> type) throws IOException {
    return Mapper.MAPPER.readValue(json, type);
  }

  // programmes

  @Test
  void createSubsidyProgramme_postsTheProgrammeWithAFreshIdempotencyKey_andReadsIt()
      throws IOException {
    answer(201, PROGRAMME.replace("\"enrolled_count\":238", "\"enrolled_count\":0"));

    SubsidyProgramme programme =
        client
            .canteen()
            .createSubsidyProgramme(
                example(PROGRAMME_REQUEST, CreateSubsidyProgrammeRequest.class));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/canteen/programmes");
    assertThat(withoutEmptyContainers(postedJson(call))).isEqualTo(json(PROGRAMME_REQUEST));
    assertThat(call.header("idempotency-key")).matches("[0-9a-f-]{36}");
    assertThat(programme.getId()).isEqualTo(PROGRAMME_ID);
    assertThat(programme.getStatus()).isEqualTo(SubsidyProgramme.StatusEnum.ACTIVE);
    assertThat(programme.getEmployer().getFundingAccount().getAccountMasked())
        .isEqualTo("6230********7710");
    assertThat(programme.getMealSlots())
        .extracting(slot -> slot.getName() + " " + slot.getStart() + "-" + slot.getEnd())
        .containsExactly("午餐 11:00-13:30", "晚餐 17:00-19:30");
    assertThat(programme.getMealSlots().get(0).getPerMealCap().getAmount()).isEqualTo(1500L);
    assertThat(programme.getExpiry().getPolicy()).isEqualTo(SubsidyExpiry.PolicyEnum.MONTH_END);
    assertThat(programme.getEnrolledCount()).isZero();
  }

  @Test
  void createSubsidyProgramme_withYourKey_sendsThatKey_andRefusalsAreDeclined() {
    problem(422, "meal_slots_overlap");
    problem(422, "merchant_not_eligible");
    CreateSubsidyProgrammeRequest request = new CreateSubsidyProgrammeRequest().name("x");

    assertThatThrownBy(
            () ->
                client
                    .canteen()
                    .createSubsidyProgramme(request, RequestOptions.idempotencyKey("sbp-2026")))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("meal_slots_overlap"));
    assertThatThrownBy(() -> client.canteen().createSubsidyProgramme(request))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("merchant_not_eligible"));
    assertThat(http.calls.get(0).header("idempotency-key")).isEqualTo("sbp-2026");
    assertThat(http.calls.get(1).header("idempotency-key")).isNotEqualTo("sbp-2026");
  }

  @Test
  void listSubsidyProgrammes_sendsStatusLimitAndCursor_andGetSubsidyProgrammeItsPath() {
    answer(200, list(PROGRAMME, true));
    answer(200, list(PROGRAMME, false));
    answer(200, PROGRAMME);
    problem(404, "not_found");

    SubsidyProgrammeList page =
        client.canteen().listSubsidyProgrammes(SubsidyProgramme.StatusEnum.CLOSED, 5, "c/1");
    client.canteen().listSubsidyProgrammes(null, null, null);
    SubsidyProgramme programme = client.canteen().getSubsidyProgramme(PROGRAMME_ID);
    assertThatThrownBy(() -> client.canteen().getSubsidyProgramme("sbp_0000000000000000"))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.code()).isEqualTo("not_found"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/canteen/programmes?status=CLOSED&limit=5&cursor=c%2F1",
            "GET /v1/canteen/programmes",
            "GET /v1/canteen/programmes/" + PROGRAMME_ID,
            "GET /v1/canteen/programmes/sbp_0000000000000000");
    assertThat(page.getHasMore()).isTrue();
    assertThat(page.getData()).extracting(SubsidyProgramme::getId).containsExactly(PROGRAMME_ID);
    assertThat(programme.getCanteenMerchantIds()).containsExactly(CANTEEN_ID);
    assertThat(programme.getEnrolledCount()).isEqualTo(238);
  }

  @Test
  void listSubsidyProgrammes_withoutTheCanteenScope_isAPermissionError() {
    problem(403, "insufficient_scope");

    assertThatThrownBy(() -> client.canteen().listSubsidyProgrammes(null, null, null))
        .isInstanceOfSatisfying(
            PermissionException.class, e -> assertThat(e.code()).isEqualTo("insufficient_scope"));
  }

  // enrolments

  @Test
  void enrolEmployee_postsTheEmployeeToTheProgrammesPath_andReadsTheWallet() throws IOException {
    answer(201, ENROLMENT);

    Enrolment enrolment =
        client
            .canteen()
            .enrolEmployee(
                PROGRAMME_ID,
                example(ENROLMENT_REQUEST, EnrolEmployeeRequest.class),
                RequestOptions.idempotencyKey("enrol-E10086"));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/canteen/programmes/" + PROGRAMME_ID + "/enrolments");
    assertThat(withoutEmptyContainers(postedJson(call))).isEqualTo(json(ENROLMENT_REQUEST));
    assertThat(call.header("idempotency-key")).isEqualTo("enrol-E10086");
    assertThat(enrolment.getWalletId()).isEqualTo(WALLET_ID);
    assertThat(enrolment.getNameMasked()).isEqualTo("赵*");
    assertThat(enrolment.getStatus()).isEqualTo(Enrolment.StatusEnum.ACTIVE);
  }

  @Test
  void enrolEmployee_refusals_mapToConflictsAndNotFound() {
    problem(409, "employee_already_enrolled");
    problem(409, "programme_not_active");
    problem(404, "not_found");
    EnrolEmployeeRequest request = new EnrolEmployeeRequest().employeeRef("E10086");

    assertThatThrownBy(() -> client.canteen().enrolEmployee(PROGRAMME_ID, request))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> assertThat(e.code()).isEqualTo("employee_already_enrolled"));
    assertThatThrownBy(() -> client.canteen().enrolEmployee(PROGRAMME_ID, request))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("programme_not_active"));
    assertThatThrownBy(() -> client.canteen().enrolEmployee("sbp_0000000000000000", request))
        .isInstanceOf(NotFoundException.class);
    assertThat(http.calls).hasSize(3);
  }

  @Test
  void listEnrolments_sendsTheEmployeeRefLimitAndCursor_andReadsThePage() {
    answer(200, list(ENROLMENT, true));
    answer(200, list(ENROLMENT, false));

    EnrolmentList page = client.canteen().listEnrolments(PROGRAMME_ID, "E 10086", 20, "e1");
    client.canteen().listEnrolments(PROGRAMME_ID, null, null, null);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/canteen/programmes/"
                + PROGRAMME_ID
                + "/enrolments?employee_ref=E+10086&limit=20&cursor=e1",
            "GET /v1/canteen/programmes/" + PROGRAMME_ID + "/enrolments");
    assertThat(page.getHasMore()).isTrue();
    assertThat(page.getData()).extracting(Enrolment::getEmployeeRef).containsExactly("E10086");
  }

  // fundings and wallets

  @Test
  void fundProgramme_postsThePeriod_andReadsTheFunding() {
    answer(201, FUNDING);
    answer(201, FUNDING);

    SubsidyFunding funding =
        client.canteen().fundProgramme(PROGRAMME_ID, new FundProgrammeRequest().period("2026-11"));
    client
        .canteen()
        .fundProgramme(
            PROGRAMME_ID,
            new FundProgrammeRequest().period("2026-12").amountPerEmployee(Money.cny(30000L)),
            RequestOptions.idempotencyKey("fund-2026-12"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsOnly("POST /v1/canteen/programmes/" + PROGRAMME_ID + "/fundings");
    assertThat(postedJson(http.calls.get(0))).isEqualTo(json("{\"period\":\"2026-11\"}"));
    assertThat(postedJson(http.calls.get(1)))
        .isEqualTo(
            json(
                "{\"period\":\"2026-12\","
                    + "\"amount_per_employee\":{\"amount\":30000,\"currency\":\"CNY\"}}"));
    assertThat(http.calls.get(1).header("idempotency-key")).isEqualTo("fund-2026-12");
    assertThat(funding.getEmployeesFunded()).isEqualTo(238);
    assertThat(funding.getTotal().getAmount()).isEqualTo(9520000L);
    assertThat(funding.getExpiresAt())
        .isEqualTo(OffsetDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneOffset.ofHours(8)));
  }

  @Test
  void fundProgramme_refusals_mapToConflictAndDeclined() {
    problem(409, "period_already_funded");
    problem(422, "insufficient_funds");
    problem(422, "no_active_enrolments");
    FundProgrammeRequest request = new FundProgrammeRequest().period("2026-11");

    assertThatThrownBy(() -> client.canteen().fundProgramme(PROGRAMME_ID, request))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("period_already_funded"));
    assertThatThrownBy(() -> client.canteen().fundProgramme(PROGRAMME_ID, request))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("insufficient_funds"));
    assertThatThrownBy(() -> client.canteen().fundProgramme(PROGRAMME_ID, request))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("no_active_enrolments"));
    assertThat(http.calls).hasSize(3);
  }

  @Test
  void listFundings_andGetWallet_useTheirPaths() {
    answer(200, list(FUNDING, false));
    answer(200, WALLET);
    problem(404, "not_found");

    SubsidyFundingList fundings = client.canteen().listFundings(PROGRAMME_ID, 12, null);
    Wallet wallet = client.canteen().getWallet(WALLET_ID);
    assertThatThrownBy(() -> client.canteen().getWallet("wal_0000000000000000"))
        .isInstanceOf(NotFoundException.class);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/canteen/programmes/" + PROGRAMME_ID + "/fundings?limit=12",
            "GET /v1/canteen/wallets/" + WALLET_ID,
            "GET /v1/canteen/wallets/wal_0000000000000000");
    assertThat(fundings.getData()).extracting(SubsidyFunding::getPeriod).containsExactly("2026-11");
    assertThat(wallet.getSubsidyBalance().getAmount()).isEqualTo(23500L);
    assertThat(wallet.getOwnFundsAvailable().getAmount()).isEqualTo(128000L);
    assertThat(wallet.getEnrolmentId()).isEqualTo("enr_3Rx7Tm2QkN9vL4pWb8Zd");
  }

  // canteen payments

  @Test
  void createCanteenPayment_postsTheMeal_andReadsTheFundingSplit() throws IOException {
    answer(201, CANTEEN_PAYMENT);

    Payment payment =
        client
            .canteen()
            .createCanteenPayment(
                example(STAFF_CARD_PAYMENT_REQUEST, CreateCanteenPaymentRequest.class),
                RequestOptions.idempotencyKey("CT20261123-1202-0032"));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/canteen/payments");
    assertThat(withoutEmptyContainers(postedJson(call)))
        .isEqualTo(json(STAFF_CARD_PAYMENT_REQUEST));
    assertThat(call.header("idempotency-key")).isEqualTo("CT20261123-1202-0032");
    assertThat(payment.getType()).isEqualTo(Payment.TypeEnum.CANTEEN);
    assertThat(payment.getStatus()).isEqualTo(Payment.StatusEnum.SUCCEEDED);
    assertThat(payment.getFunding().getSubsidy().getAmount()).isEqualTo(1500L);
    assertThat(payment.getFunding().getOwnFunds().getAmount()).isEqualTo(300L);
    assertThat(payment.getFunding().getWalletId()).isEqualTo(WALLET_ID);
    assertThat(payment.getFunding().getMealSlot()).isEqualTo("午餐");
  }

  @Test
  void createCanteenPayment_refusals_mapToDeclinedAndConflict() {
    problem(422, "not_enrolled");
    problem(422, "meal_time_out_of_range");
    problem(409, "duplicate_merchant_order_ref");
    CreateCanteenPaymentRequest request =
        new CreateCanteenPaymentRequest().merchantId(CANTEEN_ID).payerCode("289999000000000011");

    assertThatThrownBy(() -> client.canteen().createCanteenPayment(request))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("not_enrolled"));
    assertThatThrownBy(() -> client.canteen().createCanteenPayment(request))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("meal_time_out_of_range"));
    assertThatThrownBy(() -> client.canteen().createCanteenPayment(request))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> assertThat(e.code()).isEqualTo("duplicate_merchant_order_ref"));
    assertThat(http.calls).hasSize(3);
    assertThat(http.calls.stream().map(c -> c.header("idempotency-key")).distinct()).hasSize(3);
  }
}
