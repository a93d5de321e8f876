package io.scenebank.sdk;

import static io.scenebank.sdk.Paths.copy;
import static io.scenebank.sdk.Paths.iso;
import static io.scenebank.sdk.Paths.page;
import static io.scenebank.sdk.Paths.unset;

import io.scenebank.sdk.internal.client.Transport;
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
import io.scenebank.sdk.model.Repayment;
import io.scenebank.sdk.model.RepaymentList;
import io.scenebank.sdk.model.SettleEncounterRequest;
import io.scenebank.sdk.model.Settlement;
import io.scenebank.sdk.model.VoidChargeRequest;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Pay-after-care ({@code /v1/care}, scope {@code care}): consents, credit lines, encounters and
 * their charges, settlements and refunds, debts and repayments. Every POST has an overload taking
 * {@link RequestOptions} for your own idempotency key; any POST may also fail with {@link
 * DeclinedException} {@code idempotency_key_reused}. Lists filtered by creation time take a query
 * object (immutable; each setter returns a copy); the others take {@code limit} and {@code cursor}
 * (null: the default, or the first page).
 */
public final class Care {

  private final Transport transport;

  Care(Transport transport) {
    this.transport = transport;
  }

  /** Asks a patient for pay-after-care consent; the consent starts {@code PENDING}. */
  public Consent createConsent(CreateConsentRequest request) {
    return createConsent(request, RequestOptions.none());
  }

  /**
   * {@link #createConsent} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Consent> createConsentAsync(CreateConsentRequest request) {
    return createConsentAsync(request, RequestOptions.none());
  }

  /** Asks a patient for pay-after-care consent, with your idempotency key or request id. */
  public Consent createConsent(CreateConsentRequest request, RequestOptions options) {
    return Transport.join(createConsentAsync(request, options));
  }

  /**
   * {@link #createConsent} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Consent> createConsentAsync(
      CreateConsentRequest request, RequestOptions options) {
    return transport.callAsync("POST", "/v1/care/consents", request, Consent.class, options);
  }

  /** A page of consents, newest first, filtered by the query. */
  public ConsentList listConsents(ConsentQuery query) {
    return Transport.join(listConsentsAsync(query));
  }

  /**
   * {@link #listConsents} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<ConsentList> listConsentsAsync(ConsentQuery query) {
    return getAsync("/v1/care/consents" + Paths.query(query.parameters), ConsentList.class);
  }

  /**
   * Every item of {@link #listConsents} matching the query, across its pages, each page fetched
   * only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Consent> listAllConsents(ConsentQuery query) {
    return AutoPager.of(
        cursor -> listConsents(cursor == null ? query : query.cursor(cursor)),
        ConsentList::getData,
        ConsentList::getNextCursor);
  }

  /** A consent; NotFoundException if this app has none with this id. */
  public Consent getConsent(String consentId) {
    return Transport.join(getConsentAsync(consentId));
  }

  /**
   * {@link #getConsent} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Consent> getConsentAsync(String consentId) {
    return getAsync("/v1/care/consents/" + Paths.segment(consentId), Consent.class);
  }

  /**
   * Opens a credit line on an approved consent; ConflictException consent_not_approved or
   * consent_already_used, DeclinedException credit_declined.
   */
  public CreditLine openCreditLine(OpenCreditLineRequest request) {
    return openCreditLine(request, RequestOptions.none());
  }

  /**
   * {@link #openCreditLine} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<CreditLine> openCreditLineAsync(OpenCreditLineRequest request) {
    return openCreditLineAsync(request, RequestOptions.none());
  }

  /** {@link #openCreditLine(OpenCreditLineRequest)} with your idempotency key or request id. */
  public CreditLine openCreditLine(OpenCreditLineRequest request, RequestOptions options) {
    return Transport.join(openCreditLineAsync(request, options));
  }

  /**
   * {@link #openCreditLine} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<CreditLine> openCreditLineAsync(
      OpenCreditLineRequest request, RequestOptions options) {
    return transport.callAsync("POST", "/v1/care/credit-lines", request, CreditLine.class, options);
  }

  /** A page of credit lines, newest first, filtered by the query. */
  public CreditLineList listCreditLines(CreditLineQuery query) {
    return Transport.join(listCreditLinesAsync(query));
  }

