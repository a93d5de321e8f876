package io.scenebank.gateway.merchants;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.Partner.assertLedgerBalanced;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Concurrently;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.Platform;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Merchants and their payments over the signed API. */
class MerchantPaymentTest {

  private final Platform platform = new Platform();

  @AfterEach
  void ledgerStaysBalanced() {
    assertLedgerBalanced();
  }

  private long payerBalance() {
    var rows =
        await(
            TestGateway.shared()
                .database()
                .pool()
                .preparedQuery("SELECT posted FROM ledger_accounts WHERE code = $1")
                .execute(Tuple.of("deposit:" + platform.app().clientId() + ":" + Platform.PAYER)));
    return rows.size() == 0 ? 1_000_000 : -rows.iterator().next().getLong(0);
  }

  private JsonObject payment(String id) {
    return platform.ok("getPayment", 200, platform.get("/v1/payments/" + id));
  }

  @Test
  void onboarding_isReviewed_andOnlyActiveMerchantsTakePayments() {
    JsonObject active = platform.merchant();
    assertThat(active.getString("status")).isEqualTo("ACTIVE");
    assertThat(active.getJsonObject("contact").getString("phone_masked")).isEqualTo("139****0000");
    assertThat(active.getJsonObject("settlement_account").getString("account_number_masked"))
        .isEqualTo("****2222");
    assertThat(active.encode()).doesNotContain("13912340000").doesNotContain("6222020400011112222");
    assertThat(platform.events("merchant.approved").encode()).contains(active.getString("id"));

    JsonObject rejected =
        platform.ok("createMerchant", 201, platform.onboard("91999999MA0000000R"));
    assertThat(rejected.getString("status")).isEqualTo("REJECTED");
    assertThat(rejected.getJsonObject("review").getString("reason")).isNotBlank();

    JsonObject pending = platform.ok("createMerchant", 201, platform.onboard("91999999MA0000000P"));
    assertThat(pending.getString("status")).isEqualTo("PENDING_REVIEW");
    assertProblem(platform.qrOrder(pending.getString("id"), 1_000), 409, "merchant_not_active");
    assertProblem(platform.onboard("91999999MA0000000P"), 409, "merchant_exists");
    assertProblem(
        platform.post(
            "/v1/merchants", Platform.merchantBody(Platform.licence()).put("fee_rate_bps", 900)),
        422,
        "fee_rate_not_allowed");

    TestApp operator = TestApp.operator();
    String review = "/v1/operator/merchants/" + pending.getString("id") + "/review";
    assertProblem(
        operator
            .request("POST", review)
            .body(new JsonObject().put("decision", "REJECT").encode())
            .send(),
        422,
        "reason_required");
    Http.Response approved =
        operator
            .request("POST", review)
            .body(new JsonObject().put("decision", "APPROVE").encode())
            .send();
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    assertThat(approved.json().getString("status")).isEqualTo("ACTIVE");
    assertProblem(
        operator
            .request("POST", review)
            .body(new JsonObject().put("decision", "APPROVE").encode())
            .send(),
        409,
        "merchant_not_pending");
    platform.ok("createQrOrder", 201, platform.qrOrder(pending.getString("id"), 1_000));
    // another platform cannot see it
    assertProblem(new Platform().get("/v1/merchants/" + active.getString("id")), 404, "not_found");
  }

