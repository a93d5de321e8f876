package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenebank.sdk.Care;
import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.DeclinedException;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.NotFoundException;
import io.scenebank.sdk.RequestOptions;
import io.scenebank.sdk.internal.client.Mapper;
import io.scenebank.sdk.model.CancelEncounterRequest;
import io.scenebank.sdk.model.CareRefund;
import io.scenebank.sdk.model.CareRefundList;
import io.scenebank.sdk.model.Charge;
import io.scenebank.sdk.model.ChargeList;
import io.scenebank.sdk.model.CloseCreditLineRequest;
import io.scenebank.sdk.model.Consent;
import io.scenebank.sdk.model.ConsentList;
import io.scenebank.sdk.model.CreateCareRefundRequest;
import io.scenebank.sdk.model.CreateChargeRequest;
import io.scenebank.sdk.model.CreateConsentRequest;
import io.scenebank.sdk.model.CreateEncounterRequest;
import io.scenebank.sdk.model.CreateRepaymentRequest;
import io.scenebank.sdk.model.CreditLine;
import io.scenebank.sdk.model.CreditLineList;
import io.scenebank.sdk.model.Debt;
import io.scenebank.sdk.model.DebtList;
import io.scenebank.sdk.model.Encounter;
import io.scenebank.sdk.model.EncounterList;
import io.scenebank.sdk.model.OpenCreditLineRequest;
import io.scenebank.sdk.model.PatientInput;
import io.scenebank.sdk.model.Repayment;
import io.scenebank.sdk.model.RepaymentList;
import io.scenebank.sdk.model.SettleEncounterRequest;
import io.scenebank.sdk.model.Settlement;
import io.scenebank.sdk.model.VoidChargeRequest;
import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Each typed pay-after-care call sends the contract's method, path, query and body (with an
 * idempotency key on every POST) and reads the answer into its model. Bodies and answers are the
 * contract's examples.
 */
class CareCallsTest extends TypedCallsHarness {