  /**
   * {@link #listCreditLines} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<CreditLineList> listCreditLinesAsync(CreditLineQuery query) {
    return getAsync("/v1/care/credit-lines" + Paths.query(query.parameters), CreditLineList.class);
  }

  /**
   * Every item of {@link #listCreditLines} matching the query, across its pages, each page fetched
   * only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<CreditLine> listAllCreditLines(CreditLineQuery query) {
    return AutoPager.of(
        cursor -> listCreditLines(cursor == null ? query : query.cursor(cursor)),
        CreditLineList::getData,
        CreditLineList::getNextCursor);
  }

  /** A credit line; NotFoundException if this app has none with this id. */
  public CreditLine getCreditLine(String creditLineId) {
    return Transport.join(getCreditLineAsync(creditLineId));
  }

  /**
   * {@link #getCreditLine} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<CreditLine> getCreditLineAsync(String creditLineId) {
    return getAsync("/v1/care/credit-lines/" + Paths.segment(creditLineId), CreditLine.class);
  }

  /**
   * Closes a credit line; ConflictException credit_line_has_balance (charges held or debts
   * outstanding) or credit_line_closed, NotFoundException.
   */
  public CreditLine closeCreditLine(String creditLineId, CloseCreditLineRequest request) {
    return closeCreditLine(creditLineId, request, RequestOptions.none());
  }

  /**
   * {@link #closeCreditLine} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<CreditLine> closeCreditLineAsync(
      String creditLineId, CloseCreditLineRequest request) {
    return closeCreditLineAsync(creditLineId, request, RequestOptions.none());
  }

  /** {@link #closeCreditLine(String, CloseCreditLineRequest)} with your idempotency key. */
  public CreditLine closeCreditLine(
      String creditLineId, CloseCreditLineRequest request, RequestOptions options) {
    return Transport.join(closeCreditLineAsync(creditLineId, request, options));
  }

  /**
   * {@link #closeCreditLine} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<CreditLine> closeCreditLineAsync(
      String creditLineId, CloseCreditLineRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/care/credit-lines/" + Paths.segment(creditLineId) + "/close",
        request,
        CreditLine.class,
        options);
  }

  /**
   * Opens an encounter (a visit) on a credit line; ConflictException credit_line_not_active or
   * duplicate_encounter_ref.
   */
  public Encounter createEncounter(CreateEncounterRequest request) {
    return createEncounter(request, RequestOptions.none());
  }

  /**
   * {@link #createEncounter} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Encounter> createEncounterAsync(CreateEncounterRequest request) {
    return createEncounterAsync(request, RequestOptions.none());
  }

  /** {@link #createEncounter(CreateEncounterRequest)} with your idempotency key or request id. */
  public Encounter createEncounter(CreateEncounterRequest request, RequestOptions options) {
    return Transport.join(createEncounterAsync(request, options));
  }

  /**
   * {@link #createEncounter} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Encounter> createEncounterAsync(
      CreateEncounterRequest request, RequestOptions options) {
    return transport.callAsync("POST", "/v1/care/encounters", request, Encounter.class, options);
  }

  /** A page of encounters, newest first, filtered by the query. */
  public EncounterList listEncounters(EncounterQuery query) {
    return Transport.join(listEncountersAsync(query));
  }

  /**
   * {@link #listEncounters} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<EncounterList> listEncountersAsync(EncounterQuery query) {
    return getAsync("/v1/care/encounters" + Paths.query(query.parameters), EncounterList.class);
  }

  /**
   * Every item of {@link #listEncounters} matching the query, across its pages, each page fetched
   * only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Encounter> listAllEncounters(EncounterQuery query) {
    return AutoPager.of(
        cursor -> listEncounters(cursor == null ? query : query.cursor(cursor)),
        EncounterList::getData,
        EncounterList::getNextCursor);
  }

  /** An encounter; NotFoundException if this app has none with this id. */
  public Encounter getEncounter(String encounterId) {
    return Transport.join(getEncounterAsync(encounterId));
  }