  @Test
  void qrOrders_arePaid_closedAtExpiry_orCancelled() {
    String merchantId = platform.merchant().getString("id");
    JsonObject order = platform.ok("createQrOrder", 201, platform.qrOrder(merchantId, 2_500));
    assertThat(order.getString("status")).isEqualTo("PENDING");
    assertThat(order.getString("qr_payload")).contains(order.getString("id"));
    String pay = "/v1/sandbox/payments/" + order.getString("id") + "/pay";
    assertProblem(
        platform.post(pay, new JsonObject().put("payer_code", "123456789012345678")),
        422,
        "unknown_payer_code");
    JsonObject paid =
        platform.ok(
            "payQrOrder",
            200,
            platform.post(pay, new JsonObject().put("payer_code", Platform.APPROVE_CODE)));
    assertThat(paid.getString("status")).isEqualTo("SUCCEEDED");
    assertThat(paid.getJsonObject("payer").getString("account_id")).isEqualTo(Platform.PAYER);
    assertThat(payerBalance()).isEqualTo(1_000_000 - 2_500);
    assertProblem(
        platform.post(pay, new JsonObject().put("payer_code", Platform.APPROVE_CODE)),
        409,
        "payment_not_pending");
    assertProblem(
        platform.post("/v1/payments/" + order.getString("id") + "/cancel", new JsonObject()),
        409,
        "payment_not_cancellable");

    JsonObject unpaid = platform.ok("createQrOrder", 201, platform.qrOrder(merchantId, 900));
    platform.advanceSeconds(901);
    JsonObject closed = payment(unpaid.getString("id"));
    assertThat(closed.getString("status")).isEqualTo("CLOSED");
    assertThat(platform.events("payment.closed").encode()).contains(unpaid.getString("id"));

    JsonObject toCancel = platform.ok("createQrOrder", 201, platform.qrOrder(merchantId, 700));
    JsonObject cancelled =
        platform.ok(
            "cancelPayment",
            200,
            platform.post(
                "/v1/payments/" + toCancel.getString("id") + "/cancel",
                new JsonObject().put("reason", "customer left")));
    assertThat(cancelled.getString("status")).isEqualTo("CANCELLED");
    assertProblem(
        platform.post(
            "/v1/sandbox/payments/" + toCancel.getString("id") + "/pay",
            new JsonObject().put("payer_code", Platform.APPROVE_CODE)),
        409,
        "payment_not_pending");
  }

  @Test
  void payerCodes_succeed_decline_orAreReversed() {
    String merchantId = platform.merchant().getString("id");
    JsonObject ok =
        platform.ok(
            "createCodePayment",
            201,
            platform.codePayment(merchantId, Platform.APPROVE_CODE, 3_000));
    assertThat(ok.getString("status")).isEqualTo("SUCCEEDED");
    Map<String, String> declines =
        Map.of(
            "289999000000000002", "INSUFFICIENT_FUNDS",
            "289999000000000003", "VELOCITY_LIMIT",
            "289999000000000005", "PAYER_CODE_EXPIRED",
            "289999000000009999", "INVALID_PAYER_CODE");
    declines.forEach(
        (code, reason) -> {
          JsonObject declined =
              platform.ok("createCodePayment", 201, platform.codePayment(merchantId, code, 1_000));
          assertThat(declined.getString("status")).as(code).isEqualTo("DECLINED");
          assertThat(declined.getString("decline_code")).isEqualTo(reason);
        });
    assertThat(
            platform
                .ok(
                    "createCodePayment",
                    201,
                    platform.codePayment(merchantId, Platform.APPROVE_CODE, 4001))
                .getString("decline_code"))
        .isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(
            platform
                .ok(
                    "createCodePayment",
                    201,
                    platform.codePayment(merchantId, Platform.APPROVE_CODE, 4002))
                .getString("decline_code"))
        .isEqualTo("RISK_DECLINED");
    assertThat(
            platform
                .ok(
                    "createCodePayment",
                    201,
                    platform.codePayment(merchantId, Platform.APPROVE_CODE, 6_000_000))
                .getString("decline_code"))
        .isEqualTo("AMOUNT_LIMIT");
    assertThat(platform.events("risk.declined")).hasSize(3);

    JsonObject reversed =
        platform.ok(
            "createCodePayment",
            201,
            platform.codePayment(merchantId, "289999000000000004", 1_234));
    assertThat(reversed.getString("status")).isEqualTo("REVERSED");
    assertThat(reversed.getString("reversed_at")).isNotNull();
    assertThat(platform.events("payment.reversed").encode()).contains(reversed.getString("id"));
    assertThat(payerBalance()).isEqualTo(1_000_000 - 3_000);

    JsonObject declinedList =
        platform.ok(
            "listPayments",
            200,
            platform.get("/v1/payments?status=DECLINED&type=PAYER_CODE&merchant_id=" + merchantId));
    assertThat(declinedList.getJsonArray("data")).hasSize(7);
    Http.Response dup =
        platform.post(
            "/v1/payments/code-payments",
            new JsonObject()
                .put("merchant_id", merchantId)
                .put("payer_code", Platform.APPROVE_CODE)
                .put("amount", Platform.money(100))
                .put("description", "dup")
                .put("merchant_order_ref", ok.getString("merchant_order_ref")));
    assertProblem(dup, 409, "duplicate_merchant_order_ref");
  }