  static final String CONSENT_ID = "cns_7Hq2LmX9pQ4sT8vWk3Rd";
  static final String CREDIT_LINE_ID = "cl_4Nf8Wd2KpR6tY9bQm1Zx";
  static final String ENCOUNTER_ID = "enc_9Tb3Xk7MvQ2pL5sWn8Rf";
  static final String CHARGE_ID = "chg_5Rk8Mb2XwP7qT4nLz6Vc";
  static final String DEBT_ID = "dbt_8Vk4Pm7QzX2nT6bLr3Wc";
  static final OffsetDateTime NOV_23 =
      OffsetDateTime.of(2026, 11, 23, 0, 0, 0, 0, ZoneOffset.ofHours(8));
  static final OffsetDateTime DEC_1_UTC =
      OffsetDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  static final String CONSENT =
      "{\"id\":\"cns_7Hq2LmX9pQ4sT8vWk3Rd\",\"object\":\"consent\",\"livemode\":false,"
          + "\"status\":\"PENDING\",\"purpose\":\"PAY_AFTER_CARE\",\"patient\":{\"id_number_masked\":"
          + "\"9999**********0011\",\"name_masked\":\"张*\",\"phone_masked\":\"138****0011\"},"
          + "\"hospital_patient_ref\":\"P20261123-0042\",\"requested_limit\":{\"amount\":500000,"
          + "\"currency\":\"CNY\"},\"expires_at\":\"2026-11-23T10:45:30+08:00\","
          + "\"created_at\":\"2026-11-23T10:15:30+08:00\",\"updated_at\":\"2026-11-23T10:15:30+08:00\"}";
  static final String CREDIT_LINE =
      "{\"id\":\"cl_4Nf8Wd2KpR6tY9bQm1Zx\",\"object\":\"credit_line\",\"livemode\":false,"
          + "\"consent_id\":\"cns_7Hq2LmX9pQ4sT8vWk3Rd\",\"status\":\"ACTIVE\","
          + "\"limit\":{\"amount\":500000,\"currency\":\"CNY\"},"
          + "\"available\":{\"amount\":482500,\"currency\":\"CNY\"},"
          + "\"held\":{\"amount\":17500,\"currency\":\"CNY\"},"
          + "\"outstanding\":{\"amount\":0,\"currency\":\"CNY\"},"
          + "\"decision\":{\"outcome\":\"APPROVED\",\"profile\":\"GOOD\"},\"grace_period_days\":10,"
          + "\"created_at\":\"2026-11-23T10:17:40+08:00\",\"updated_at\":\"2026-11-23T11:05:12+08:00\"}";
  static final String ENCOUNTER =
      "{\"id\":\"enc_9Tb3Xk7MvQ2pL5sWn8Rf\",\"object\":\"encounter\",\"livemode\":false,"
          + "\"credit_line_id\":\"cl_4Nf8Wd2KpR6tY9bQm1Zx\",\"hospital_encounter_ref\":\"MZ20261123-0042\","
          + "\"department\":\"内分泌科\",\"visit_type\":\"OUTPATIENT\",\"status\":\"OPEN\","
          + "\"totals\":{\"held\":{\"amount\":17500,\"currency\":\"CNY\"}},\"charge_count\":3,"
          + "\"created_at\":\"2026-11-23T10:20:00+08:00\",\"updated_at\":\"2026-11-23T11:05:12+08:00\"}";
  static final String CHARGE =
      "{\"id\":\"chg_5Rk8Mb2XwP7qT4nLz6Vc\",\"object\":\"charge\",\"livemode\":false,"
          + "\"encounter_id\":\"enc_9Tb3Xk7MvQ2pL5sWn8Rf\",\"credit_line_id\":\"cl_4Nf8Wd2KpR6tY9bQm1Zx\","
          + "\"item_code\":\"250307012\",\"description\":\"糖化血红蛋白测定\",\"category\":\"LAB\","
          + "\"quantity\":1,\"unit_amount\":{\"amount\":6000,\"currency\":\"CNY\"},"
          + "\"amount\":{\"amount\":6000,\"currency\":\"CNY\"},\"status\":\"HELD\","
          + "\"hospital_charge_ref\":\"HIS-CHG-0002\",\"created_at\":\"2026-11-23T10:48:30+08:00\"}";
  static final String SETTLEMENT =
      "{\"id\":\"stl_6Wm2Rk9PzT4xQ8nLb3Vd\",\"object\":\"settlement\",\"livemode\":false,"
          + "\"encounter_id\":\"enc_9Tb3Xk7MvQ2pL5sWn8Rf\",\"total\":{\"amount\":17500,\"currency\":\"CNY\"},"
          + "\"split\":{\"pooled_fund\":{\"amount\":8000,\"currency\":\"CNY\"},"
          + "\"personal_account\":{\"amount\":4500,\"currency\":\"CNY\"},"
          + "\"self_pay\":{\"amount\":5000,\"currency\":\"CNY\"}},"
          + "\"patient_due\":{\"amount\":{\"amount\":5000,\"currency\":\"CNY\"},"
          + "\"due_date\":\"2026-12-03\",\"debt_id\":\"dbt_8Vk4Pm7QzX2nT6bLr3Wc\"},"
          + "\"settled_at\":\"2026-11-23T11:32:10+08:00\",\"created_at\":\"2026-11-23T11:32:10+08:00\"}";
  static final String CARE_REFUND =
      "{\"id\":\"crf_3Qx7Nb2LtK8mV5pRw9Zs\",\"object\":\"care_refund\",\"livemode\":false,"
          + "\"encounter_id\":\"enc_9Tb3Xk7MvQ2pL5sWn8Rf\",\"status\":\"SUCCEEDED\","
          + "\"amount\":{\"amount\":3250,\"currency\":\"CNY\"},"
          + "\"patient_refunded\":{\"amount\":1000,\"currency\":\"CNY\"},"
          + "\"created_at\":\"2026-12-08T09:12:44+08:00\"}";
  static final String DEBT =
      "{\"id\":\"dbt_8Vk4Pm7QzX2nT6bLr3Wc\",\"object\":\"debt\",\"livemode\":false,"
          + "\"credit_line_id\":\"cl_4Nf8Wd2KpR6tY9bQm1Zx\",\"status\":\"OVERDUE\","
          + "\"principal\":{\"amount\":5000,\"currency\":\"CNY\"},"
          + "\"outstanding\":{\"amount\":5005,\"currency\":\"CNY\"},\"due_date\":\"2026-12-03\","
          + "\"created_at\":\"2026-11-23T11:32:10+08:00\"}";
  static final String REPAYMENT =
      "{\"id\":\"rpy_5Nt9Kx3RmQ7vB2pLw6Zd\",\"object\":\"repayment\",\"livemode\":false,"
          + "\"credit_line_id\":\"cl_4Nf8Wd2KpR6tY9bQm1Zx\",\"status\":\"SUCCEEDED\","
          + "\"amount\":{\"amount\":5005,\"currency\":\"CNY\"},\"allocations\":[{\"debt_id\":"
          + "\"dbt_8Vk4Pm7QzX2nT6bLr3Wc\",\"principal\":{\"amount\":5000,\"currency\":\"CNY\"},"
          + "\"penalty\":{\"amount\":5,\"currency\":\"CNY\"}}],\"source_ref\":\"TRF202612050000318\","
          + "\"created_at\":\"2026-12-05T15:20:00+08:00\"}";