  /**
   * {@link #getEncounter} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Encounter> getEncounterAsync(String encounterId) {
    return getAsync("/v1/care/encounters/" + Paths.segment(encounterId), Encounter.class);
  }

  /**
   * Cancels an open encounter, releasing its held charges; ConflictException encounter_not_open,
   * NotFoundException.
   */
  public Encounter cancelEncounter(String encounterId, CancelEncounterRequest request) {
    return cancelEncounter(encounterId, request, RequestOptions.none());
  }

  /**
   * {@link #cancelEncounter} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Encounter> cancelEncounterAsync(
      String encounterId, CancelEncounterRequest request) {
    return cancelEncounterAsync(encounterId, request, RequestOptions.none());
  }

  /** {@link #cancelEncounter(String, CancelEncounterRequest)} with your idempotency key. */
  public Encounter cancelEncounter(
      String encounterId, CancelEncounterRequest request, RequestOptions options) {
    return Transport.join(cancelEncounterAsync(encounterId, request, options));
  }

  /**
   * {@link #cancelEncounter} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Encounter> cancelEncounterAsync(
      String encounterId, CancelEncounterRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/care/encounters/" + Paths.segment(encounterId) + "/cancel",
        request,
        Encounter.class,
        options);
  }

  /**
   * Posts a charge to an open encounter and holds it on the credit line; DeclinedException
   * over_limit or amount_mismatch, ConflictException encounter_not_open, credit_line_not_active or
   * duplicate_charge_ref, NotFoundException.
   */
  public Charge createCharge(String encounterId, CreateChargeRequest request) {
    return createCharge(encounterId, request, RequestOptions.none());
  }

  /**
   * {@link #createCharge} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Charge> createChargeAsync(
      String encounterId, CreateChargeRequest request) {
    return createChargeAsync(encounterId, request, RequestOptions.none());
  }

  /** {@link #createCharge(String, CreateChargeRequest)} with your idempotency key. */
  public Charge createCharge(
      String encounterId, CreateChargeRequest request, RequestOptions options) {
    return Transport.join(createChargeAsync(encounterId, request, options));
  }

  /**
   * {@link #createCharge} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Charge> createChargeAsync(
      String encounterId, CreateChargeRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/care/encounters/" + Paths.segment(encounterId) + "/charges",
        request,
        Charge.class,
        options);
  }

  /** A page of an encounter's charges, optionally only in one status; NotFoundException. */
  public ChargeList listCharges(
      String encounterId, Charge.StatusEnum status, Integer limit, String cursor) {
    return Transport.join(listChargesAsync(encounterId, status, limit, cursor));
  }

  /**
   * {@link #listCharges} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<ChargeList> listChargesAsync(
      String encounterId, Charge.StatusEnum status, Integer limit, String cursor) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("status", status == null ? null : status.getValue());
    query.put("limit", limit);
    query.put("cursor", cursor);
    return getAsync(
        "/v1/care/encounters/" + Paths.segment(encounterId) + "/charges" + Paths.query(query),
        ChargeList.class);
  }

  /**
   * Every item of {@link #listCharges} (limit: the page size, null for the default), across its
   * pages, each page fetched only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Charge> listAllCharges(
      String encounterId, Charge.StatusEnum status, Integer limit) {
    return AutoPager.of(
        cursor -> listCharges(encounterId, status, limit, cursor),
        ChargeList::getData,
        ChargeList::getNextCursor);
  }

  /** Voids a held charge, releasing its amount; ConflictException charge_not_held. */
  public Charge voidCharge(String encounterId, String chargeId, VoidChargeRequest request) {
    return voidCharge(encounterId, chargeId, request, RequestOptions.none());
  }

  /**
   * {@link #voidCharge} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Charge> voidChargeAsync(
      String encounterId, String chargeId, VoidChargeRequest request) {
    return voidChargeAsync(encounterId, chargeId, request, RequestOptions.none());
  }

  /** {@link #voidCharge(String, String, VoidChargeRequest)} with your idempotency key. */
  public Charge voidCharge(
      String encounterId, String chargeId, VoidChargeRequest request, RequestOptions options) {
    return Transport.join(voidChargeAsync(encounterId, chargeId, request, options));
  }

