package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.DeclinedException;
import io.scenebank.sdk.NotFoundException;
import io.scenebank.sdk.Payments;
import io.scenebank.sdk.PermissionException;
import io.scenebank.sdk.RequestOptions;
import io.scenebank.sdk.ServerException;
import io.scenebank.sdk.internal.client.Mapper;
import io.scenebank.sdk.model.CancelPaymentRequest;
import io.scenebank.sdk.model.CreateCodePaymentRequest;
import io.scenebank.sdk.model.CreateQrOrderRequest;
import io.scenebank.sdk.model.CreateRefundRequest;
import io.scenebank.sdk.model.Payment;
import io.scenebank.sdk.model.PaymentList;
import io.scenebank.sdk.model.Refund;
import io.scenebank.sdk.model.RefundList;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Each typed payment call sends the contract's method, path, query and body (with an idempotency
 * key on every POST) and reads the answer into its model; the gateway's codes become the SDK's
 * exceptions. Bodies and answers are the contract's examples.
 */
class PaymentsCallsTest extends TypedCallsHarness {

  static final String MERCHANT_ID = "mch_8Pz3Kt6QwN2xV7mLr4Bd";
  static final String QR_ID = "pay_3Mx8Vq2KtN7pR4bLw9Zc";
  static final String CODE_ID = "pay_7Ln2Wx9QkT4mV8pRb3Zd";
  static final OffsetDateTime NOV_23 =
      OffsetDateTime.of(2026, 11, 23, 0, 0, 0, 0, ZoneOffset.ofHours(8));
  static final OffsetDateTime DEC_1_UTC =
      OffsetDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  static final String QR_ORDER_REQUEST =
      "{\"merchant_id\":\"mch_8Pz3Kt6QwN2xV7mLr4Bd\",\"amount\":{\"amount\":3600,\"currency\":\"CNY\"},"
          + "\"description\":\"小笼包 2 笼 + 豆浆\",\"merchant_order_ref\":\"QB20261123-0107\","
          + "\"expires_in_seconds\":900,\"metadata\":{\"table\":\"A12\"}}";
  static final String QR_ORDER =
      "{\"id\":\"pay_3Mx8Vq2KtN7pR4bLw9Zc\",\"object\":\"payment\",\"livemode\":false,"
          + "\"type\":\"QR_ORDER\",\"status\":\"PENDING\",\"merchant_id\":\"mch_8Pz3Kt6QwN2xV7mLr4Bd\","
          + "\"amount\":{\"amount\":3600,\"currency\":\"CNY\"},"
          + "\"refunded_amount\":{\"amount\":0,\"currency\":\"CNY\"},\"description\":\"小笼包 2 笼 + 豆浆\","
          + "\"merchant_order_ref\":\"QB20261123-0107\","
          + "\"qr_payload\":\"https://qr.sandbox.scenebank.example/p/pay_3Mx8Vq2KtN7pR4bLw9Zc\","
          + "\"expires_at\":\"2026-11-23T10:30:30+08:00\",\"metadata\":{\"table\":\"A12\"},"
          + "\"created_at\":\"2026-11-23T10:15:30+08:00\",\"updated_at\":\"2026-11-23T10:15:30+08:00\"}";
  static final String CANCELLED =
      QR_ORDER
          .replace("\"PENDING\"", "\"CANCELLED\"")
          .replace(
              "\"updated_at\":\"2026-11-23T10:15:30+08:00\"",
              "\"updated_at\":\"2026-11-23T10:18:00+08:00\","
                  + "\"cancelled_at\":\"2026-11-23T10:18:00+08:00\"");
  static final String CODE_PAYMENT_REQUEST =
      "{\"merchant_id\":\"mch_8Pz3Kt6QwN2xV7mLr4Bd\",\"payer_code\":\"289999000000000001\","
          + "\"amount\":{\"amount\":2850,\"currency\":\"CNY\"},"
          + "\"description\":\"鲜肉小笼 1 笼 + 蟹粉小笼 1 笼\",\"merchant_order_ref\":\"QB20261123-0108\"}";
  static final String CODE_PAYMENT =
      "{\"id\":\"pay_7Ln2Wx9QkT4mV8pRb3Zd\",\"object\":\"payment\",\"livemode\":false,"
          + "\"type\":\"PAYER_CODE\",\"status\":\"SUCCEEDED\",\"merchant_id\":\"mch_8Pz3Kt6QwN2xV7mLr4Bd\","
          + "\"amount\":{\"amount\":2850,\"currency\":\"CNY\"},"
          + "\"refunded_amount\":{\"amount\":0,\"currency\":\"CNY\"},"
          + "\"description\":\"鲜肉小笼 1 笼 + 蟹粉小笼 1 笼\",\"merchant_order_ref\":\"QB20261123-0108\","
          + "\"paid_at\":\"2026-11-23T10:15:31+08:00\",\"payer\":{\"account_id\":\"acc_5Tn9Qx2KmR7vL4pWb8Zc\","
          + "\"account_masked\":\"6230********4821\",\"name_masked\":\"王*\"},"
          + "\"created_at\":\"2026-11-23T10:15:30+08:00\",\"updated_at\":\"2026-11-23T10:15:31+08:00\"}";
  static final String DECLINED =
      "{\"id\":\"pay_7Ln2Wx9QkT4mV8pRb3Zd\",\"object\":\"payment\",\"livemode\":false,"
          + "\"type\":\"PAYER_CODE\",\"status\":\"DECLINED\",\"merchant_id\":\"mch_8Pz3Kt6QwN2xV7mLr4Bd\","
          + "\"amount\":{\"amount\":2850,\"currency\":\"CNY\"},"
          + "\"refunded_amount\":{\"amount\":0,\"currency\":\"CNY\"},"
          + "\"description\":\"鲜肉小笼 1 笼 + 蟹粉小笼 1 笼\",\"merchant_order_ref\":\"QB20261123-0108\","
          + "\"created_at\":\"2026-11-23T10:15:30+08:00\",\"updated_at\":\"2026-11-23T10:15:31+08:00\","
          + "\"decline_code\":\"INSUFFICIENT_FUNDS\",\"decline_message\":\"付款账户余额不足\"}";
  static final String REFUND_REQUEST =
      "{\"amount\":{\"amount\":1200,\"currency\":\"CNY\"},\"reason\":\"少上一笼小笼包\","
          + "\"merchant_refund_ref\":\"RF20261123-0012\"}";
  static final String REFUND =
      "{\"id\":\"rfd_4Vn8Qx2KtM7pL3bRw9Zd\",\"object\":\"refund\",\"livemode\":false,"
          + "\"payment_id\":\"pay_3Mx8Vq2KtN7pR4bLw9Zc\",\"merchant_id\":\"mch_8Pz3Kt6QwN2xV7mLr4Bd\","
          + "\"amount\":{\"amount\":1200,\"currency\":\"CNY\"},\"status\":\"SUCCEEDED\","
          + "\"reason\":\"少上一笼小笼包\",\"merchant_refund_ref\":\"RF20261123-0012\","
          + "\"created_at\":\"2026-11-23T12:10:44+08:00\"}";

