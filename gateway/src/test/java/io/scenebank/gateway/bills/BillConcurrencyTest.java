package io.scenebank.gateway.bills;

import static io.scenebank.gateway.testing.Partner.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.Partner;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bill payments at the same time: a bill is paid once, a payer never goes below zero. */
class BillConcurrencyTest {

  private static final int PARALLEL = 16;

  private final Partner app = new Partner("bills", "sandbox");

  @AfterEach
  void ledgerStaysBalanced() {
    assertLedgerBalanced();
  }

  private static List<Http.Response> atOnce(IntFunction<Http.Response> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Http.Response>> futures = new ArrayList<>();
      for (int i = 0; i < PARALLEL; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return call.apply(n);
                }));
      }
      start.countDown();
      List<Http.Response> responses = new ArrayList<>();
      for (Future<Http.Response> f : futures) {
        responses.add(f.get());
      }
      return responses;
    } finally {
      pool.shutdownNow();
    }
  }

  private JsonObject payment(
      String biller, String account, String billId, long amount, String payer) {
    JsonObject body =
        new JsonObject()
            .put("biller_id", biller)
            .put("account_number", account)
            .put("amount", Partner.money(amount))
            .put("payer", new JsonObject().put("account_id", payer))
            .put("channel_reference", "ORD-" + UUID.randomUUID());
    if (billId != null) {
      body.put("bill_id", billId);
    }
    return body;
  }

  private static Map<Integer, Long> statuses(List<Http.Response> responses) {
    return responses.stream()
        .collect(Collectors.groupingBy(Http.Response::status, Collectors.counting()));
  }

  @Test
  void oneBillPaidFromManyTills_isPaidOnce() throws Exception {
    JsonObject inquiry =
        app.ok(
            "inquireBills",
            200,
            app.post(
                "/v1/bills/inquiries",
                new JsonObject()
                    .put("biller_id", BillPaymentTest.WATER)
                    .put("account_number", "3204001234")));
    String billId = inquiry.getJsonArray("bills").getJsonObject(0).getString("id");
    List<Http.Response> responses =
        atOnce(
            n ->
                app.post(
                    "/v1/bills/payments",
                    payment(
                        BillPaymentTest.WATER, "3204001234", billId, 8650, BillPaymentTest.PAYER)));
    Map<Integer, Long> statuses = statuses(responses);
    assertThat(statuses).as("%s", statuses).containsEntry(201, 1L).containsEntry(409, 15L);
    responses.stream()
        .filter(r -> r.status() == 409)
        .forEach(r -> assertThat(r.json().getString("code")).isEqualTo("bill_already_paid"));
    JsonObject succeeded =
        app.ok("listBillPayments", 200, app.get("/v1/bills/payments?status=SUCCEEDED"));
    assertThat(succeeded.getJsonArray("data")).hasSize(1);
  }

  @Test
  void paymentsBeyondTheBalance_areDeclined_neverOverdrawn() throws Exception {
    // ¥1,280 of own funds, 16 payments of ¥100 at once: 12 fit
    List<Http.Response> responses =
        atOnce(
            n ->
                app.post(
                    "/v1/bills/payments",
                    payment(
                        BillPaymentTest.PARTY_DUES,
                        "DY20260001",
                        null,
                        10_000,
                        BillPaymentTest.POOR_PAYER)));
    Map<Integer, Long> statuses = statuses(responses);
    assertThat(statuses).as("%s", statuses).containsEntry(201, 12L).containsEntry(422, 4L);
    responses.stream()
        .filter(r -> r.status() == 422)
        .forEach(r -> assertThat(r.json().getString("code")).isEqualTo("insufficient_funds"));
  }
}