  /**
   * {@link #voidCharge} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Charge> voidChargeAsync(
      String encounterId, String chargeId, VoidChargeRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/care/encounters/"
            + Paths.segment(encounterId)
            + "/charges/"
            + Paths.segment(chargeId)
            + "/void",
        request,
        Charge.class,
        options);
  }

  /**
   * Settles an encounter's held charges; DeclinedException split_mismatch, nothing_to_settle or
   * insurer_required, ConflictException already_settled or encounter_not_open.
   */
  public Settlement settleEncounter(String encounterId, SettleEncounterRequest request) {
    return settleEncounter(encounterId, request, RequestOptions.none());
  }

  /**
   * {@link #settleEncounter} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Settlement> settleEncounterAsync(
      String encounterId, SettleEncounterRequest request) {
    return settleEncounterAsync(encounterId, request, RequestOptions.none());
  }

  /** {@link #settleEncounter(String, SettleEncounterRequest)} with your idempotency key. */
  public Settlement settleEncounter(
      String encounterId, SettleEncounterRequest request, RequestOptions options) {
    return Transport.join(settleEncounterAsync(encounterId, request, options));
  }

  /**
   * {@link #settleEncounter} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Settlement> settleEncounterAsync(
      String encounterId, SettleEncounterRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/care/encounters/" + Paths.segment(encounterId) + "/settlement",
        request,
        Settlement.class,
        options);
  }

  /** An encounter's settlement statement; NotFoundException if it is not settled or unknown. */
  public Settlement getSettlement(String encounterId) {
    return Transport.join(getSettlementAsync(encounterId));
  }

  /**
   * {@link #getSettlement} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Settlement> getSettlementAsync(String encounterId) {
    return getAsync(
        "/v1/care/encounters/" + Paths.segment(encounterId) + "/settlement", Settlement.class);
  }

  /**
   * Refunds items of a settled encounter; ConflictException encounter_not_settled,
   * DeclinedException refund_exceeds_charged, split_mismatch or charge_not_in_encounter.
   */
  public CareRefund createCareRefund(String encounterId, CreateCareRefundRequest request) {
    return createCareRefund(encounterId, request, RequestOptions.none());
  }

  /**
   * {@link #createCareRefund} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<CareRefund> createCareRefundAsync(
      String encounterId, CreateCareRefundRequest request) {
    return createCareRefundAsync(encounterId, request, RequestOptions.none());
  }

  /** {@link #createCareRefund(String, CreateCareRefundRequest)} with your idempotency key. */
  public CareRefund createCareRefund(
      String encounterId, CreateCareRefundRequest request, RequestOptions options) {
    return Transport.join(createCareRefundAsync(encounterId, request, options));
  }

  /**
   * {@link #createCareRefund} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<CareRefund> createCareRefundAsync(
      String encounterId, CreateCareRefundRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/care/encounters/" + Paths.segment(encounterId) + "/refunds",
        request,
        CareRefund.class,
        options);
  }

  /** A page of an encounter's refunds; NotFoundException. */
  public CareRefundList listCareRefunds(String encounterId, Integer limit, String cursor) {
    return Transport.join(listCareRefundsAsync(encounterId, limit, cursor));
  }

  /**
   * {@link #listCareRefunds} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<CareRefundList> listCareRefundsAsync(
      String encounterId, Integer limit, String cursor) {
    return getAsync(
        "/v1/care/encounters/" + Paths.segment(encounterId) + "/refunds" + page(limit, cursor),
        CareRefundList.class);
  }

  /**
   * Every item of {@link #listCareRefunds} (limit: the page size, null for the default), across its
   * pages, each page fetched only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<CareRefund> listAllCareRefunds(String encounterId, Integer limit) {
    return AutoPager.of(
        cursor -> listCareRefunds(encounterId, limit, cursor),
        CareRefundList::getData,
        CareRefundList::getNextCursor);
  }

  /** A page of debts, newest first, filtered by the query. */
  public DebtList listDebts(DebtQuery query) {
    return Transport.join(listDebtsAsync(query));
  }

  /**
   * {@link #listDebts} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<DebtList> listDebtsAsync(DebtQuery query) {
    return getAsync("/v1/care/debts" + Paths.query(query.parameters), DebtList.class);
  }

  /**
   * Every item of {@link #listDebts} matching the query, across its pages, each page fetched only
   * when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Debt> listAllDebts(DebtQuery query) {
    return AutoPager.of(
        cursor -> listDebts(cursor == null ? query : query.cursor(cursor)),
        DebtList::getData,
        DebtList::getNextCursor);
  }

  /** A debt; NotFoundException if this app has none with this id. */
  public Debt getDebt(String debtId) {
    return Transport.join(getDebtAsync(debtId));
  }

