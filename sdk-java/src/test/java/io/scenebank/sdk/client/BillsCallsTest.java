package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.Bills;
import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.DeclinedException;
import io.scenebank.sdk.NotFoundException;
import io.scenebank.sdk.PermissionException;
import io.scenebank.sdk.RequestOptions;
import io.scenebank.sdk.ServerException;
import io.scenebank.sdk.internal.client.Mapper;
import io.scenebank.sdk.model.BillInquiry;
import io.scenebank.sdk.model.BillPayment;
import io.scenebank.sdk.model.BillPaymentList;
import io.scenebank.sdk.model.BillReceipt;
import io.scenebank.sdk.model.Biller;
import io.scenebank.sdk.model.BillerList;
import io.scenebank.sdk.model.CancelMandateRequest;
import io.scenebank.sdk.model.CreateBillPaymentRequest;
import io.scenebank.sdk.model.CreateBillerRequest;
import io.scenebank.sdk.model.CreateMandateRequest;
import io.scenebank.sdk.model.InquireBillsRequest;
import io.scenebank.sdk.model.Mandate;
import io.scenebank.sdk.model.MandateList;
import io.scenebank.sdk.model.UpdateBillerRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Each typed bill call sends the contract's method, path, query and body (with an idempotency key
 * on every POST) and reads the answer into its model; the gateway's codes become the SDK's
 * exceptions. Bodies and answers are the contract's examples.
 */
class BillsCallsTest extends TypedCallsHarness {

  static final String BILLER_ID = "blr_3Wx8Kq2MvT7pN4bRz6Ld";
  static final String BILL_ID = "bil_4Kr9Tm2XpQ7nV3bLw8Zd";
  static final String PAYMENT_ID = "bpy_6Tq3Wn8KxR2mP7vLb4Zf";
  static final String MANDATE_ID = "mdt_2Xv7Lq4NmT9kR3pWb6Zs";
  static final OffsetDateTime NOV_23 =
      OffsetDateTime.of(2026, 11, 23, 0, 0, 0, 0, ZoneOffset.ofHours(8));
  static final OffsetDateTime DEC_1_UTC =
      OffsetDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  static final String BILLER =
      "{\"id\":\"blr_3Wx8Kq2MvT7pN4bRz6Ld\",\"object\":\"biller\",\"livemode\":false,"
          + "\"name\":\"江南水务（沙箱）\",\"category\":\"WATER\",\"region\":\"320400\","
          + "\"region_name\":\"江苏省常州市\",\"account_number_format\":{\"regex\":\"^[0-9]{10}$\","
          + "\"example\":\"3204001234\",\"description\":\"10 位户号，印在水费通知单左上角\"},"
          + "\"amount_rule\":\"EXACT\",\"min_amount\":{\"amount\":100,\"currency\":\"CNY\"},"
          + "\"max_amount\":{\"amount\":5000000,\"currency\":\"CNY\"},\"inquiry_required\":true,"
          + "\"supports_mandates\":true,\"status\":\"ACTIVE\","
          + "\"created_at\":\"2026-11-01T09:00:00+08:00\",\"updated_at\":\"2026-11-01T09:00:00+08:00\"}";
  static final String INQUIRY =
      "{\"id\":\"inq_7Rb3Nx8KtQ2mW6pLv4Zc\",\"object\":\"bill_inquiry\",\"livemode\":false,"
          + "\"biller_id\":\"blr_3Wx8Kq2MvT7pN4bRz6Ld\",\"account_number\":\"3204001234\","
          + "\"status\":\"DUES\",\"account_holder_masked\":\"王*\",\"bills\":[{"
          + "\"id\":\"bil_4Kr9Tm2XpQ7nV3bLw8Zd\",\"object\":\"bill\",\"livemode\":false,"
          + "\"biller_id\":\"blr_3Wx8Kq2MvT7pN4bRz6Ld\",\"account_number\":\"3204001234\","
          + "\"period\":\"2026-10\",\"amount_due\":{\"amount\":8650,\"currency\":\"CNY\"},"
          + "\"due_date\":\"2026-12-15\",\"issued_at\":\"2026-11-05T08:00:00+08:00\","
          + "\"status\":\"UNPAID\",\"created_at\":\"2026-11-05T08:00:00+08:00\","
          + "\"updated_at\":\"2026-11-05T08:00:00+08:00\"}],"
          + "\"created_at\":\"2026-11-23T10:15:30+08:00\"}";
  static final String PAYMENT =
      "{\"id\":\"bpy_6Tq3Wn8KxR2mP7vLb4Zf\",\"object\":\"bill_payment\",\"livemode\":false,"
          + "\"biller_id\":\"blr_3Wx8Kq2MvT7pN4bRz6Ld\",\"bill_id\":\"bil_4Kr9Tm2XpQ7nV3bLw8Zd\","
          + "\"account_number\":\"3204001234\",\"amount\":{\"amount\":8650,\"currency\":\"CNY\"},"
          + "\"payer\":{\"account_id\":\"acc_5Tn9Qx2KmR7vL4pWb8Zc\","
          + "\"account_masked\":\"6230********4821\",\"name_masked\":\"王*\"},"
          + "\"status\":\"SUCCEEDED\",\"channel_reference\":\"WX-BILL-20261123-000187\","
          + "\"biller_reference\":\"JNSW2026112300018\",\"confirmed_at\":\"2026-11-23T10:15:32+08:00\","
          + "\"created_at\":\"2026-11-23T10:15:30+08:00\",\"updated_at\":\"2026-11-23T10:15:32+08:00\"}";
  static final String MANDATE =
      "{\"id\":\"mdt_2Xv7Lq4NmT9kR3pWb6Zs\",\"object\":\"mandate\",\"livemode\":false,"
          + "\"biller_id\":\"blr_3Wx8Kq2MvT7pN4bRz6Ld\",\"account_number\":\"3204001234\","
          + "\"payer\":{\"account_id\":\"acc_5Tn9Qx2KmR7vL4pWb8Zc\","
          + "\"account_masked\":\"6230********4821\",\"name_masked\":\"王*\"},"
          + "\"max_amount_per_bill\":{\"amount\":30000,\"currency\":\"CNY\"},\"status\":\"ACTIVE\","
          + "\"created_at\":\"2026-11-23T10:15:30+08:00\",\"updated_at\":\"2026-11-23T10:15:30+08:00\"}";
  static final String BILLER_DEFINITION =
      "{\"name\":\"江南水务\",\"category\":\"WATER\",\"region\":\"320400\","
          + "\"region_name\":\"江苏省常州市\",\"account_number_format\":{\"regex\":\"^[0-9]{10}$\","
          + "\"example\":\"3204001234\",\"description\":\"10 位户号，印在水费通知单左上角\"},"
          + "\"amount_rule\":\"EXACT\",\"min_amount\":{\"amount\":100,\"currency\":\"CNY\"},"
          + "\"max_amount\":{\"amount\":5000000,\"currency\":\"CNY\"},\"inquiry_required\":true,"
          + "\"supports_mandates\":true,\"connector\":{\"type\":\"HTTP_JSON\","
          + "\"base_url\":\"https://billing.water.example/api\","
          + "\"credentials_ref\":\"SCENEBANK_BILLER_SECRET_JNSW\",\"timeout_ms\":5000,\"max_retries\":2,"
          + "\"confirmation_deadline_seconds\":300}}";

