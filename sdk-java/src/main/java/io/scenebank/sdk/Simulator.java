package io.scenebank.sdk;

import io.scenebank.sdk.internal.client.Transport;
import io.scenebank.sdk.model.AdvanceClockRequest;
import io.scenebank.sdk.model.Bill;
import io.scenebank.sdk.model.BillerFault;
import io.scenebank.sdk.model.Consent;
import io.scenebank.sdk.model.ConsentDecisionRequest;
import io.scenebank.sdk.model.EventDelivery;
import io.scenebank.sdk.model.IssueBillRequest;
import io.scenebank.sdk.model.PayQrOrderRequest;
import io.scenebank.sdk.model.Payment;
import io.scenebank.sdk.model.SandboxClock;
import io.scenebank.sdk.model.SandboxFixtures;
import io.scenebank.sdk.model.SetBillerFaultRequest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The sandbox's simulators ({@code /v1/sandbox}, scope {@code sandbox}): play the patient, the
 * payer and the biller, move the app's clock, send test webhooks. They act only on the calling
 * app's own resources; production answers every one with NotFoundException {@code not_found}. Every
 * POST has an overload taking {@link RequestOptions}.
 */
public final class Simulator {

  private final Transport transport;

  Simulator(Transport transport) {
    this.transport = transport;
  }

  /**
   * Approves or rejects a pending consent as the patient would; ConflictException
   * consent_not_pending.
   */
  public Consent decideConsent(String consentId, ConsentDecisionRequest.DecisionEnum decision) {
    return decideConsent(consentId, decision, RequestOptions.none());
  }

  /**
   * {@link #decideConsent} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Consent> decideConsentAsync(
      String consentId, ConsentDecisionRequest.DecisionEnum decision) {
    return decideConsentAsync(consentId, decision, RequestOptions.none());
  }

  /**
   * {@link #decideConsent(String, ConsentDecisionRequest.DecisionEnum)} with your idempotency key.
   */
  public Consent decideConsent(
      String consentId, ConsentDecisionRequest.DecisionEnum decision, RequestOptions options) {
    return Transport.join(decideConsentAsync(consentId, decision, options));
  }

  /**
   * {@link #decideConsent} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Consent> decideConsentAsync(
      String consentId, ConsentDecisionRequest.DecisionEnum decision, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/sandbox/consents/" + Paths.segment(consentId) + "/decision",
        new ConsentDecisionRequest().decision(decision),
        Consent.class,
        options);
  }

  /** The app's sandbox time, which business time (expiries, grace periods, overdue) follows. */
  public SandboxClock getClock() {
    return Transport.join(getClockAsync());
  }

  /**
   * {@link #getClock} without blocking: the future completes with its result, or with its exception
   * (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<SandboxClock> getClockAsync() {
    return transport.callAsync(
        "GET", "/v1/sandbox/clock", null, SandboxClock.class, RequestOptions.none());
  }

  /** Moves the app's clock forward (1 s to a year), running every transition that falls due. */
  public SandboxClock advanceClock(long seconds) {
    return advanceClock(seconds, RequestOptions.none());
  }

  /**
   * {@link #advanceClock} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<SandboxClock> advanceClockAsync(long seconds) {
    return advanceClockAsync(seconds, RequestOptions.none());
  }

  /** {@link #advanceClock(long)} with your idempotency key or request id. */
  public SandboxClock advanceClock(long seconds, RequestOptions options) {
    return Transport.join(advanceClockAsync(seconds, options));
  }

  /**
   * {@link #advanceClock} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<SandboxClock> advanceClockAsync(long seconds, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/sandbox/clock/advance",
        new AdvanceClockRequest().seconds(seconds),
        SandboxClock.class,
        options);
  }

  /** The sandbox's test data: patients by credit profile, accounts, payer codes, magic amounts. */
  public SandboxFixtures listFixtures() {
    return Transport.join(listFixturesAsync());
  }

