package io.scenebank.sdk;

import static io.scenebank.sdk.Paths.page;

import io.scenebank.sdk.internal.client.Transport;
import io.scenebank.sdk.model.CreateCanteenPaymentRequest;
import io.scenebank.sdk.model.CreateSubsidyProgrammeRequest;
import io.scenebank.sdk.model.EnrolEmployeeRequest;
import io.scenebank.sdk.model.Enrolment;
import io.scenebank.sdk.model.EnrolmentList;
import io.scenebank.sdk.model.FundProgrammeRequest;
import io.scenebank.sdk.model.Payment;
import io.scenebank.sdk.model.SubsidyFunding;
import io.scenebank.sdk.model.SubsidyFundingList;
import io.scenebank.sdk.model.SubsidyProgramme;
import io.scenebank.sdk.model.SubsidyProgrammeList;
import io.scenebank.sdk.model.Wallet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Smart canteens ({@code /v1/canteen}, scope {@code canteen}): employer-funded meal subsidy
 * programmes (智慧食堂餐补), their enrolments and monthly fundings, employees' wallets, and canteen
 * payments that draw the subsidy first. Every POST has an overload taking {@link RequestOptions}
 * for your own idempotency key; any POST may also fail with {@link DeclinedException} {@code
 * idempotency_key_reused}. Lists take their filters, {@code limit} and {@code cursor} (null: no
 * filter, the default, or the first page). Refund a canteen payment with {@link
 * Payments#createRefund}.
 */
public final class Canteen {

  private final Transport transport;

  Canteen(Transport transport) {
    this.transport = transport;
  }

  /**
   * Creates a subsidy programme, {@code ACTIVE}; DeclinedException meal_slots_overlap,
   * merchant_not_eligible or expiry_days_required.
   */
  public SubsidyProgramme createSubsidyProgramme(CreateSubsidyProgrammeRequest request) {
    return createSubsidyProgramme(request, RequestOptions.none());
  }

  /**
   * {@link #createSubsidyProgramme} without blocking: the future completes with its result, or with
   * its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<SubsidyProgramme> createSubsidyProgrammeAsync(
      CreateSubsidyProgrammeRequest request) {
    return createSubsidyProgrammeAsync(request, RequestOptions.none());
  }

  /**
   * {@link #createSubsidyProgramme(CreateSubsidyProgrammeRequest)} with your idempotency key or
   * request id.
   */
  public SubsidyProgramme createSubsidyProgramme(
      CreateSubsidyProgrammeRequest request, RequestOptions options) {
    return Transport.join(createSubsidyProgrammeAsync(request, options));
  }

  /**
   * {@link #createSubsidyProgramme} without blocking: the future completes with its result, or with
   * its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<SubsidyProgramme> createSubsidyProgrammeAsync(
      CreateSubsidyProgrammeRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST", "/v1/canteen/programmes", request, SubsidyProgramme.class, options);
  }

  /** A page of your subsidy programmes, newest first, optionally only in one status. */
  public SubsidyProgrammeList listSubsidyProgrammes(
      SubsidyProgramme.StatusEnum status, Integer limit, String cursor) {
    return Transport.join(listSubsidyProgrammesAsync(status, limit, cursor));
  }

  /**
   * {@link #listSubsidyProgrammes} without blocking: the future completes with its result, or with
   * its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<SubsidyProgrammeList> listSubsidyProgrammesAsync(
      SubsidyProgramme.StatusEnum status, Integer limit, String cursor) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("status", status == null ? null : status.getValue());
    query.put("limit", limit);
    query.put("cursor", cursor);
    return getAsync("/v1/canteen/programmes" + Paths.query(query), SubsidyProgrammeList.class);
  }

  /**
   * Every item of {@link #listSubsidyProgrammes} (limit: the page size, null for the default),
   * across its pages, each page fetched only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<SubsidyProgramme> listAllSubsidyProgrammes(
      SubsidyProgramme.StatusEnum status, Integer limit) {
    return AutoPager.of(
        cursor -> listSubsidyProgrammes(status, limit, cursor),
        SubsidyProgrammeList::getData,
        SubsidyProgrammeList::getNextCursor);
  }

  /** A subsidy programme; NotFoundException if you have none with this id. */
  public SubsidyProgramme getSubsidyProgramme(String programmeId) {
    return Transport.join(getSubsidyProgrammeAsync(programmeId));
  }

  /**
   * {@link #getSubsidyProgramme} without blocking: the future completes with its result, or with
   * its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<SubsidyProgramme> getSubsidyProgrammeAsync(String programmeId) {
    return getAsync("/v1/canteen/programmes/" + Paths.segment(programmeId), SubsidyProgramme.class);
  }

  /**
   * Enrols an employee and opens their subsidy wallet (credited by the next funding);
   * ConflictException employee_already_enrolled or programme_not_active, NotFoundException.
   */
  public Enrolment enrolEmployee(String programmeId, EnrolEmployeeRequest request) {
    return enrolEmployee(programmeId, request, RequestOptions.none());
  }

  /**
   * {@link #enrolEmployee} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Enrolment> enrolEmployeeAsync(
      String programmeId, EnrolEmployeeRequest request) {
    return enrolEmployeeAsync(programmeId, request, RequestOptions.none());
  }

  /** {@link #enrolEmployee(String, EnrolEmployeeRequest)} with your idempotency key. */
  public Enrolment enrolEmployee(
      String programmeId, EnrolEmployeeRequest request, RequestOptions options) {
    return Transport.join(enrolEmployeeAsync(programmeId, request, options));
  }

  /**
   * {@link #enrolEmployee} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Enrolment> enrolEmployeeAsync(
      String programmeId, EnrolEmployeeRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/canteen/programmes/" + Paths.segment(programmeId) + "/enrolments",
        request,
        Enrolment.class,
        options);
  }

  /**
   * A page of a programme's enrolments, newest first, optionally only one employee's (their {@code
   * employee_ref}); NotFoundException.
   */
  public EnrolmentList listEnrolments(
      String programmeId, String employeeRef, Integer limit, String cursor) {
    return Transport.join(listEnrolmentsAsync(programmeId, employeeRef, limit, cursor));
  }

  /**
   * {@link #listEnrolments} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<EnrolmentList> listEnrolmentsAsync(
      String programmeId, String employeeRef, Integer limit, String cursor) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("employee_ref", employeeRef);
    query.put("limit", limit);
    query.put("cursor", cursor);
    return getAsync(
        "/v1/canteen/programmes/" + Paths.segment(programmeId) + "/enrolments" + Paths.query(query),
        EnrolmentList.class);
  }

  /**
   * Every item of {@link #listEnrolments} (limit: the page size, null for the default), across its
   * pages, each page fetched only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Enrolment> listAllEnrolments(
      String programmeId, String employeeRef, Integer limit) {
    return AutoPager.of(
        cursor -> listEnrolments(programmeId, employeeRef, limit, cursor),
        EnrolmentList::getData,
        EnrolmentList::getNextCursor);
  }

  /**
   * Funds one month of subsidy for every active enrolment (each month once); ConflictException
   * period_already_funded or programme_not_active, DeclinedException insufficient_funds or
   * no_active_enrolments, NotFoundException.
   */
  public SubsidyFunding fundProgramme(String programmeId, FundProgrammeRequest request) {
    return fundProgramme(programmeId, request, RequestOptions.none());
  }

  /**
   * {@link #fundProgramme} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<SubsidyFunding> fundProgrammeAsync(
      String programmeId, FundProgrammeRequest request) {
    return fundProgrammeAsync(programmeId, request, RequestOptions.none());
  }

  /** {@link #fundProgramme(String, FundProgrammeRequest)} with your idempotency key. */
  public SubsidyFunding fundProgramme(
      String programmeId, FundProgrammeRequest request, RequestOptions options) {
    return Transport.join(fundProgrammeAsync(programmeId, request, options));
  }

  /**
   * {@link #fundProgramme} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<SubsidyFunding> fundProgrammeAsync(
      String programmeId, FundProgrammeRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/canteen/programmes/" + Paths.segment(programmeId) + "/fundings",
        request,
        SubsidyFunding.class,
        options);
  }

  /** A page of a programme's fundings, newest first; NotFoundException. */
  public SubsidyFundingList listFundings(String programmeId, Integer limit, String cursor) {
    return Transport.join(listFundingsAsync(programmeId, limit, cursor));
  }

  /**
   * {@link #listFundings} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<SubsidyFundingList> listFundingsAsync(
      String programmeId, Integer limit, String cursor) {
    return getAsync(
        "/v1/canteen/programmes/" + Paths.segment(programmeId) + "/fundings" + page(limit, cursor),
        SubsidyFundingList.class);
  }

  /**
   * Every item of {@link #listFundings} (limit: the page size, null for the default), across its
   * pages, each page fetched only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<SubsidyFunding> listAllFundings(String programmeId, Integer limit) {
    return AutoPager.of(
        cursor -> listFundings(programmeId, limit, cursor),
        SubsidyFundingList::getData,
        SubsidyFundingList::getNextCursor);
  }

  /**
   * An employee's wallet: unspent subsidy, when it expires, and what their own account can pay;
   * NotFoundException.
   */
  public Wallet getWallet(String walletId) {
    return Transport.join(getWalletAsync(walletId));
  }

  /**
   * {@link #getWallet} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Wallet> getWalletAsync(String walletId) {
    return getAsync("/v1/canteen/wallets/" + Paths.segment(walletId), Wallet.class);
  }

  /**
   * Takes a canteen payment: the subsidy first (within the meal slot's cap and the wallet), the
   * employee's own funds for the rest; {@code SUCCEEDED}, or {@code DECLINED} when the own funds
   * cannot cover it. ConflictException merchant_not_active or duplicate_merchant_order_ref,
   * DeclinedException not_enrolled or meal_time_out_of_range.
   */
  public Payment createCanteenPayment(CreateCanteenPaymentRequest request) {
    return createCanteenPayment(request, RequestOptions.none());
  }

  /**
   * {@link #createCanteenPayment} without blocking: the future completes with its result, or with
   * its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Payment> createCanteenPaymentAsync(CreateCanteenPaymentRequest request) {
    return createCanteenPaymentAsync(request, RequestOptions.none());
  }

  /**
   * {@link #createCanteenPayment(CreateCanteenPaymentRequest)} with your idempotency key or request
   * id.
   */
  public Payment createCanteenPayment(CreateCanteenPaymentRequest request, RequestOptions options) {
    return Transport.join(createCanteenPaymentAsync(request, options));
  }

  /**
   * {@link #createCanteenPayment} without blocking: the future completes with its result, or with
   * its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Payment> createCanteenPaymentAsync(
      CreateCanteenPaymentRequest request, RequestOptions options) {
    return transport.callAsync("POST", "/v1/canteen/payments", request, Payment.class, options);
  }

  private <T> CompletableFuture<T> getAsync(String pathAndQuery, Class<T> type) {
    return transport.callAsync("GET", pathAndQuery, null, type, RequestOptions.none());
  }
}