  /**
   * {@link #getDebt} without blocking: the future completes with its result, or with its exception
   * (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Debt> getDebtAsync(String debtId) {
    return getAsync("/v1/care/debts/" + Paths.segment(debtId), Debt.class);
  }

  /**
   * Records a repayment on a credit line; DeclinedException repayment_exceeds_outstanding or
   * nothing_outstanding, ConflictException duplicate_source_ref, NotFoundException.
   */
  public Repayment createRepayment(String creditLineId, CreateRepaymentRequest request) {
    return createRepayment(creditLineId, request, RequestOptions.none());
  }

  /**
   * {@link #createRepayment} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Repayment> createRepaymentAsync(
      String creditLineId, CreateRepaymentRequest request) {
    return createRepaymentAsync(creditLineId, request, RequestOptions.none());
  }

  /** {@link #createRepayment(String, CreateRepaymentRequest)} with your idempotency key. */
  public Repayment createRepayment(
      String creditLineId, CreateRepaymentRequest request, RequestOptions options) {
    return Transport.join(createRepaymentAsync(creditLineId, request, options));
  }

  /**
   * {@link #createRepayment} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Repayment> createRepaymentAsync(
      String creditLineId, CreateRepaymentRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/care/credit-lines/" + Paths.segment(creditLineId) + "/repayments",
        request,
        Repayment.class,
        options);
  }

  /** A page of a credit line's repayments; NotFoundException. */
  public RepaymentList listRepayments(String creditLineId, Integer limit, String cursor) {
    return Transport.join(listRepaymentsAsync(creditLineId, limit, cursor));
  }

  /**
   * {@link #listRepayments} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<RepaymentList> listRepaymentsAsync(
      String creditLineId, Integer limit, String cursor) {
    return getAsync(
        "/v1/care/credit-lines/"
            + Paths.segment(creditLineId)
            + "/repayments"
            + page(limit, cursor),
        RepaymentList.class);
  }

  /**
   * Every item of {@link #listRepayments} (limit: the page size, null for the default), across its
   * pages, each page fetched only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Repayment> listAllRepayments(String creditLineId, Integer limit) {
    return AutoPager.of(
        cursor -> listRepayments(creditLineId, limit, cursor),
        RepaymentList::getData,
        RepaymentList::getNextCursor);
  }

  private <T> CompletableFuture<T> getAsync(String pathAndQuery, Class<T> type) {
    return transport.callAsync("GET", pathAndQuery, null, type, RequestOptions.none());
  }

  /** Filters and page of {@link #listConsents}: immutable, each setter returns a copy. */
  public static final class ConsentQuery {
    private final Map<String, Object> parameters;

    /** No filter: the first page of every consent. */
    public ConsentQuery() {
      this(unset("status", "hospital_patient_ref", "created_gte", "created_lt", "limit", "cursor"));
    }

    private ConsentQuery(Map<String, Object> parameters) {
      this.parameters = parameters;
    }

    /** Only consents in this status. */
    public ConsentQuery status(Consent.StatusEnum status) {
      return with("status", status == null ? null : status.getValue());
    }

    /** Only consents of this patient (the hospital's patient reference). */
    public ConsentQuery hospitalPatientRef(String hospitalPatientRef) {
      return with("hospital_patient_ref", hospitalPatientRef);
    }

    /** Only consents created at or after this time. */
    public ConsentQuery createdGte(OffsetDateTime time) {
      return with("created_gte", iso(time));
    }

    /** Only consents created before this time. */
    public ConsentQuery createdLt(OffsetDateTime time) {
      return with("created_lt", iso(time));
    }

    /** Page size, 1 to 100 (default 20). */
    public ConsentQuery limit(Integer limit) {
      return with("limit", limit);
    }

    /** The previous page's next_cursor. */
    public ConsentQuery cursor(String cursor) {
      return with("cursor", cursor);
    }

    private ConsentQuery with(String name, Object value) {
      return new ConsentQuery(copy(parameters, name, value));
    }
  }