  @Test
  void aPayerPayingTooOften_isStoppedByTheVelocityRule() {
    String merchantId = platform.merchant().getString("id");
    for (int i = 0; i < 30; i++) {
      assertThat(
              platform
                  .codePayment(merchantId, Platform.APPROVE_CODE, 100)
                  .json()
                  .getString("status"))
          .isEqualTo("SUCCEEDED");
    }
    JsonObject stopped =
        platform.ok(
            "createCodePayment", 201, platform.codePayment(merchantId, Platform.APPROVE_CODE, 100));
    assertThat(stopped.getString("decline_code")).isEqualTo("VELOCITY_LIMIT");
    platform.advanceSeconds(3_601);
    assertThat(
            platform.codePayment(merchantId, Platform.APPROVE_CODE, 100).json().getString("status"))
        .isEqualTo("SUCCEEDED");
  }

  @Test
  void refunds_partialAndMany_neverBeyondWhatWasPaid() {
    String merchantId = platform.merchant().getString("id");
    String paymentId =
        platform
            .ok(
                "createCodePayment",
                201,
                platform.codePayment(merchantId, Platform.APPROVE_CODE, 2_000))
            .getString("id");
    JsonObject first = platform.ok("createRefund", 201, platform.refund(paymentId, 500));
    assertThat(first.getString("status")).isEqualTo("SUCCEEDED");
    JsonObject second = platform.ok("createRefund", 201, platform.refund(paymentId, 1_500));
    assertThat(second.getString("status")).isEqualTo("SUCCEEDED");
    JsonObject problem = assertProblem(platform.refund(paymentId, 1), 422, "refund_exceeds_paid");
    assertThat(problem.getString("detail")).contains("2000").contains("2000 already refunded");
    assertThat(payment(paymentId).getJsonObject("refunded_amount").getLong("amount"))
        .isEqualTo(2_000);
    assertThat(payerBalance()).isEqualTo(1_000_000);
    assertThat(
            platform
                .ok("listRefunds", 200, platform.get("/v1/payments/" + paymentId + "/refunds"))
                .getJsonArray("data"))
        .hasSize(2);

    // a failing refund moves nothing and leaves the amount refundable
    String big =
        platform
            .ok(
                "createCodePayment",
                201,
                platform.codePayment(merchantId, Platform.APPROVE_CODE, 10_000))
            .getString("id");
    JsonObject refused = platform.ok("createRefund", 201, platform.refund(big, 6001));
    assertThat(refused.getString("status")).isEqualTo("FAILED");
    assertThat(payment(big).getJsonObject("refunded_amount").getLong("amount")).isZero();
    Http.Response sameRef =
        platform.post(
            "/v1/payments/" + big + "/refunds",
            new JsonObject()
                .put("amount", Platform.money(100))
                .put("reason", "again")
                .put("merchant_refund_ref", refused.getString("merchant_refund_ref")));
    assertProblem(sameRef, 409, "duplicate_merchant_refund_ref");
    String declined =
        platform
            .ok(
                "createCodePayment",
                201,
                platform.codePayment(merchantId, "289999000000000002", 100))
            .getString("id");
    assertProblem(platform.refund(declined, 100), 409, "payment_not_refundable");
  }

  @Test
  void concurrentRefunds_neverExceedTheAmountPaid() {
    String merchantId = platform.merchant().getString("id");
    String paymentId =
        platform
            .ok(
                "createCodePayment",
                201,
                platform.codePayment(merchantId, Platform.APPROVE_CODE, 2_000))
            .getString("id");
    List<Http.Response> responses = Concurrently.run(16, n -> platform.refund(paymentId, 300));
    Map<Integer, Long> statuses = Concurrently.statuses(responses);
    assertThat(statuses).as("%s", statuses).containsEntry(201, 6L).containsEntry(422, 10L);
    assertThat(payment(paymentId).getJsonObject("refunded_amount").getLong("amount"))
        .isEqualTo(1_800);
    assertThat(payerBalance()).isEqualTo(1_000_000 - 200);
  }
}
