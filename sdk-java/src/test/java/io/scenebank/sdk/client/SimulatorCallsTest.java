package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.NotFoundException;
import io.scenebank.sdk.RequestOptions;
import io.scenebank.sdk.internal.client.Mapper;
import io.scenebank.sdk.model.Bill;
import io.scenebank.sdk.model.BillerFault;
import io.scenebank.sdk.model.Consent;
import io.scenebank.sdk.model.ConsentDecisionRequest;
import io.scenebank.sdk.model.EventDelivery;
import io.scenebank.sdk.model.IssueBillRequest;
import io.scenebank.sdk.model.Payment;
import io.scenebank.sdk.model.SandboxClock;
import io.scenebank.sdk.model.SandboxFixtures;
import io.scenebank.sdk.model.SetBillerFaultRequest;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Each sandbox simulator call sends the contract's request and reads the answer's model. */
class SimulatorCallsTest extends TypedCallsHarness {

  static final String CLOCK =
      "{\"object\":\"sandbox_clock\",\"livemode\":false,\"now\":\"2026-12-04T10:15:30+08:00\","
          + "\"offset_seconds\":950400}";
  static final String DELIVERY =
      "{\"id\":\"dlv_2Kq9Tx7NmR3vW8pLb4Zs\",\"object\":\"event_delivery\",\"livemode\":false,"
          + "\"event_id\":\"evt_8Rq2Xt7KmN4vW9pLb3Zd\",\"endpoint_id\":\"we_7Kx2Nq8TmR4vP9bLw3Zd\","
          + "\"attempt\":1,\"status\":\"PENDING\",\"created_at\":\"2026-11-23T10:15:30+08:00\"}";

  @Test
  void decideConsent_postsTheDecision_andReadsTheDecidedConsent() {
    answer(
        200,
        "{\"id\":\"cns_7Hq2LmX9pQ4sT8vWk3Rd\",\"object\":\"consent\",\"livemode\":false,"
            + "\"status\":\"APPROVED\",\"decided_at\":\"2026-11-23T10:17:02+08:00\"}");

    Consent consent =
        client
            .simulator()
            .decideConsent("cns_7Hq2LmX9pQ4sT8vWk3Rd", ConsentDecisionRequest.DecisionEnum.APPROVE);

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/sandbox/consents/cns_7Hq2LmX9pQ4sT8vWk3Rd/decision");
    assertThat(postedJson(call)).isEqualTo(json("{\"decision\":\"APPROVE\"}"));
    assertThat(consent.getStatus()).isEqualTo(Consent.StatusEnum.APPROVED);
    assertThat(consent.getDecidedAt())
        .isEqualTo(OffsetDateTime.of(2026, 11, 23, 10, 17, 2, 0, ZoneOffset.ofHours(8)));
  }

