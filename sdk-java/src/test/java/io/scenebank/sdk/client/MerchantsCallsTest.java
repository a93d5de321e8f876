package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.DeclinedException;
import io.scenebank.sdk.Merchants;
import io.scenebank.sdk.NotFoundException;
import io.scenebank.sdk.PermissionException;
import io.scenebank.sdk.RequestOptions;
import io.scenebank.sdk.internal.client.Mapper;
import io.scenebank.sdk.model.CreateMerchantRequest;
import io.scenebank.sdk.model.Merchant;
import io.scenebank.sdk.model.MerchantBalance;
import io.scenebank.sdk.model.MerchantList;
import io.scenebank.sdk.model.MerchantReview;
import io.scenebank.sdk.model.MerchantSettlement;
import io.scenebank.sdk.model.MerchantSettlementList;
import io.scenebank.sdk.model.ReviewMerchantRequest;
import io.scenebank.sdk.model.Statement;
import io.scenebank.sdk.model.StatementList;
import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Each typed merchant call (and the operator's review) sends the contract's method, path, query and
 * body (with an idempotency key on every POST) and reads the answer into its model; the gateway's
 * codes become the SDK's exceptions. Bodies and answers are the contract's examples. The statement
 * download is in {@link StatementVerificationTest}.
 */
class MerchantsCallsTest extends TypedCallsHarness {

  static final String MERCHANT_ID = "mch_8Pz3Kt6QwN2xV7mLr4Bd";
  static final OffsetDateTime NOV_20 =
      OffsetDateTime.of(2026, 11, 20, 0, 0, 0, 0, ZoneOffset.ofHours(8));
  static final OffsetDateTime DEC_1_UTC =
      OffsetDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  static final String APPLICATION =
      "{\"business_name\":\"常州青果巷小笼包店（示例）\",\"short_name\":\"青果巷小笼包\","
          + "\"licence_number\":\"91999999MA0000001X\",\"category\":\"5812\","
          + "\"settlement_account\":{\"bank_name\":\"江南农村商业银行常州分行（示例）\","
          + "\"account_number\":\"6230000000000004821\",\"account_name\":\"常州青果巷小笼包店（示例）\"},"
          + "\"contact\":{\"name\":\"李四\",\"phone\":\"13800000021\","
          + "\"email\":\"owner@xiaolongbao.example\"},\"fee_rate_bps\":38,"
          + "\"address\":\"江苏省常州市天宁区青果巷 1 号\"}";
  static final String MERCHANT =
      "{\"id\":\"mch_8Pz3Kt6QwN2xV7mLr4Bd\",\"object\":\"merchant\",\"livemode\":false,"
          + "\"status\":\"ACTIVE\",\"business_name\":\"常州青果巷小笼包店（示例）\","
          + "\"short_name\":\"青果巷小笼包\",\"licence_number\":\"91999999MA0000001X\","
          + "\"category\":\"5812\",\"settlement_account\":{\"bank_name\":\"江南农村商业银行常州分行（示例）\","
          + "\"account_number_masked\":\"6230***********4821\","
          + "\"account_name\":\"常州青果巷小笼包店（示例）\"},\"contact\":{\"name_masked\":\"李*\","
          + "\"phone_masked\":\"138****0021\",\"email\":\"owner@xiaolongbao.example\"},"
          + "\"fee_rate_bps\":38,\"address\":\"江苏省常州市天宁区青果巷 1 号\","
          + "\"created_at\":\"2026-11-20T14:00:00+08:00\",\"updated_at\":\"2026-11-20T16:30:00+08:00\","
          + "\"review\":{\"decision\":\"APPROVED\",\"decided_at\":\"2026-11-20T16:30:00+08:00\"}}";
  static final String PENDING =
      MERCHANT
          .replace("\"ACTIVE\"", "\"PENDING_REVIEW\"")
          .replace(
              ",\"review\":{\"decision\":\"APPROVED\",\"decided_at\":\"2026-11-20T16:30:00+08:00\"}",
              "");
  static final String REJECTED =
      MERCHANT
          .replace("\"ACTIVE\"", "\"REJECTED\"")
          .replace(
              "\"decision\":\"APPROVED\"",
              "\"decision\":\"REJECTED\",\"reason\":\"营业执照信息与登记机关记录不一致\"");
  static final String BALANCE =
      "{\"object\":\"merchant_balance\",\"merchant_id\":\"mch_8Pz3Kt6QwN2xV7mLr4Bd\","
          + "\"livemode\":false,\"pending\":{\"amount\":186350,\"currency\":\"CNY\"},"
          + "\"settling\":{\"amount\":241200,\"currency\":\"CNY\"},"
          + "\"fees_pending\":{\"amount\":708,\"currency\":\"CNY\"},"
          + "\"as_of\":\"2026-11-23T10:15:30+08:00\"}";
  static final String SETTLEMENT =
      "{\"id\":\"mst_3Vq8Nx2KtR7mW4pLb9Zd\",\"object\":\"merchant_settlement\",\"livemode\":false,"
          + "\"merchant_id\":\"mch_8Pz3Kt6QwN2xV7mLr4Bd\",\"business_date\":\"2026-11-22\","
          + "\"gross\":{\"amount\":243500,\"currency\":\"CNY\"},"
          + "\"refunds\":{\"amount\":1375,\"currency\":\"CNY\"},"
          + "\"fees\":{\"amount\":925,\"currency\":\"CNY\"},\"net\":{\"amount\":241200,\"currency\":\"CNY\"},"
          + "\"status\":\"PAID\",\"settlement_account\":{\"bank_name\":\"江南农村商业银行常州分行（示例）\","
          + "\"account_number_masked\":\"6230***********4821\","
          + "\"account_name\":\"常州青果巷小笼包店（示例）\"},\"paid_at\":\"2026-11-23T09:00:12+08:00\","
          + "\"created_at\":\"2026-11-23T02:00:00+08:00\",\"updated_at\":\"2026-11-23T09:00:12+08:00\"}";
  static final String STATEMENT =
      "{\"id\":\"stm_6Nx2Qt8KvR3mW7pLb4Zs\",\"object\":\"statement\",\"livemode\":false,"
          + "\"merchant_id\":\"mch_8Pz3Kt6QwN2xV7mLr4Bd\",\"statement_date\":\"2026-11-22\","
          + "\"status\":\"READY\",\"row_count\":68,\"totals\":{\"payment_count\":66,\"refund_count\":2,"
          + "\"gross\":{\"amount\":243500,\"currency\":\"CNY\"},"
          + "\"refunds\":{\"amount\":1375,\"currency\":\"CNY\"},"
          + "\"fees\":{\"amount\":925,\"currency\":\"CNY\"},\"net\":{\"amount\":241200,\"currency\":\"CNY\"}},"
          + "\"sha256\":\"5d0c3f1e9a7b24c68e1f0a3d5b7c9e2f4a6b8c0d1e3f5a7b9c2d4e6f8a0b1c3d\","
          + "\"signature_kid\":\"gw-ed25519-2026-11\",\"created_at\":\"2026-11-23T02:00:00+08:00\"}";

  static String list(String item, boolean hasMore) {
    return CareCallsTest.list(item, hasMore);
  }

  static <T> T example(String json, Class<T> type) throws IOException {
    return Mapper.MAPPER.readValue(json, type);
  }

  // onboarding

  @Test
  void createMerchant_postsTheApplicationWithAFreshIdempotencyKey_andReadsItPending()
      throws IOException {
    answer(201, PENDING);

    Merchant merchant =
        client.merchants().createMerchant(example(APPLICATION, CreateMerchantRequest.class));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/merchants");
    assertThat(withoutEmptyContainers(postedJson(call))).isEqualTo(json(APPLICATION));
    assertThat(call.header("idempotency-key")).matches("[0-9a-f-]{36}");
    assertThat(merchant.getId()).isEqualTo(MERCHANT_ID);
    assertThat(merchant.getStatus()).isEqualTo(Merchant.StatusEnum.PENDING_REVIEW);
    assertThat(merchant.getReview()).isNull();
    assertThat(merchant.getSettlementAccount().getAccountNumberMasked())
        .isEqualTo("6230***********4821");
    assertThat(merchant.getContact().getNameMasked()).isEqualTo("李*");
    assertThat(merchant.getFeeRateBps()).isEqualTo(38);
  }

  @Test
  void createMerchant_withYourKey_sendsThatKey_andRefusalsMapToTheirExceptions() {
    problem(409, "merchant_exists");
    problem(422, "fee_rate_not_allowed");
    CreateMerchantRequest request =
        new CreateMerchantRequest().businessName("x").licenceNumber("91999999MA0000001X");

    assertThatThrownBy(
            () ->
                client
                    .merchants()
                    .createMerchant(request, RequestOptions.idempotencyKey("mch-apply-0001")))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("merchant_exists"));
    assertThatThrownBy(() -> client.merchants().createMerchant(request))
        .isInstanceOfSatisfying(
            DeclinedException.class,
            e -> {
              assertThat(e.code()).isEqualTo("fee_rate_not_allowed");
              assertThat(e.requestId()).isEqualTo("req_fake");
            });

    assertThat(http.calls).hasSize(2);
    assertThat(http.calls.get(0).header("idempotency-key")).isEqualTo("mch-apply-0001");
    assertThat(http.calls.get(1).header("idempotency-key"))
        .isNotBlank()
        .isNotEqualTo("mch-apply-0001");
  }

  @Test
  void listMerchants_sendsEveryFilterInTheContractsOrder_andReadsThePage() {
    answer(200, list(MERCHANT, true));

    MerchantList page =
        client
            .merchants()
            .listMerchants(
                new Merchants.MerchantQuery()
                    .cursor("c/1+")
                    .limit(100)
                    .createdLt(DEC_1_UTC)
                    .createdGte(NOV_20)
                    .status(Merchant.StatusEnum.ACTIVE));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.method).isEqualTo("GET");
    assertThat(call.body).isNull();
    assertThat(call.header("idempotency-key")).isNull();
    assertThat(call.target())
        .isEqualTo(
            "/v1/merchants?status=ACTIVE&created_gte=2026-11-20T00%3A00%3A00%2B08%3A00"
                + "&created_lt=2026-12-01T00%3A00%3A00Z&limit=100&cursor=c%2F1%2B");
    assertThat(page.getHasMore()).isTrue();
    assertThat(page.getNextCursor()).isEqualTo("eyJjIjoiMjAyNi0xMS0yMyJ9");
    Merchant merchant = page.getData().get(0);
    assertThat(merchant.getStatus()).isEqualTo(Merchant.StatusEnum.ACTIVE);
    assertThat(merchant.getReview().getDecision()).isEqualTo(MerchantReview.DecisionEnum.APPROVED);
  }

  @Test
  void merchantQuery_isImmutable_andNullUnsetsAFilter() {
    answer(200, list(MERCHANT, false));
    answer(200, list(MERCHANT, false));
    answer(200, list(MERCHANT, false));
    Merchants.MerchantQuery active =
        new Merchants.MerchantQuery().status(Merchant.StatusEnum.ACTIVE);
    Merchants.MerchantQuery recent = active.createdGte(NOV_20);

    client.merchants().listMerchants(new Merchants.MerchantQuery());
    client.merchants().listMerchants(active);
    client.merchants().listMerchants(recent.status(null).limit(5));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::target)
        .containsExactly(
            "/v1/merchants",
            "/v1/merchants?status=ACTIVE",
            "/v1/merchants?created_gte=2026-11-20T00%3A00%3A00%2B08%3A00&limit=5");
  }

  @Test
  void getMerchant_getsItsPath_readsTheReview_andAnUnknownIdIsNotFound() {
    answer(200, REJECTED);
    problem(404, "not_found");

    Merchant merchant = client.merchants().getMerchant(MERCHANT_ID);
    assertThatThrownBy(() -> client.merchants().getMerchant("mch_0000000000000000"))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.code()).isEqualTo("not_found"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/merchants/" + MERCHANT_ID, "GET /v1/merchants/mch_0000000000000000");
    assertThat(merchant.getStatus()).isEqualTo(Merchant.StatusEnum.REJECTED);
    assertThat(merchant.getReview().getReason()).isEqualTo("营业执照信息与登记机关记录不一致");
  }

  @Test
  void anIdThatIsNotAPathSegment_isRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> client.merchants().getMerchant("../operator"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.merchants().downloadStatement("mch_1/x", LocalDate.now()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(http.calls).isEmpty();
  }

  @Test
  void getMerchantBalance_getsTheBalancePath_andReadsIt() {
    answer(200, BALANCE);

    MerchantBalance balance = client.merchants().getMerchantBalance(MERCHANT_ID);

    assertThat(onlyCall().toString()).isEqualTo("GET /v1/merchants/" + MERCHANT_ID + "/balance");
    assertThat(balance.getMerchantId()).isEqualTo(MERCHANT_ID);
    assertThat(balance.getPending().getAmount()).isEqualTo(186350L);
    assertThat(balance.getSettling().getAmount()).isEqualTo(241200L);
    assertThat(balance.getFeesPending().getAmount()).isEqualTo(708L);
    assertThat(balance.getAsOf())
        .isEqualTo(OffsetDateTime.of(2026, 11, 23, 10, 15, 30, 0, ZoneOffset.ofHours(8)));
  }

  // settlements and statements

  @Test
  void listMerchantSettlements_sendsTheDayFiltersAsDateGteAndDateLt_andReadsThePage() {
    answer(200, list(SETTLEMENT, false));
    answer(200, list(SETTLEMENT, false));

    MerchantSettlementList page =
        client
            .merchants()
            .listMerchantSettlements(
                MERCHANT_ID,
                new Merchants.SettlementQuery()
                    .cursor("s1")
                    .limit(10)
                    .dateLt(LocalDate.of(2026, 12, 1))
                    .dateGte(LocalDate.of(2026, 11, 1)));
    client.merchants().listMerchantSettlements(MERCHANT_ID, new Merchants.SettlementQuery());

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/merchants/"
                + MERCHANT_ID
                + "/settlements?date_gte=2026-11-01&date_lt=2026-12-01&limit=10&cursor=s1",
            "GET /v1/merchants/" + MERCHANT_ID + "/settlements");
    MerchantSettlement settlement = page.getData().get(0);
    assertThat(settlement.getBusinessDate()).isEqualTo(LocalDate.of(2026, 11, 22));
    assertThat(settlement.getStatus()).isEqualTo(MerchantSettlement.StatusEnum.PAID);
    assertThat(settlement.getNet().getAmount()).isEqualTo(241200L);
  }

  @Test
  void listStatements_sendsTheDayFilters_andReadsThePage_andAnUnknownMerchantIsNotFound() {
    answer(200, list(STATEMENT, true));
    problem(404, "not_found");

    StatementList page =
        client
            .merchants()
            .listStatements(
                MERCHANT_ID,
                new Merchants.StatementQuery().dateGte(LocalDate.of(2026, 11, 1)).limit(31));
    assertThatThrownBy(
            () ->
                client
                    .merchants()
                    .listStatements("mch_0000000000000000", new Merchants.StatementQuery()))
        .isInstanceOf(NotFoundException.class);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/merchants/" + MERCHANT_ID + "/statements?date_gte=2026-11-01&limit=31",
            "GET /v1/merchants/mch_0000000000000000/statements");
    Statement statement = page.getData().get(0);
    assertThat(statement.getStatementDate()).isEqualTo(LocalDate.of(2026, 11, 22));
    assertThat(statement.getStatus()).isEqualTo(Statement.StatusEnum.READY);
    assertThat(statement.getRowCount()).isEqualTo(68);
    assertThat(statement.getTotals().getNet().getAmount()).isEqualTo(241200L);
    assertThat(statement.getSignatureKid()).isEqualTo("gw-ed25519-2026-11");
  }

  @Test
  void listMerchants_withoutTheMerchantsScope_isAPermissionError() {
    problem(403, "insufficient_scope");

    assertThatThrownBy(() -> client.merchants().listMerchants(new Merchants.MerchantQuery()))
        .isInstanceOfSatisfying(
            PermissionException.class, e -> assertThat(e.code()).isEqualTo("insufficient_scope"));
  }

  // the operator's review

  @Test
  void reviewMerchant_postsTheDecisionToTheOperatorsPath_andReadsTheMerchant() {
    answer(200, MERCHANT);
    answer(200, REJECTED);

    Merchant approved =
        client
            .operator()
            .reviewMerchant(
                MERCHANT_ID,
                new ReviewMerchantRequest().decision(ReviewMerchantRequest.DecisionEnum.APPROVE));
    Merchant rejected =
        client
            .operator()
            .reviewMerchant(
                MERCHANT_ID,
                new ReviewMerchantRequest()
                    .decision(ReviewMerchantRequest.DecisionEnum.REJECT)
                    .reason("营业执照信息与登记机关记录不一致"),
                RequestOptions.idempotencyKey("review-1"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsOnly("POST /v1/operator/merchants/" + MERCHANT_ID + "/review");
    assertThat(postedJson(http.calls.get(0))).isEqualTo(json("{\"decision\":\"APPROVE\"}"));
    assertThat(postedJson(http.calls.get(1)))
        .isEqualTo(json("{\"decision\":\"REJECT\",\"reason\":\"营业执照信息与登记机关记录不一致\"}"));
    assertThat(http.calls.get(1).header("idempotency-key")).isEqualTo("review-1");
    assertThat(approved.getStatus()).isEqualTo(Merchant.StatusEnum.ACTIVE);
    assertThat(rejected.getReview().getDecision()).isEqualTo(MerchantReview.DecisionEnum.REJECTED);
  }

  @Test
  void reviewMerchant_refusals_mapToConflictAndDeclined() {
    problem(409, "merchant_not_pending");
    problem(422, "reason_required");
    ReviewMerchantRequest reject =
        new ReviewMerchantRequest().decision(ReviewMerchantRequest.DecisionEnum.REJECT);

    assertThatThrownBy(() -> client.operator().reviewMerchant(MERCHANT_ID, reject))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("merchant_not_pending"));
    assertThatThrownBy(() -> client.operator().reviewMerchant(MERCHANT_ID, reject))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("reason_required"));
    assertThat(http.calls).hasSize(2);
  }
}