  static String list(String item, boolean hasMore) {
    return CareCallsTest.list(item, hasMore);
  }

  static <T> T example(String json, Class<T> type) throws IOException {
    return Mapper.MAPPER.readValue(json, type);
  }

  // billers

  @Test
  void listBillers_sendsEveryFilterUrlEncodedInTheContractsOrder_andReadsThePage() {
    answer(200, list(BILLER, true));

    BillerList page =
        client
            .bills()
            .listBillers(
                new Bills.BillerQuery()
                    .cursor("abc_-1")
                    .limit(50)
                    .q("水务 & co")
                    .region("320400")
                    .category(Biller.CategoryEnum.WATER));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.method).isEqualTo("GET");
    assertThat(call.body).isNull();
    assertThat(call.header("idempotency-key")).isNull();
    assertThat(call.target())
        .isEqualTo(
            "/v1/bills/billers?category=WATER&region=320400"
                + "&q=%E6%B0%B4%E5%8A%A1+%26+co&limit=50&cursor=abc_-1");
    String q = call.uri.getRawQuery().split("&")[2];
    assertThat(URLDecoder.decode(q, StandardCharsets.UTF_8)).isEqualTo("q=水务 & co");
    assertThat(page.getHasMore()).isTrue();
    assertThat(page.getNextCursor()).isEqualTo("eyJjIjoiMjAyNi0xMS0yMyJ9");
    Biller biller = page.getData().get(0);
    assertThat(biller.getId()).isEqualTo(BILLER_ID);
    assertThat(biller.getCategory()).isEqualTo(Biller.CategoryEnum.WATER);
    assertThat(biller.getAmountRule()).isEqualTo(Biller.AmountRuleEnum.EXACT);
    assertThat(biller.getAccountNumberFormat().getRegex()).isEqualTo("^[0-9]{10}$");
    assertThat(biller.getMaxAmount().getAmount()).isEqualTo(5000000L);
  }

  @Test
  void billerQuery_isImmutable_andNullUnsetsAFilter() {
    answer(200, list(BILLER, false));
    answer(200, list(BILLER, false));
    answer(200, list(BILLER, false));
    Bills.BillerQuery inChangzhou = new Bills.BillerQuery().region("320400");
    Bills.BillerQuery water = inChangzhou.category(Biller.CategoryEnum.WATER);

    client.bills().listBillers(new Bills.BillerQuery());
    client.bills().listBillers(inChangzhou);
    client.bills().listBillers(water.category(null).q("电").limit(10));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::target)
        .containsExactly(
            "/v1/bills/billers",
            "/v1/bills/billers?region=320400",
            "/v1/bills/billers?region=320400&q=%E7%94%B5&limit=10");
  }

  @Test
  void getBiller_getsItsPath_andAnUnknownIdIsNotFound() {
    answer(200, BILLER);
    problem(404, "not_found");

    Biller biller = client.bills().getBiller(BILLER_ID);
    assertThatThrownBy(() -> client.bills().getBiller("blr_0000000000000000"))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.code()).isEqualTo("not_found"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/bills/billers/" + BILLER_ID, "GET /v1/bills/billers/blr_0000000000000000");
    assertThat(biller.getSupportsMandates()).isTrue();
    assertThat(biller.getStatus()).isEqualTo(Biller.StatusEnum.ACTIVE);
  }

  @Test
  void listBillers_withoutTheBillsScope_isAPermissionError() {
    problem(403, "insufficient_scope");

    assertThatThrownBy(() -> client.bills().listBillers(new Bills.BillerQuery()))
        .isInstanceOfSatisfying(
            PermissionException.class, e -> assertThat(e.code()).isEqualTo("insufficient_scope"));
  }

  // inquiries

  @Test
  void inquireBills_postsTheAccountWithAFreshIdempotencyKey_andReadsTheDues() {
    answer(200, INQUIRY);

    BillInquiry inquiry =
        client
            .bills()
            .inquireBills(
                new InquireBillsRequest().billerId(BILLER_ID).accountNumber("3204001234"));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/bills/inquiries");
    assertThat(postedJson(call))
        .isEqualTo(json("{\"biller_id\":\"" + BILLER_ID + "\",\"account_number\":\"3204001234\"}"));
    assertThat(call.header("idempotency-key")).matches("[0-9a-f-]{36}");
    assertThat(inquiry.getStatus()).isEqualTo(BillInquiry.StatusEnum.DUES);
    assertThat(inquiry.getAccountHolderMasked()).isEqualTo("王*");
    assertThat(inquiry.getBills())
        .singleElement()
        .satisfies(
            bill -> {
              assertThat(bill.getId()).isEqualTo(BILL_ID);
              assertThat(bill.getAmountDue().getAmount()).isEqualTo(8650L);
              assertThat(bill.getDueDate()).isEqualTo(LocalDate.of(2026, 12, 15));
            });
  }

  @Test
  void inquireBills_withYourIdempotencyKey_sendsThatKey_andAnUnknownAccountIsDeclined() {
    problem(422, "invalid_account");
    InquireBillsRequest request =
        new InquireBillsRequest().billerId(BILLER_ID).accountNumber("3204001");

    assertThatThrownBy(
            () ->
                client.bills().inquireBills(request, RequestOptions.idempotencyKey("inq-3204001")))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("invalid_account"));
    assertThat(onlyCall().header("idempotency-key")).isEqualTo("inq-3204001");
  }

  @Test
  void inquireBills_whenTheBillerTimesOut_isRetriedWithTheSameKey_thenAServerError() {
    for (int i = 0; i < 3; i++) {
      problem(504, "biller_timeout");
    }

    assertThatThrownBy(
            () ->
                client
                    .bills()
                    .inquireBills(
                        new InquireBillsRequest().billerId(BILLER_ID).accountNumber("3204001234")))
        .isInstanceOfSatisfying(
            ServerException.class,
            e -> {
              assertThat(e.code()).isEqualTo("biller_timeout");
              assertThat(e.httpStatus()).isEqualTo(504);
            });
    assertThat(http.calls).hasSize(3);
    assertThat(http.calls.stream().map(c -> c.header("idempotency-key")).distinct()).hasSize(1);
  }

  @Test
  void inquireBills_atASuspendedBiller_isAConflict() {
    problem(409, "biller_suspended");

    assertThatThrownBy(
            () ->
                client
                    .bills()
                    .inquireBills(
                        new InquireBillsRequest().billerId(BILLER_ID).accountNumber("3204001234")))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("biller_suspended"));
    assertThat(http.calls).hasSize(1);
  }

  // payments

  @Test
  void createBillPayment_postsThePaymentWithYourKey_andReadsIt() throws IOException {
    answer(201, PAYMENT);
    String pay =
        "{\"biller_id\":\"blr_3Wx8Kq2MvT7pN4bRz6Ld\",\"account_number\":\"3204001234\","
            + "\"bill_id\":\"bil_4Kr9Tm2XpQ7nV3bLw8Zd\",\"amount\":{\"amount\":8650,\"currency\":\"CNY\"},"
            + "\"payer\":{\"account_id\":\"acc_5Tn9Qx2KmR7vL4pWb8Zc\"},"
            + "\"channel_reference\":\"WX-BILL-20261123-000187\"}";

    BillPayment payment =
        client
            .bills()
            .createBillPayment(
                example(pay, CreateBillPaymentRequest.class),
                RequestOptions.idempotencyKey("WX-BILL-20261123-000187"));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/bills/payments");
    assertThat(withoutEmptyContainers(postedJson(call))).isEqualTo(json(pay));
    assertThat(call.header("idempotency-key")).isEqualTo("WX-BILL-20261123-000187");
    assertThat(payment.getId()).isEqualTo(PAYMENT_ID);
    assertThat(payment.getStatus()).isEqualTo(BillPayment.StatusEnum.SUCCEEDED);
    assertThat(payment.getPayer().getAccountMasked()).isEqualTo("6230********4821");
    assertThat(payment.getConfirmedAt())
        .isEqualTo(OffsetDateTime.of(2026, 11, 23, 10, 15, 32, 0, ZoneOffset.ofHours(8)));
  }

  @Test
  void createBillPayment_eachCallWithoutAKeyGetsItsOwn_andRefusalsMapToTheirExceptions() {
    problem(409, "bill_already_paid");
    problem(422, "insufficient_funds");
    CreateBillPaymentRequest request =
        new CreateBillPaymentRequest().billerId(BILLER_ID).channelReference("WX-1");

    assertThatThrownBy(() -> client.bills().createBillPayment(request))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("bill_already_paid"));
    assertThatThrownBy(() -> client.bills().createBillPayment(request))
        .isInstanceOfSatisfying(
            DeclinedException.class,
            e -> {
              assertThat(e.code()).isEqualTo("insufficient_funds");
              assertThat(e.requestId()).isEqualTo("req_fake");
            });

    assertThat(http.calls).hasSize(2);
    assertThat(http.calls.get(0).header("idempotency-key"))
        .isNotBlank()
        .isNotEqualTo(http.calls.get(1).header("idempotency-key"));
  }

  @Test
  void listBillPayments_sendsEveryFilterInTheContractsOrder_andGetBillPaymentItsPath() {
    answer(200, list(PAYMENT, true));
    answer(200, PAYMENT);

    BillPaymentList page =
        client
            .bills()
            .listBillPayments(
                new Bills.BillPaymentQuery()
                    .cursor("p1")
                    .limit(100)
                    .createdLt(DEC_1_UTC)
                    .createdGte(NOV_23)
                    .status(BillPayment.StatusEnum.REVERSED)
                    .billerId(BILLER_ID));
    BillPayment payment = client.bills().getBillPayment(PAYMENT_ID);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/bills/payments?biller_id="
                + BILLER_ID
                + "&status=REVERSED"
                + "&created_gte=2026-11-23T00%3A00%3A00%2B08%3A00"
                + "&created_lt=2026-12-01T00%3A00%3A00Z&limit=100&cursor=p1",
            "GET /v1/bills/payments/" + PAYMENT_ID);
    assertThat(http.calls.get(0).uri.getQuery()).contains("created_gte=2026-11-23T00:00:00+08:00");
    assertThat(page.getHasMore()).isTrue();
    assertThat(page.getData()).extracting(BillPayment::getId).containsExactly(PAYMENT_ID);
    assertThat(payment.getBillerReference()).isEqualTo("JNSW2026112300018");
  }

  @Test
  void billPaymentQuery_withoutFilters_isThePlainPath() {
    answer(200, list(PAYMENT, false));
    answer(200, list(PAYMENT, false));
    Bills.BillPaymentQuery pending =
        new Bills.BillPaymentQuery().status(BillPayment.StatusEnum.PENDING);

    client.bills().listBillPayments(new Bills.BillPaymentQuery());
    client.bills().listBillPayments(pending.status(null).limit(5));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::target)
        .containsExactly("/v1/bills/payments", "/v1/bills/payments?limit=5");
  }

  @Test
  void getBillReceipt_getsTheReceiptPath_andAPaymentNotSucceededIsAConflict() {
    answer(
        200,
        "{\"object\":\"bill_receipt\",\"bill_payment_id\":\"bpy_6Tq3Wn8KxR2mP7vLb4Zf\","
            + "\"livemode\":false,\"receipt\":{\"receipt_number\":\"RCT202611230000187\"},"
            + "\"jws\":\"a.b.c\",\"kid\":\"gw-ed25519-2026-11\","
            + "\"created_at\":\"2026-11-23T10:15:33+08:00\"}");
    problem(409, "receipt_not_available");

    BillReceipt receipt = client.bills().getBillReceipt(PAYMENT_ID);
    assertThatThrownBy(() -> client.bills().getBillReceipt(PAYMENT_ID))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("receipt_not_available"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsOnly("GET /v1/bills/payments/" + PAYMENT_ID + "/receipt");
    assertThat(receipt.getReceipt().getReceiptNumber()).isEqualTo("RCT202611230000187");
    assertThat(receipt.getJws()).isEqualTo("a.b.c");
    assertThat(receipt.getKid()).isEqualTo("gw-ed25519-2026-11");
  }

  // mandates

  @Test
  void createMandate_postsTheMandate_andReadsItActive() throws IOException {
    answer(201, MANDATE);
    answer(201, MANDATE);
    String mandate =
        "{\"biller_id\":\"blr_3Wx8Kq2MvT7pN4bRz6Ld\",\"account_number\":\"3204001234\","
            + "\"payer\":{\"account_id\":\"acc_5Tn9Qx2KmR7vL4pWb8Zc\"},"
            + "\"max_amount_per_bill\":{\"amount\":30000,\"currency\":\"CNY\"}}";

    Mandate created = client.bills().createMandate(example(mandate, CreateMandateRequest.class));
    client
        .bills()
        .createMandate(
            example(mandate, CreateMandateRequest.class), RequestOptions.idempotencyKey("m-1"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly("POST /v1/bills/mandates", "POST /v1/bills/mandates");
    assertThat(withoutEmptyContainers(postedJson(http.calls.get(0)))).isEqualTo(json(mandate));
    assertThat(http.calls.get(0).header("idempotency-key")).matches("[0-9a-f-]{36}");
    assertThat(http.calls.get(1).header("idempotency-key")).isEqualTo("m-1");
    assertThat(created.getStatus()).isEqualTo(Mandate.StatusEnum.ACTIVE);
    assertThat(created.getMaxAmountPerBill().getAmount()).isEqualTo(30000L);
  }

  @Test
  void createMandate_refusals_mapToConflictAndDeclined() {
    problem(409, "mandate_exists");
    problem(422, "mandates_not_supported");

    assertThatThrownBy(() -> client.bills().createMandate(new CreateMandateRequest()))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("mandate_exists"));
    assertThatThrownBy(() -> client.bills().createMandate(new CreateMandateRequest()))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("mandates_not_supported"));
    assertThat(http.calls).hasSize(2);
  }

  @Test
  void listMandates_filtersByBillerAndStatus_getAndCancelUseTheMandatesPath() {
    answer(200, list(MANDATE, false));
    answer(200, list(MANDATE, false));
    answer(200, MANDATE);
    answer(200, MANDATE.replace("\"ACTIVE\"", "\"CANCELLED\""));

    MandateList page =
        client
            .bills()
            .listMandates(
                new Bills.MandateQuery()
                    .limit(5)
                    .status(Mandate.StatusEnum.ACTIVE)
                    .billerId(BILLER_ID)
                    .cursor("m1"));
    client.bills().listMandates(new Bills.MandateQuery());
    client.bills().getMandate(MANDATE_ID);
    Mandate cancelled =
        client
            .bills()
            .cancelMandate(
                MANDATE_ID,
                new CancelMandateRequest().reason("已搬家"),
                RequestOptions.idempotencyKey("cancel-1"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/bills/mandates?biller_id=" + BILLER_ID + "&status=ACTIVE&limit=5&cursor=m1",
            "GET /v1/bills/mandates",
            "GET /v1/bills/mandates/" + MANDATE_ID,
            "POST /v1/bills/mandates/" + MANDATE_ID + "/cancel");
    assertThat(postedJson(http.calls.get(3))).isEqualTo(json("{\"reason\":\"已搬家\"}"));
    assertThat(http.calls.get(3).header("idempotency-key")).isEqualTo("cancel-1");
    assertThat(page.getData()).extracting(Mandate::getId).containsExactly(MANDATE_ID);
    assertThat(cancelled.getStatus()).isEqualTo(Mandate.StatusEnum.CANCELLED);
  }

  @Test
  void cancelMandate_twice_isAConflictMandateNotActive_sentOnce() {
    problem(409, "mandate_not_active");

    assertThatThrownBy(() -> client.bills().cancelMandate(MANDATE_ID, new CancelMandateRequest()))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("mandate_not_active"));
    assertThat(onlyCall().target()).isEqualTo("/v1/bills/mandates/" + MANDATE_ID + "/cancel");
  }

  @Test
  void ids_thatAreNotPathSegments_areRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> client.bills().getBiller("../operator/billers"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.bills().getBillReceipt(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.bills().verifiedReceipt("bpy_1/receipt?x=1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.bills().cancelMandate("mdt_1?x=1", new CancelMandateRequest()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.operator().updateBiller("blr 1", new UpdateBillerRequest()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(http.calls).isEmpty();
  }

  // the operator's biller directory

  @Test
  void createBiller_postsTheDefinitionToTheOperatorPath_withYourKey() throws IOException {
    answer(201, BILLER.replace("江南水务（沙箱）", "江南水务"));
    answer(201, BILLER);

    Biller biller =
        client
            .operator()
            .createBiller(
                example(BILLER_DEFINITION, CreateBillerRequest.class),
                RequestOptions.idempotencyKey("biller-jnsw"));
    client.operator().createBiller(example(BILLER_DEFINITION, CreateBillerRequest.class));

    RecordingHttpClient.Call call = http.calls.get(0);
    assertThat(call.target()).isEqualTo("/v1/operator/billers");
    assertThat(withoutEmptyContainers(postedJson(call))).isEqualTo(json(BILLER_DEFINITION));
    assertThat(call.header("idempotency-key")).isEqualTo("biller-jnsw");
    assertThat(http.calls.get(1).header("idempotency-key")).matches("[0-9a-f-]{36}");
    assertThat(biller.getName()).isEqualTo("江南水务");
  }

  @Test
  void createBiller_withAnInconsistentDefinition_isDeclined() {
    problem(422, "invalid_biller_definition");

    assertThatThrownBy(() -> client.operator().createBiller(new CreateBillerRequest()))
        .isInstanceOfSatisfying(
            DeclinedException.class,
            e -> assertThat(e.code()).isEqualTo("invalid_biller_definition"));
  }

  @Test
  void updateBiller_putsTheWholeDefinition_signedOverItsDigest_withoutAnIdempotencyKey()
      throws IOException {
    answer(200, BILLER.replace("\"ACTIVE\"", "\"SUSPENDED\""));
    problem(404, "not_found");
    String definition = BILLER_DEFINITION.replace("}}", "},\"status\":\"SUSPENDED\"}");

    Biller suspended =
        client.operator().updateBiller(BILLER_ID, example(definition, UpdateBillerRequest.class));
    assertThatThrownBy(
            () ->
                client
                    .operator()
                    .updateBiller(
                        "blr_0000000000000000", example(definition, UpdateBillerRequest.class)))
        .isInstanceOf(NotFoundException.class);

    RecordingHttpClient.Call call = http.calls.get(0);
    assertThat(call.toString()).isEqualTo("PUT /v1/operator/billers/" + BILLER_ID);
    assertThat(call.header("content-type")).isEqualTo("application/json");
    assertThat(call.header("idempotency-key")).isNull();
    assertThat(call.header("signature-input")).contains("\"authorization\" \"content-digest\")");
    assertThat(withoutEmptyContainers(json(call.body))).isEqualTo(json(definition));
    assertThat(json(call.body).at("/status").asText()).isEqualTo("SUSPENDED");
    assertThat(suspended.getStatus()).isEqualTo(Biller.StatusEnum.SUSPENDED);
    assertThat(http.calls).hasSize(2);
  }
}