  @Test
  void decideConsent_whenNoLongerPending_isAConflict() {
    problem(409, "consent_not_pending");

    assertThatThrownBy(
            () ->
                client
                    .simulator()
                    .decideConsent(
                        "cns_7Hq2LmX9pQ4sT8vWk3Rd",
                        ConsentDecisionRequest.DecisionEnum.REJECT,
                        RequestOptions.idempotencyKey("decide-1")))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("consent_not_pending"));
    assertThat(onlyCall().header("idempotency-key")).isEqualTo("decide-1");
  }

  @Test
  void getClock_andAdvanceClock_readTheAppsTime() {
    answer(200, CLOCK);
    answer(200, CLOCK);

    SandboxClock now = client.simulator().getClock();
    SandboxClock advanced =
        client.simulator().advanceClock(950400, RequestOptions.idempotencyKey("advance-11-days"));

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly("GET /v1/sandbox/clock", "POST /v1/sandbox/clock/advance");
    assertThat(http.calls.get(0).body).isNull();
    assertThat(postedJson(http.calls.get(1))).isEqualTo(json("{\"seconds\":950400}"));
    assertThat(http.calls.get(1).header("idempotency-key")).isEqualTo("advance-11-days");
    assertThat(now.getOffsetSeconds()).isEqualTo(950400L);
    assertThat(advanced.getNow())
        .isEqualTo(OffsetDateTime.of(2026, 12, 4, 10, 15, 30, 0, ZoneOffset.ofHours(8)));
  }

  @Test
  void listFixtures_readsThePatientsAndPayerCodes() {
    answer(
        200,
        "{\"object\":\"sandbox_fixtures\",\"livemode\":false,\"patients\":[{\"id_number\":"
            + "\"999999198803030033\",\"name\":\"王五\",\"phone\":\"13800000013\","
            + "\"profile\":\"DECLINED\",\"expected_limit\":{\"amount\":0,\"currency\":\"CNY\"}}],"
            + "\"payer_codes\":[{\"payer_code\":\"289999000000000001\",\"account_id\":"
            + "\"acc_5Tn9Qx2KmR7vL4pWb8Zc\",\"behaviour\":\"APPROVE\"}]}");

    SandboxFixtures fixtures = client.simulator().listFixtures();

    assertThat(onlyCall().toString()).isEqualTo("GET /v1/sandbox/fixtures");
    assertThat(fixtures.getPatients().get(0).getIdNumber()).isEqualTo("999999198803030033");
    assertThat(fixtures.getPatients().get(0).getProfile().getValue()).isEqualTo("DECLINED");
    assertThat(fixtures.getPayerCodes().get(0).getPayerCode()).isEqualTo("289999000000000001");
  }

  @Test
  void sendTestWebhook_postsAnEmptyObject_andReadsTheScheduledDelivery() {
    answer(202, DELIVERY);

    EventDelivery delivery = client.simulator().sendTestWebhook("we_7Kx2Nq8TmR4vP9bLw3Zd");

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target())
        .isEqualTo("/v1/sandbox/webhook-endpoints/we_7Kx2Nq8TmR4vP9bLw3Zd/test");
    // the contract wants a body on every POST: {} when there is no field
    assertThat(call.body).isEqualTo("{}");
    assertThat(postedJson(call).isObject()).isTrue();
    assertThat(delivery.getEndpointId()).isEqualTo("we_7Kx2Nq8TmR4vP9bLw3Zd");
    assertThat(delivery.getAttempt()).isEqualTo(1);
  }

  @Test
  void payQrOrder_postsThePayerCode() {
    answer(
        200,
        "{\"id\":\"pay_3Mx8Vq2KtN7pR4bLw9Zc\",\"object\":\"payment\",\"livemode\":false,"
            + "\"type\":\"QR_ORDER\",\"status\":\"SUCCEEDED\","
            + "\"amount\":{\"amount\":3600,\"currency\":\"CNY\"}}");

    Payment payment =
        client.simulator().payQrOrder("pay_3Mx8Vq2KtN7pR4bLw9Zc", "289999000000000001");

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.target()).isEqualTo("/v1/sandbox/payments/pay_3Mx8Vq2KtN7pR4bLw9Zc/pay");
    assertThat(postedJson(call)).isEqualTo(json("{\"payer_code\":\"289999000000000001\"}"));
    assertThat(payment.getAmount().getAmount()).isEqualTo(3600L);
  }

  @Test
  void issueBill_andSetBillerFault_postTheirBodies() throws IOException {
    answer(
        201,
        "{\"id\":\"bil_4Kr9Tm2XpQ7nV3bLw8Zd\",\"object\":\"bill\",\"livemode\":false,"
            + "\"biller_id\":\"blr_3Wx8Kq2MvT7pN4bRz6Ld\",\"account_number\":\"3204001234\","
            + "\"period\":\"2026-11\",\"amount_due\":{\"amount\":9120,\"currency\":\"CNY\"}}");
    answer(
        200,
        "{\"object\":\"biller_fault\",\"biller_id\":\"blr_3Wx8Kq2MvT7pN4bRz6Ld\","
            + "\"livemode\":false,\"mode\":\"TIMEOUT\"}");
    String bill =
        "{\"biller_id\":\"blr_3Wx8Kq2MvT7pN4bRz6Ld\",\"account_number\":\"3204001234\","
            + "\"amount\":{\"amount\":9120,\"currency\":\"CNY\"},\"due_date\":\"2027-01-15\","
            + "\"period\":\"2026-11\"}";

    Bill issued =
        client.simulator().issueBill(Mapper.MAPPER.readValue(bill, IssueBillRequest.class));
    BillerFault fault =
        client
            .simulator()
            .setBillerFault("blr_3Wx8Kq2MvT7pN4bRz6Ld", SetBillerFaultRequest.ModeEnum.TIMEOUT);

    assertThat(http.calls)
        .extracting(RecordingHttpClient.Call::toString)
        .containsExactly(
            "POST /v1/sandbox/bills", "POST /v1/sandbox/billers/blr_3Wx8Kq2MvT7pN4bRz6Ld/fault");
    assertThat(postedJson(http.calls.get(0))).isEqualTo(json(bill));
    assertThat(postedJson(http.calls.get(1))).isEqualTo(json("{\"mode\":\"TIMEOUT\"}"));
    assertThat(issued.getAmountDue().getAmount()).isEqualTo(9120L);
    assertThat(fault.getMode().getValue()).isEqualTo("TIMEOUT");
  }

  @Test
  void simulators_inProduction_areNotFound() {
    problem(404, "not_found");

    assertThatThrownBy(() -> client.simulator().getClock())
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
  }
}