  static String list(String item, boolean hasMore) {
    return CareCallsTest.list(item, hasMore);
  }

  static <T> T example(String json, Class<T> type) throws IOException {
    return Mapper.MAPPER.readValue(json, type);
  }

  // QR orders and payment codes

  @Test
  void createQrOrder_postsTheOrderWithAFreshIdempotencyKey_andReadsItPending() throws IOException {
    answer(201, QR_ORDER);

    Payment order =
        client.payments().createQrOrder(example(QR_ORDER_REQUEST, CreateQrOrderRequest.class));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/payments/qr-orders");
    assertThat(postedJson(call)).isEqualTo(json(QR_ORDER_REQUEST));
    assertThat(call.header("idempotency-key")).matches("[0-9a-f-]{36}");
    assertThat(order.getId()).isEqualTo(QR_ID);
    assertThat(order.getType()).isEqualTo(Payment.TypeEnum.QR_ORDER);
    assertThat(order.getStatus()).isEqualTo(Payment.StatusEnum.PENDING);
    assertThat(order.getQrPayload())
        .isEqualTo("https://qr.sandbox.scenebank.example/p/pay_3Mx8Vq2KtN7pR4bLw9Zc");
    assertThat(order.getMetadata()).containsEntry("table", "A12");
    assertThat(order.getExpiresAt())
        .isEqualTo(OffsetDateTime.of(2026, 11, 23, 10, 30, 30, 0, ZoneOffset.ofHours(8)));
  }