  /**
   * {@link #listFixtures} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<SandboxFixtures> listFixturesAsync() {
    return transport.callAsync(
        "GET", "/v1/sandbox/fixtures", null, SandboxFixtures.class, RequestOptions.none());
  }

  /**
   * Sends a {@code test.ping} event to an endpoint at once; ConflictException endpoint_disabled.
   */
  public EventDelivery sendTestWebhook(String endpointId) {
    return sendTestWebhook(endpointId, RequestOptions.none());
  }

  /**
   * {@link #sendTestWebhook} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<EventDelivery> sendTestWebhookAsync(String endpointId) {
    return sendTestWebhookAsync(endpointId, RequestOptions.none());
  }

  /** {@link #sendTestWebhook(String)} with your idempotency key or request id. */
  public EventDelivery sendTestWebhook(String endpointId, RequestOptions options) {
    return Transport.join(sendTestWebhookAsync(endpointId, options));
  }

  /**
   * {@link #sendTestWebhook} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<EventDelivery> sendTestWebhookAsync(
      String endpointId, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/sandbox/webhook-endpoints/" + Paths.segment(endpointId) + "/test",
        Map.of(),
        EventDelivery.class,
        options);
  }

  /**
   * Pays a pending QR order as a payer scanning it; ConflictException payment_not_pending,
   * DeclinedException unknown_payer_code.
   */
  public Payment payQrOrder(String paymentId, String payerCode) {
    return payQrOrder(paymentId, payerCode, RequestOptions.none());
  }

  /**
   * {@link #payQrOrder} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Payment> payQrOrderAsync(String paymentId, String payerCode) {
    return payQrOrderAsync(paymentId, payerCode, RequestOptions.none());
  }

  /** {@link #payQrOrder(String, String)} with your idempotency key or request id. */
  public Payment payQrOrder(String paymentId, String payerCode, RequestOptions options) {
    return Transport.join(payQrOrderAsync(paymentId, payerCode, options));
  }

  /**
   * {@link #payQrOrder} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Payment> payQrOrderAsync(
      String paymentId, String payerCode, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/sandbox/payments/" + Paths.segment(paymentId) + "/pay",
        new PayQrOrderRequest().payerCode(payerCode),
        Payment.class,
        options);
  }

  /**
   * Issues a bill at a sandbox biller; DeclinedException invalid_account or not_a_sandbox_biller,
   * NotFoundException.
   */
  public Bill issueBill(IssueBillRequest request) {
    return issueBill(request, RequestOptions.none());
  }

  /**
   * {@link #issueBill} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Bill> issueBillAsync(IssueBillRequest request) {
    return issueBillAsync(request, RequestOptions.none());
  }

  /** {@link #issueBill(IssueBillRequest)} with your idempotency key or request id. */
  public Bill issueBill(IssueBillRequest request, RequestOptions options) {
    return Transport.join(issueBillAsync(request, options));
  }

  /**
   * {@link #issueBill} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Bill> issueBillAsync(IssueBillRequest request, RequestOptions options) {
    return transport.callAsync("POST", "/v1/sandbox/bills", request, Bill.class, options);
  }

  /**
   * Makes a sandbox biller misbehave for this app ({@code NONE} restores it); DeclinedException
   * not_a_sandbox_biller, NotFoundException.
   */
  public BillerFault setBillerFault(String billerId, SetBillerFaultRequest.ModeEnum mode) {
    return setBillerFault(billerId, mode, RequestOptions.none());
  }

  /**
   * {@link #setBillerFault} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<BillerFault> setBillerFaultAsync(
      String billerId, SetBillerFaultRequest.ModeEnum mode) {
    return setBillerFaultAsync(billerId, mode, RequestOptions.none());
  }

  /** {@link #setBillerFault(String, SetBillerFaultRequest.ModeEnum)} with your idempotency key. */
  public BillerFault setBillerFault(
      String billerId, SetBillerFaultRequest.ModeEnum mode, RequestOptions options) {
    return Transport.join(setBillerFaultAsync(billerId, mode, options));
  }

  /**
   * {@link #setBillerFault} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<BillerFault> setBillerFaultAsync(
      String billerId, SetBillerFaultRequest.ModeEnum mode, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/sandbox/billers/" + Paths.segment(billerId) + "/fault",
        new SetBillerFaultRequest().mode(mode),
        BillerFault.class,
        options);
  }
}
