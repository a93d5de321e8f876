package io.scenebank.gateway.care;

import static io.scenebank.gateway.testing.Partner.assertLedgerBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Hospital;
import io.scenebank.gateway.testing.Http;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many requests at once on one line: the money stays exact. */
class CareConcurrencyTest {

  private static final int PARALLEL = 24;

  private final Hospital hospital = new Hospital();

  @AfterEach
  void ledgerStaysBalanced() {
    assertLedgerBalanced();
  }

  /** Runs the calls all at once (released together) and returns their answers. */
  private static List<Http.Response> atOnce(int count, Function<Integer, Http.Response> call)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Http.Response>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        Callable<Http.Response> task =
            () -> {
              start.await();
              return call.apply(n);
            };
        futures.add(pool.submit(task));
      }
      start.countDown();
      List<Http.Response> responses = new ArrayList<>();
      for (Future<Http.Response> future : futures) {
        responses.add(future.get());
      }
      return responses;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<Integer, Long> byStatus(List<Http.Response> responses) {
    return responses.stream()
        .collect(Collectors.groupingBy(Http.Response::status, Collectors.counting()));
  }

  @Test
  void parallelChargesAtTheLimit_neverExceedIt() throws Exception {
    String lineId = hospital.line(Hospital.GOOD, 10_000L).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    List<Http.Response> responses = atOnce(PARALLEL, n -> hospital.charge(encounterId, 1_000));
    Map<Integer, Long> statuses = byStatus(responses);
    assertThat(statuses).as("%s", statuses).containsEntry(201, 10L).containsEntry(422, 14L);
    responses.stream()
        .filter(r -> r.status() == 422)
        .forEach(r -> assertThat(r.json().getString("code")).isEqualTo("over_limit"));
    JsonObject line = hospital.line(lineId);
    assertThat(line.getJsonObject("held").getLong("amount")).isEqualTo(10_000);
    assertThat(line.getJsonObject("available").getLong("amount")).isZero();
    JsonObject encounter =
        hospital.ok("getEncounter", 200, hospital.get("/v1/care/encounters/" + encounterId));
    assertThat(encounter.getInteger("charge_count")).isEqualTo(10);
    assertThat(encounter.getJsonObject("totals").getJsonObject("held").getLong("amount"))
        .isEqualTo(10_000);
  }

  @Test
  void concurrentSettlements_settleOnce() throws Exception {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    hospital.held(encounterId, 9_000);
    List<Http.Response> responses =
        atOnce(PARALLEL, n -> hospital.settle(encounterId, 3_000, 3_000, 3_000));
    Map<Integer, Long> statuses = byStatus(responses);
    assertThat(statuses).as("%s", statuses).containsEntry(201, 1L).containsEntry(409, 23L);
    assertThat(hospital.line(lineId).getJsonObject("outstanding").getLong("amount"))
        .isEqualTo(3_000);
  }

  @Test
  void oneIdempotencyKeySentManyTimesAtOnce_chargesOnce() throws Exception {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    JsonObject body = Hospital.chargeBody(2_500);
    String path = "/v1/care/encounters/" + encounterId + "/charges";
    List<Http.Response> responses =
        atOnce(PARALLEL, n -> hospital.post(path, body, "one-key-" + encounterId));
    // the first runs; the others are replayed or told it is in flight — never a second charge
    List<String> ids =
        responses.stream()
            .filter(r -> r.status() == 201)
            .map(r -> r.json().getString("id"))
            .distinct()
            .toList();
    assertThat(ids).hasSize(1);
    responses.stream()
        .filter(r -> r.status() != 201)
        .forEach(
            r -> {
              assertThat(r.status()).isEqualTo(409);
              assertThat(r.json().getString("code")).isEqualTo("idempotency_in_flight");
            });
    assertThat(hospital.line(lineId).getJsonObject("held").getLong("amount")).isEqualTo(2_500);
    Http.Response later = hospital.post(path, body, "one-key-" + encounterId);
    assertThat(later.status()).isEqualTo(201);
    assertThat(later.json().getString("id")).isEqualTo(ids.get(0));
  }

  @Test
  void concurrentRefundsOfOneCharge_neverExceedItsAmount() throws Exception {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    String chargeId = hospital.held(encounterId, 10_000).getString("id");
    hospital.ok("settleEncounter", 201, hospital.settle(encounterId, 0, 0, 10_000));
    List<Http.Response> responses =
        atOnce(PARALLEL, n -> hospital.refund(encounterId, chargeId, 1_500, 0, 0, 1_500));
    Map<Integer, Long> statuses = byStatus(responses);
    // 6 × 1,500 = 9,000 fit into 10,000; a 7th would not
    assertThat(statuses).as("%s", statuses).containsEntry(201, 6L).containsEntry(422, 18L);
    JsonObject line = hospital.line(lineId);
    assertThat(line.getJsonObject("outstanding").getLong("amount")).isEqualTo(1_000);
    JsonObject encounter =
        hospital.ok("getEncounter", 200, hospital.get("/v1/care/encounters/" + encounterId));
    assertThat(encounter.getJsonObject("totals").getJsonObject("refunded").getLong("amount"))
        .isEqualTo(9_000);
  }

  @Test
  void concurrentRepayments_neverRepayMoreThanOwed() throws Exception {
    String lineId = hospital.line(Hospital.GOOD, null).getString("id");
    String encounterId = hospital.encounter(lineId).getString("id");
    hospital.held(encounterId, 10_000);
    hospital.ok("settleEncounter", 201, hospital.settle(encounterId, 0, 0, 10_000));
    List<Http.Response> responses = atOnce(PARALLEL, n -> hospital.repay(lineId, 3_000));
    Map<Integer, Long> statuses = byStatus(responses);
    assertThat(statuses).as("%s", statuses).containsEntry(201, 3L).containsEntry(422, 21L);
    assertThat(hospital.line(lineId).getJsonObject("outstanding").getLong("amount"))
        .isEqualTo(1_000);
  }
}