  static String list(String item, boolean hasMore) {
    return "{\"object\":\"list\",\"data\":["
        + item
        + "],\"has_more\":"
        + hasMore
        + (hasMore ? ",\"next_cursor\":\"eyJjIjoiMjAyNi0xMS0yMyJ9\"" : "")
        + "}";
  }

  static <T> T example(String json, Class<T> type) throws IOException {
    return Mapper.MAPPER.readValue(json, type);
  }

  // consents

  @Test
  void createConsent_postsThePatientWithAFreshIdempotencyKey_andReadsTheConsent() {
    answer(201, CONSENT);

    Consent consent =
        client
            .care()
            .createConsent(
                new CreateConsentRequest()
                    .patient(
                        new PatientInput()
                            .idNumber("999999199001010011")
                            .name("张三")
                            .phone("13800000011"))
                    .hospitalPatientRef("P20261123-0042")
                    .requestedLimit(Money.cny(500000L)));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/care/consents");
    JsonNode body = postedJson(call);
    assertThat(body.at("/patient/id_number").asText()).isEqualTo("999999199001010011");
    assertThat(body.at("/patient/name").asText()).isEqualTo("张三");
    assertThat(body.at("/hospital_patient_ref").asText()).isEqualTo("P20261123-0042");
    assertThat(body.at("/requested_limit/amount").asLong()).isEqualTo(500000);
    assertThat(body.at("/requested_limit/currency").asText()).isEqualTo("CNY");
    assertThat(call.header("idempotency-key")).matches("[0-9a-f-]{36}");

    assertThat(consent.getId()).isEqualTo(CONSENT_ID);
    assertThat(consent.getStatus()).isEqualTo(Consent.StatusEnum.PENDING);
    assertThat(consent.getPatient().getNameMasked()).isEqualTo("张*");
    assertThat(consent.getExpiresAt())
        .isEqualTo(OffsetDateTime.of(2026, 11, 23, 10, 45, 30, 0, ZoneOffset.ofHours(8)));
  }

  @Test
  void createConsent_withYourIdempotencyKey_sendsThatKey_andEachCallWithoutOneGetsItsOwn() {
    answer(201, CONSENT);
    answer(201, CONSENT);
    answer(201, CONSENT);
    CreateConsentRequest request = new CreateConsentRequest().hospitalPatientRef("P1");

    client.care().createConsent(request, RequestOptions.idempotencyKey("his-consent-P1"));
    client.care().createConsent(request);
    client.care().createConsent(request);

    assertThat(http.calls.get(0).header("idempotency-key")).isEqualTo("his-consent-P1");
    assertThat(http.calls.get(1).header("idempotency-key"))
        .isNotEqualTo("his-consent-P1")
        .isNotEqualTo(http.calls.get(2).header("idempotency-key"));
  }