  @Test
  void createQrOrder_refusals_mapToConflicts_eachCallWithoutAKeyGettingItsOwn() {
    problem(409, "merchant_not_active");
    problem(409, "duplicate_merchant_order_ref");
    CreateQrOrderRequest request =
        new CreateQrOrderRequest().merchantId(MERCHANT_ID).merchantOrderRef("QB20261123-0107");

    assertThatThrownBy(() -> client.payments().createQrOrder(request))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("merchant_not_active"));
    assertThatThrownBy(() -> client.payments().createQrOrder(request))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> assertThat(e.code()).isEqualTo("duplicate_merchant_order_ref"));

    assertThat(http.calls).hasSize(2);
    assertThat(http.calls.get(0).header("idempotency-key"))
        .isNotBlank()
        .isNotEqualTo(http.calls.get(1).header("idempotency-key"));
  }

  @Test
  void createCodePayment_postsTheCodeWithYourKey_andReadsTheOutcome() throws IOException {
    answer(201, CODE_PAYMENT);
    answer(201, DECLINED);
    CreateCodePaymentRequest request =
        example(CODE_PAYMENT_REQUEST, CreateCodePaymentRequest.class);

    Payment paid =
        client
            .payments()
            .createCodePayment(request, RequestOptions.idempotencyKey("QB20261123-0108"));
    Payment declined = client.payments().createCodePayment(request);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsOnly("POST /v1/payments/code-payments");
    assertThat(withoutEmptyContainers(postedJson(http.calls.get(0))))
        .isEqualTo(json(CODE_PAYMENT_REQUEST));
    assertThat(http.calls.get(0).header("idempotency-key")).isEqualTo("QB20261123-0108");
    assertThat(paid.getType()).isEqualTo(Payment.TypeEnum.PAYER_CODE);
    assertThat(paid.getStatus()).isEqualTo(Payment.StatusEnum.SUCCEEDED);
    assertThat(paid.getPayer().getNameMasked()).isEqualTo("王*");
    // a declined payment is an answer (201), not an exception
    assertThat(declined.getStatus()).isEqualTo(Payment.StatusEnum.DECLINED);
    assertThat(declined.getDeclineCode()).isEqualTo(Payment.DeclineCodeEnum.INSUFFICIENT_FUNDS);
    assertThat(declined.getDeclineMessage()).isEqualTo("付款账户余额不足");
  }

  @Test
  void createCodePayment_whenTheGatewayTimesOut_isRetriedWithTheSameKey_thenAServerError() {
    for (int i = 0; i < 3; i++) {
      problem(504, "upstream_timeout");
    }

    assertThatThrownBy(
            () ->
                client
                    .payments()
                    .createCodePayment(new CreateCodePaymentRequest().merchantId(MERCHANT_ID)))
        .isInstanceOfSatisfying(
            ServerException.class, e -> assertThat(e.httpStatus()).isEqualTo(504));
    assertThat(http.calls).hasSize(3);
    assertThat(http.calls.stream().map(c -> c.header("idempotency-key")).distinct()).hasSize(1);
  }

  // lists and lookups

  @Test
  void listPayments_sendsEveryFilterUrlEncodedInTheContractsOrder_andReadsThePage() {
    answer(200, list(CODE_PAYMENT, true));

    PaymentList page =
        client
            .payments()
            .listPayments(
                new Payments.PaymentQuery()
                    .cursor("p1")
                    .limit(50)
                    .createdLt(DEC_1_UTC)
                    .createdGte(NOV_23)
                    .merchantOrderRef("QB 2026/11:23+0108")
                    .type(Payment.TypeEnum.PAYER_CODE)
                    .status(Payment.StatusEnum.SUCCEEDED)
                    .merchantId(MERCHANT_ID));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.method).isEqualTo("GET");
    assertThat(call.body).isNull();
    assertThat(call.header("idempotency-key")).isNull();
    assertThat(call.target())
        .isEqualTo(
            "/v1/payments?merchant_id="
                + MERCHANT_ID
                + "&status=SUCCEEDED&type=PAYER_CODE"
                + "&merchant_order_ref=QB+2026%2F11%3A23%2B0108"
                + "&created_gte=2026-11-23T00%3A00%3A00%2B08%3A00"
                + "&created_lt=2026-12-01T00%3A00%3A00Z&limit=50&cursor=p1");
    String ref = call.uri.getRawQuery().split("&")[3];
    assertThat(URLDecoder.decode(ref, StandardCharsets.UTF_8))
        .isEqualTo("merchant_order_ref=QB 2026/11:23+0108");
    assertThat(page.getHasMore()).isTrue();
    assertThat(page.getData()).extracting(Payment::getId).containsExactly(CODE_ID);
  }

  @Test
  void paymentQuery_isImmutable_andWithoutFiltersIsThePlainPath() {
    answer(200, list(QR_ORDER, false));
    answer(200, list(QR_ORDER, false));
    Payments.PaymentQuery canteen = new Payments.PaymentQuery().type(Payment.TypeEnum.CANTEEN);

    client.payments().listPayments(new Payments.PaymentQuery());
    client.payments().listPayments(canteen.type(null).merchantOrderRef("QB20261123-0107"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::target)
        .containsExactly("/v1/payments", "/v1/payments?merchant_order_ref=QB20261123-0107");
  }

  @Test
  void getPayment_getsItsPath_andAnUnknownIdIsNotFound() {
    answer(200, QR_ORDER);
    problem(404, "not_found");

    Payment payment = client.payments().getPayment(QR_ID);
    assertThatThrownBy(() -> client.payments().getPayment("pay_0000000000000000"))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.code()).isEqualTo("not_found"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly("GET /v1/payments/" + QR_ID, "GET /v1/payments/pay_0000000000000000");
    assertThat(payment.getStatus()).isEqualTo(Payment.StatusEnum.PENDING);
  }

  @Test
  void listPayments_withoutThePaymentsScope_isAPermissionError() {
    problem(403, "insufficient_scope");

    assertThatThrownBy(() -> client.payments().listPayments(new Payments.PaymentQuery()))
        .isInstanceOfSatisfying(
            PermissionException.class, e -> assertThat(e.code()).isEqualTo("insufficient_scope"));
  }

  // cancellations and refunds

  @Test
  void cancelPayment_postsTheReason_andAPaidOrderIsNotCancellable() {
    answer(200, CANCELLED);
    problem(409, "payment_not_cancellable");

    Payment cancelled =
        client.payments().cancelPayment(QR_ID, new CancelPaymentRequest().reason("顾客取消订单"));
    assertThatThrownBy(
            () ->
                client
                    .payments()
                    .cancelPayment(
                        QR_ID, new CancelPaymentRequest(), RequestOptions.idempotencyKey("c-2")))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> assertThat(e.code()).isEqualTo("payment_not_cancellable"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsOnly("POST /v1/payments/" + QR_ID + "/cancel");
    assertThat(postedJson(http.calls.get(0))).isEqualTo(json("{\"reason\":\"顾客取消订单\"}"));
    assertThat(postedJson(http.calls.get(1))).isEqualTo(json("{}"));
    assertThat(http.calls.get(1).header("idempotency-key")).isEqualTo("c-2");
    assertThat(cancelled.getStatus()).isEqualTo(Payment.StatusEnum.CANCELLED);
    assertThat(cancelled.getCancelledAt())
        .isEqualTo(OffsetDateTime.of(2026, 11, 23, 10, 18, 0, 0, ZoneOffset.ofHours(8)));
  }

  @Test
  void createRefund_postsTheRefundToThePaymentsPath_andReadsIt() throws IOException {
    answer(201, REFUND);

    Refund refund =
        client
            .payments()
            .createRefund(
                QR_ID,
                example(REFUND_REQUEST, CreateRefundRequest.class),
                RequestOptions.idempotencyKey("RF20261123-0012"));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/payments/" + QR_ID + "/refunds");
    assertThat(withoutEmptyContainers(postedJson(call))).isEqualTo(json(REFUND_REQUEST));
    assertThat(call.header("idempotency-key")).isEqualTo("RF20261123-0012");
    assertThat(refund.getPaymentId()).isEqualTo(QR_ID);
    assertThat(refund.getStatus()).isEqualTo(Refund.StatusEnum.SUCCEEDED);
    assertThat(refund.getAmount().getAmount()).isEqualTo(1200L);
    assertThat(refund.getMerchantRefundRef()).isEqualTo("RF20261123-0012");
  }

  @Test
  void createRefund_refusals_mapToDeclinedConflictAndNotFound() {
    problem(422, "refund_exceeds_paid");
    problem(409, "payment_not_refundable");
    problem(409, "duplicate_merchant_refund_ref");
    problem(404, "not_found");
    CreateRefundRequest request = new CreateRefundRequest().reason("x").merchantRefundRef("RF-1");

    assertThatThrownBy(() -> client.payments().createRefund(QR_ID, request))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("refund_exceeds_paid"));
    assertThatThrownBy(() -> client.payments().createRefund(QR_ID, request))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("payment_not_refundable"));
    assertThatThrownBy(() -> client.payments().createRefund(QR_ID, request))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> assertThat(e.code()).isEqualTo("duplicate_merchant_refund_ref"));
    assertThatThrownBy(() -> client.payments().createRefund("pay_0000000000000000", request))
        .isInstanceOf(NotFoundException.class);
    assertThat(http.calls).hasSize(4);
  }

  @Test
  void listRefunds_sendsTheLimitAndCursor_andReadsThePage() {
    answer(200, list(REFUND, false));
    answer(200, list(REFUND, false));

    RefundList page = client.payments().listRefunds(QR_ID, 10, "r/1");
    client.payments().listRefunds(QR_ID, null, null);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "GET /v1/payments/" + QR_ID + "/refunds?limit=10&cursor=r%2F1",
            "GET /v1/payments/" + QR_ID + "/refunds");
    assertThat(page.getData())
        .extracting(Refund::getId)
        .containsExactly("rfd_4Vn8Qx2KtM7pL3bRw9Zd");
  }

  // the sandbox payer, for the contract's flow: order, pay, then refund

  @Test
  void qrOrder_paidInTheSandbox_postsThePayerCodeToTheSimulatorsPath() {
    answer(
        200,
        QR_ORDER
            .replace("\"PENDING\"", "\"SUCCEEDED\"")
            .replace(
                "\"updated_at\":\"2026-11-23T10:15:30+08:00\"",
                "\"updated_at\":\"2026-11-23T10:16:02+08:00\","
                    + "\"paid_at\":\"2026-11-23T10:16:02+08:00\""));

    Payment paid =
        client
            .simulator()
            .payQrOrder(QR_ID, "289999000000000001", RequestOptions.idempotencyKey("pay-1"));

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/sandbox/payments/" + QR_ID + "/pay");
    assertThat(postedJson(call)).isEqualTo(json("{\"payer_code\":\"289999000000000001\"}"));
    assertThat(call.header("idempotency-key")).isEqualTo("pay-1");
    assertThat(paid.getStatus()).isEqualTo(Payment.StatusEnum.SUCCEEDED);
    assertThat(paid.getPaidAt())
        .isEqualTo(OffsetDateTime.of(2026, 11, 23, 10, 16, 2, 0, ZoneOffset.ofHours(8)));
  }

  @Test
  void payQrOrder_refusals_mapToConflictAndDeclined() {
    problem(409, "payment_not_pending");
    problem(422, "unknown_payer_code");

    assertThatThrownBy(() -> client.simulator().payQrOrder(QR_ID, "289999000000000001"))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("payment_not_pending"));
    assertThatThrownBy(() -> client.simulator().payQrOrder(QR_ID, "000000000000000000"))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("unknown_payer_code"));
  }
}