  /** Filters and page of {@link #listCreditLines}: immutable, each setter returns a copy. */
  public static final class CreditLineQuery {
    private final Map<String, Object> parameters;

    /** No filter: the first page of every credit line. */
    public CreditLineQuery() {
      this(unset("status", "created_gte", "created_lt", "limit", "cursor"));
    }

    private CreditLineQuery(Map<String, Object> parameters) {
      this.parameters = parameters;
    }

    /** Only credit lines in this status. */
    public CreditLineQuery status(CreditLine.StatusEnum status) {
      return with("status", status == null ? null : status.getValue());
    }

    /** Only credit lines opened at or after this time. */
    public CreditLineQuery createdGte(OffsetDateTime time) {
      return with("created_gte", iso(time));
    }

    /** Only credit lines opened before this time. */
    public CreditLineQuery createdLt(OffsetDateTime time) {
      return with("created_lt", iso(time));
    }

    /** Page size, 1 to 100 (default 20). */
    public CreditLineQuery limit(Integer limit) {
      return with("limit", limit);
    }

    /** The previous page's next_cursor. */
    public CreditLineQuery cursor(String cursor) {
      return with("cursor", cursor);
    }

    private CreditLineQuery with(String name, Object value) {
      return new CreditLineQuery(copy(parameters, name, value));
    }
  }

  /** Filters and page of {@link #listEncounters}: immutable, each setter returns a copy. */
  public static final class EncounterQuery {
    private final Map<String, Object> parameters;

    /** No filter: the first page of every encounter. */
    public EncounterQuery() {
      this(unset("status", "credit_line_id", "created_gte", "created_lt", "limit", "cursor"));
    }

    private EncounterQuery(Map<String, Object> parameters) {
      this.parameters = parameters;
    }

    /** Only encounters in this status. */
    public EncounterQuery status(Encounter.StatusEnum status) {
      return with("status", status == null ? null : status.getValue());
    }

    /** Only encounters on this credit line. */
    public EncounterQuery creditLineId(String creditLineId) {
      return with("credit_line_id", creditLineId);
    }

    /** Only encounters opened at or after this time. */
    public EncounterQuery createdGte(OffsetDateTime time) {
      return with("created_gte", iso(time));
    }

    /** Only encounters opened before this time. */
    public EncounterQuery createdLt(OffsetDateTime time) {
      return with("created_lt", iso(time));
    }

    /** Page size, 1 to 100 (default 20). */
    public EncounterQuery limit(Integer limit) {
      return with("limit", limit);
    }

    /** The previous page's next_cursor. */
    public EncounterQuery cursor(String cursor) {
      return with("cursor", cursor);
    }

    private EncounterQuery with(String name, Object value) {
      return new EncounterQuery(copy(parameters, name, value));
    }
  }

  /** Filters and page of {@link #listDebts}: immutable, each setter returns a copy. */
  public static final class DebtQuery {
    private final Map<String, Object> parameters;

    /** No filter: the first page of every debt. */
    public DebtQuery() {
      this(unset("credit_line_id", "status", "created_gte", "created_lt", "limit", "cursor"));
    }

    private DebtQuery(Map<String, Object> parameters) {
      this.parameters = parameters;
    }

    /** Only debts on this credit line. */
    public DebtQuery creditLineId(String creditLineId) {
      return with("credit_line_id", creditLineId);
    }

    /** Only debts in this status. */
    public DebtQuery status(Debt.StatusEnum status) {
      return with("status", status == null ? null : status.getValue());
    }

    /** Only debts created at or after this time. */
    public DebtQuery createdGte(OffsetDateTime time) {
      return with("created_gte", iso(time));
    }

    /** Only debts created before this time. */
    public DebtQuery createdLt(OffsetDateTime time) {
      return with("created_lt", iso(time));
    }

    /** Page size, 1 to 100 (default 20). */
    public DebtQuery limit(Integer limit) {
      return with("limit", limit);
    }

    /** The previous page's next_cursor. */
    public DebtQuery cursor(String cursor) {
      return with("cursor", cursor);
    }

    private DebtQuery with(String name, Object value) {
      return new DebtQuery(copy(parameters, name, value));
    }
  }
}