  @Test
  void listConsents_sendsEveryFilterUrlEncodedInTheContractsOrder_andReadsThePage() {
    answer(200, list(CONSENT, true));

    ConsentList page =
        client
            .care()
            .listConsents(
                new Care.ConsentQuery()
                    .cursor("abc_-1")
                    .limit(50)
                    .createdLt(DEC_1_UTC)
                    .createdGte(NOV_23)
                    .hospitalPatientRef("P 2026/11+42&x=1")
                    .status(Consent.StatusEnum.APPROVED));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.method).isEqualTo("GET");
    assertThat(call.body).isNull();
    assertThat(call.header("idempotency-key")).isNull();
    assertThat(call.target())
        .isEqualTo(
            "/v1/care/consents?status=APPROVED"
                + "&hospital_patient_ref=P+2026%2F11%2B42%26x%3D1"
                + "&created_gte=2026-11-23T00%3A00%3A00%2B08%3A00"
                + "&created_lt=2026-12-01T00%3A00%3A00Z"
                + "&limit=50&cursor=abc_-1");
    assertThat(call.uri.getQuery()).contains("created_gte=2026-11-23T00:00:00+08:00");
    assertThat(page.getHasMore()).isTrue();
    assertThat(page.getNextCursor()).isEqualTo("eyJjIjoiMjAyNi0xMS0yMyJ9");
    assertThat(page.getData()).extracting(Consent::getId).containsExactly(CONSENT_ID);
  }

  @Test
  void consentQuery_isImmutable_andNullUnsetsAFilter() {
    answer(200, list(CONSENT, false));
    answer(200, list(CONSENT, false));
    answer(200, list(CONSENT, false));
    Care.ConsentQuery firstPage = new Care.ConsentQuery().limit(10);
    Care.ConsentQuery approved = firstPage.status(Consent.StatusEnum.APPROVED);

    client.care().listConsents(new Care.ConsentQuery());
    client.care().listConsents(firstPage);
    client.care().listConsents(approved.status(null).cursor("next1"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::target)
        .containsExactly(
            "/v1/care/consents",
            "/v1/care/consents?limit=10",
            "/v1/care/consents?limit=10&cursor=next1");
  }

  @Test
  void getConsent_getsItsPath_andAnUnknownIdIsNotFound() {
    answer(200, CONSENT);
    problem(404, "not_found");

    assertThat(client.care().getConsent(CONSENT_ID).getHospitalPatientRef())
        .isEqualTo("P20261123-0042");
    assertThatThrownBy(() -> client.care().getConsent("cns_0000000000000000"))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.code()).isEqualTo("not_found"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/care/consents/" + CONSENT_ID, "GET /v1/care/consents/cns_0000000000000000");
  }

  @Test
  void ids_thatAreNotPathSegments_areRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> client.care().getConsent("../operator/organisations"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.care().getDebt(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> client.care().voidCharge(ENCOUNTER_ID, "chg_1?x=1", new VoidChargeRequest()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(http.calls).isEmpty();
  }

  // credit lines

  @Test
  void openCreditLine_postsTheConsentId_andReadsTheLine() {
    answer(201, CREDIT_LINE);

    CreditLine line =
        client.care().openCreditLine(new OpenCreditLineRequest().consentId(CONSENT_ID));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/care/credit-lines");
    assertThat(withoutEmptyContainers(postedJson(call)))
        .isEqualTo(json("{\"consent_id\":\"" + CONSENT_ID + "\"}"));
    assertThat(line.getStatus()).isEqualTo(CreditLine.StatusEnum.ACTIVE);
    assertThat(line.getAvailable().getAmount()).isEqualTo(482500L);
    assertThat(line.getGracePeriodDays()).isEqualTo(10);
  }

  @Test
  void openCreditLine_whenTheBankDeclines_isADeclinedExceptionWithItsCode_notRetried() {
    problem(422, "credit_declined");

    assertThatThrownBy(
            () -> client.care().openCreditLine(new OpenCreditLineRequest().consentId(CONSENT_ID)))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("credit_declined"));
    assertThat(http.calls).hasSize(1);
  }

  @Test
  void listCreditLines_sendsStatusAndTimesWithOffsets_andGetCreditLineItsPath() {
    answer(200, list(CREDIT_LINE, false));
    answer(200, CREDIT_LINE);

    CreditLineList page =
        client
            .care()
            .listCreditLines(
                new Care.CreditLineQuery()
                    .status(CreditLine.StatusEnum.FROZEN)
                    .createdGte(NOV_23)
                    .createdLt(DEC_1_UTC));
    CreditLine line = client.care().getCreditLine(CREDIT_LINE_ID);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/care/credit-lines?status=FROZEN"
                + "&created_gte=2026-11-23T00%3A00%3A00%2B08%3A00"
                + "&created_lt=2026-12-01T00%3A00%3A00Z",
            "GET /v1/care/credit-lines/" + CREDIT_LINE_ID);
    assertThat(page.getData().get(0).getHeld().getAmount()).isEqualTo(17500L);
    assertThat(line.getConsentId()).isEqualTo(CONSENT_ID);
  }

  @Test
  void closeCreditLine_postsTheReasonToItsPath_andABalanceIsAConflict() {
    answer(200, CREDIT_LINE.replace("\"ACTIVE\"", "\"CLOSED\""));
    problem(409, "credit_line_has_balance");
    CloseCreditLineRequest request =
        new CloseCreditLineRequest().reason(CloseCreditLineRequest.ReasonEnum.PATIENT_REQUEST);

    CreditLine closed =
        client.care().closeCreditLine(CREDIT_LINE_ID, request, RequestOptions.idempotencyKey("c1"));
    assertThatThrownBy(() -> client.care().closeCreditLine(CREDIT_LINE_ID, request))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> assertThat(e.code()).isEqualTo("credit_line_has_balance"));

    RecordingHttpClient.Call call = http.calls.get(0);
    assertThat(call.target()).isEqualTo("/v1/care/credit-lines/" + CREDIT_LINE_ID + "/close");
    assertThat(postedJson(call)).isEqualTo(json("{\"reason\":\"PATIENT_REQUEST\"}"));
    assertThat(call.header("idempotency-key")).isEqualTo("c1");
    assertThat(closed.getStatus()).isEqualTo(CreditLine.StatusEnum.CLOSED);
    assertThat(http.calls).hasSize(2);
  }

  // encounters

  @Test
  void createEncounter_postsTheVisit_andReadsTheEncounter() throws IOException {
    answer(201, ENCOUNTER);
    String visit =
        "{\"credit_line_id\":\"cl_4Nf8Wd2KpR6tY9bQm1Zx\",\"hospital_encounter_ref\":"
            + "\"MZ20261123-0042\",\"department\":\"内分泌科\",\"visit_type\":\"OUTPATIENT\"}";

    Encounter encounter =
        client.care().createEncounter(example(visit, CreateEncounterRequest.class));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/care/encounters");
    assertThat(withoutEmptyContainers(postedJson(call))).isEqualTo(json(visit));
    assertThat(encounter.getId()).isEqualTo(ENCOUNTER_ID);
    assertThat(encounter.getStatus()).isEqualTo(Encounter.StatusEnum.OPEN);
    assertThat(encounter.getTotals().getHeld().getAmount()).isEqualTo(17500L);
  }

  @Test
  void listEncounters_filtersByLineAndStatus_getAndCancelUseTheEncountersPath() {
    answer(200, list(ENCOUNTER, false));
    answer(200, ENCOUNTER);
    answer(200, ENCOUNTER.replace("\"OPEN\"", "\"CANCELLED\""));

    EncounterList page =
        client
            .care()
            .listEncounters(
                new Care.EncounterQuery()
                    .creditLineId(CREDIT_LINE_ID)
                    .status(Encounter.StatusEnum.OPEN)
                    .limit(5));
    client.care().getEncounter(ENCOUNTER_ID);
    Encounter cancelled =
        client.care().cancelEncounter(ENCOUNTER_ID, new CancelEncounterRequest().reason("患者未就诊"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/care/encounters?status=OPEN&credit_line_id=" + CREDIT_LINE_ID + "&limit=5",
            "GET /v1/care/encounters/" + ENCOUNTER_ID,
            "POST /v1/care/encounters/" + ENCOUNTER_ID + "/cancel");
    assertThat(postedJson(http.calls.get(2))).isEqualTo(json("{\"reason\":\"患者未就诊\"}"));
    assertThat(page.getData()).hasSize(1);
    assertThat(cancelled.getStatus()).isEqualTo(Encounter.StatusEnum.CANCELLED);
  }

  // charges

  @Test
  void createCharge_postsTheItemToTheEncounter_andReadsTheHeldCharge() throws IOException {
    answer(201, CHARGE);
    String item =
        "{\"item_code\":\"250307012\",\"description\":\"糖化血红蛋白测定\",\"category\":\"LAB\","
            + "\"quantity\":1,\"unit_amount\":{\"amount\":6000,\"currency\":\"CNY\"},"
            + "\"amount\":{\"amount\":6000,\"currency\":\"CNY\"},"
            + "\"hospital_charge_ref\":\"HIS-CHG-0002\"}";

    Charge charge =
        client
            .care()
            .createCharge(
                ENCOUNTER_ID,
                example(item, CreateChargeRequest.class),
                RequestOptions.idempotencyKey("HIS-CHG-0002"));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/care/encounters/" + ENCOUNTER_ID + "/charges");
    assertThat(withoutEmptyContainers(postedJson(call))).isEqualTo(json(item));
    assertThat(call.header("idempotency-key")).isEqualTo("HIS-CHG-0002");
    assertThat(charge.getStatus()).isEqualTo(Charge.StatusEnum.HELD);
    assertThat(charge.getAmount().getAmount()).isEqualTo(6000L);
    assertThat(charge.getCategory()).isEqualTo(Charge.CategoryEnum.LAB);
  }

  @Test
  void createCharge_overTheLimit_isADeclinedExceptionOverLimit_sentOnce() {
    problem(422, "over_limit");

    assertThatThrownBy(
            () -> client.care().createCharge(ENCOUNTER_ID, new CreateChargeRequest().quantity(1)))
        .isInstanceOfSatisfying(
            DeclinedException.class,
            e -> {
              assertThat(e.code()).isEqualTo("over_limit");
              assertThat(e.httpStatus()).isEqualTo(422);
              assertThat(e.requestId()).isEqualTo("req_fake");
            });
    assertThat(http.calls).hasSize(1);
  }

  @Test
  void listCharges_omitsNullFilters_andVoidChargeNamesBothIds() {
    answer(200, list(CHARGE, false));
    answer(200, list(CHARGE, false));
    answer(200, CHARGE.replace("\"HELD\"", "\"VOIDED\""));

    ChargeList held = client.care().listCharges(ENCOUNTER_ID, Charge.StatusEnum.HELD, 100, null);
    client.care().listCharges(ENCOUNTER_ID, null, null, "c2");
    Charge voided =
        client.care().voidCharge(ENCOUNTER_ID, CHARGE_ID, new VoidChargeRequest().reason("医生取消检查"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/care/encounters/" + ENCOUNTER_ID + "/charges?status=HELD&limit=100",
            "GET /v1/care/encounters/" + ENCOUNTER_ID + "/charges?cursor=c2",
            "POST /v1/care/encounters/" + ENCOUNTER_ID + "/charges/" + CHARGE_ID + "/void");
    assertThat(postedJson(http.calls.get(2))).isEqualTo(json("{\"reason\":\"医生取消检查\"}"));
    assertThat(held.getData().get(0).getId()).isEqualTo(CHARGE_ID);
    assertThat(voided.getStatus()).isEqualTo(Charge.StatusEnum.VOIDED);
  }

  // settlement and refunds

  @Test
  void settleEncounter_postsTheInsuranceSplit_andGetSettlementReadsTheStatement()
      throws IOException {
    answer(201, SETTLEMENT);
    answer(200, SETTLEMENT);
    String split =
        "{\"insurance_split\":{\"pooled_fund\":{\"amount\":8000,\"currency\":\"CNY\"},"
            + "\"personal_account\":{\"amount\":4500,\"currency\":\"CNY\"},"
            + "\"self_pay\":{\"amount\":5000,\"currency\":\"CNY\"}},"
            + "\"insurer\":{\"name\":\"常州市医疗保障局（示例）\",\"claim_ref\":\"YB20261123000042\"}}";

    Settlement settled =
        client.care().settleEncounter(ENCOUNTER_ID, example(split, SettleEncounterRequest.class));
    Settlement statement = client.care().getSettlement(ENCOUNTER_ID);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "POST /v1/care/encounters/" + ENCOUNTER_ID + "/settlement",
            "GET /v1/care/encounters/" + ENCOUNTER_ID + "/settlement");
    assertThat(withoutEmptyContainers(postedJson(http.calls.get(0)))).isEqualTo(json(split));
    assertThat(settled.getTotal().getAmount()).isEqualTo(17500L);
    assertThat(settled.getSplit().getSelfPay().getAmount()).isEqualTo(5000L);
    assertThat(statement.getPatientDue().getDueDate()).isEqualTo(LocalDate.of(2026, 12, 3));
    assertThat(statement.getPatientDue().getDebtId()).isEqualTo(DEBT_ID);
  }

  @Test
  void settleEncounter_twice_isAConflictAlreadySettled() {
    problem(409, "already_settled");

    assertThatThrownBy(
            () -> client.care().settleEncounter(ENCOUNTER_ID, new SettleEncounterRequest()))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("already_settled"));
  }

  @Test
  void createCareRefund_postsTheItems_andListCareRefundsPagesTheEncountersRefunds()
      throws IOException {
    answer(201, CARE_REFUND);
    answer(200, list(CARE_REFUND, false));
    String refund =
        "{\"items\":[{\"charge_id\":\"chg_8Hs3Qd6YtN1vB9kMx2Pf\","
            + "\"amount\":{\"amount\":3250,\"currency\":\"CNY\"}}],"
            + "\"insurance_split\":{\"pooled_fund\":{\"amount\":1500,\"currency\":\"CNY\"},"
            + "\"personal_account\":{\"amount\":750,\"currency\":\"CNY\"},"
            + "\"self_pay\":{\"amount\":1000,\"currency\":\"CNY\"}},\"reason\":\"药品未取，退药\"}";

    CareRefund created =
        client
            .care()
            .createCareRefund(
                ENCOUNTER_ID,
                example(refund, CreateCareRefundRequest.class),
                RequestOptions.idempotencyKey("refund-1"));
    CareRefundList page = client.care().listCareRefunds(ENCOUNTER_ID, 20, "r1");

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "POST /v1/care/encounters/" + ENCOUNTER_ID + "/refunds",
            "GET /v1/care/encounters/" + ENCOUNTER_ID + "/refunds?limit=20&cursor=r1");
    assertThat(withoutEmptyContainers(postedJson(http.calls.get(0)))).isEqualTo(json(refund));
    assertThat(http.calls.get(0).header("idempotency-key")).isEqualTo("refund-1");
    assertThat(created.getPatientRefunded().getAmount()).isEqualTo(1000L);
    assertThat(page.getData()).extracting(CareRefund::getId).containsExactly(created.getId());
  }

  // debts and repayments

  @Test
  void listDebts_filtersForCollections_andGetDebtReadsTheDebt() {
    answer(200, list(DEBT, true));
    answer(200, DEBT);

    DebtList overdue =
        client
            .care()
            .listDebts(
                new Care.DebtQuery()
                    .status(Debt.StatusEnum.OVERDUE)
                    .creditLineId(CREDIT_LINE_ID)
                    .createdLt(DEC_1_UTC)
                    .limit(100)
                    .cursor("d1"));
    Debt debt = client.care().getDebt(DEBT_ID);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/care/debts?credit_line_id="
                + CREDIT_LINE_ID
                + "&status=OVERDUE&created_lt=2026-12-01T00%3A00%3A00Z&limit=100&cursor=d1",
            "GET /v1/care/debts/" + DEBT_ID);
    assertThat(overdue.getHasMore()).isTrue();
    assertThat(debt.getStatus()).isEqualTo(Debt.StatusEnum.OVERDUE);
    assertThat(debt.getOutstanding().getAmount()).isEqualTo(5005L);
    assertThat(debt.getDueDate()).isEqualTo(LocalDate.of(2026, 12, 3));
  }

  @Test
  void createRepayment_postsToTheLine_andListRepaymentsPagesThem() {
    answer(201, REPAYMENT);
    answer(200, list(REPAYMENT, false));

    Repayment repayment =
        client
            .care()
            .createRepayment(
                CREDIT_LINE_ID,
                new CreateRepaymentRequest()
                    .amount(Money.cny(5005L))
                    .sourceRef("TRF202612050000318")
                    .debtId(DEBT_ID),
                RequestOptions.idempotencyKey("TRF202612050000318"));
    RepaymentList page = client.care().listRepayments(CREDIT_LINE_ID, null, null);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "POST /v1/care/credit-lines/" + CREDIT_LINE_ID + "/repayments",
            "GET /v1/care/credit-lines/" + CREDIT_LINE_ID + "/repayments");
    assertThat(withoutEmptyContainers(postedJson(http.calls.get(0))))
        .isEqualTo(
            json(
                "{\"amount\":{\"amount\":5005,\"currency\":\"CNY\"},"
                    + "\"source_ref\":\"TRF202612050000318\",\"debt_id\":\""
                    + DEBT_ID
                    + "\"}"));
    assertThat(http.calls.get(0).header("idempotency-key")).isEqualTo("TRF202612050000318");
    assertThat(repayment.getAllocations().get(0).getPenalty().getAmount()).isEqualTo(5L);
    assertThat(page.getData().get(0).getSourceRef()).isEqualTo("TRF202612050000318");
  }
}
