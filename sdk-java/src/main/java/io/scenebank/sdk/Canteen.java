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
   * {@link #createSubsidyProgramme(CreateSubsidyProgrammeRequest)} with your idempotency key or
   * request id.
   */
  public SubsidyProgramme createSubsidyProgramme(
      CreateSubsidyProgrammeRequest request, RequestOptions options) {
    return transport.call(
        "POST", "/v1/canteen/programmes", request, SubsidyProgramme.class, options);
  }

  /** A page of your subsidy programmes, newest first, optionally only in one status. */
  public SubsidyProgrammeList listSubsidyProgrammes(
      SubsidyProgramme.StatusEnum status, Integer limit, String cursor) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("status", status == null ? null : status.getValue());
    query.put("limit", limit);
    query.put("cursor", cursor);
    return get("/v1/canteen/programmes" + Paths.query(query), SubsidyProgrammeList.class);
  }

  /** A subsidy programme; NotFoundException if you have none with this id. */
  public SubsidyProgramme getSubsidyProgramme(String programmeId) {
    return get("/v1/canteen/programmes/" + Paths.segment(programmeId), SubsidyProgramme.class);
  }

  /**
   * Enrols an employee and opens their subsidy wallet (credited by the next funding);
   * ConflictException employee_already_enrolled or programme_not_active, NotFoundException.
   */
  public Enrolment enrolEmployee(String programmeId, EnrolEmployeeRequest request) {
    return enrolEmployee(programmeId, request, RequestOptions.none());
  }

  /** {@link #enrolEmployee(String, EnrolEmployeeRequest)} with your idempotency key. */
  public Enrolment enrolEmployee(
      String programmeId, EnrolEmployeeRequest request, RequestOptions options) {
    return transport.call(
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
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("employee_ref", employeeRef);
    query.put("limit", limit);
    query.put("cursor", cursor);
    return get(
        "/v1/canteen/programmes/" + Paths.segment(programmeId) + "/enrolments" + Paths.query(query),
        EnrolmentList.class);
  }

  /**
   * Funds one month of subsidy for every active enrolment (each month once); ConflictException
   * period_already_funded or programme_not_active, DeclinedException insufficient_funds or
   * no_active_enrolments, NotFoundException.
   */
  public SubsidyFunding fundProgramme(String programmeId, FundProgrammeRequest request) {
    return fundProgramme(programmeId, request, RequestOptions.none());
  }

  /** {@link #fundProgramme(String, FundProgrammeRequest)} with your idempotency key. */
  public SubsidyFunding fundProgramme(
      String programmeId, FundProgrammeRequest request, RequestOptions options) {
    return transport.call(
        "POST",
        "/v1/canteen/programmes/" + Paths.segment(programmeId) + "/fundings",
        request,
        SubsidyFunding.class,
        options);
  }

  /** A page of a programme's fundings, newest first; NotFoundException. */
  public SubsidyFundingList listFundings(String programmeId, Integer limit, String cursor) {
    return get(
        "/v1/canteen/programmes/" + Paths.segment(programmeId) + "/fundings" + page(limit, cursor),
        SubsidyFundingList.class);
  }

  /**
   * An employee's wallet: unspent subsidy, when it expires, and what their own account can pay;
   * NotFoundException.
   */
  public Wallet getWallet(String walletId) {
    return get("/v1/canteen/wallets/" + Paths.segment(walletId), Wallet.class);
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
   * {@link #createCanteenPayment(CreateCanteenPaymentRequest)} with your idempotency key or request
   * id.
   */
  public Payment createCanteenPayment(CreateCanteenPaymentRequest request, RequestOptions options) {
    return transport.call("POST", "/v1/canteen/payments", request, Payment.class, options);
  }

  private <T> T get(String pathAndQuery, Class<T> type) {
    return transport.call("GET", pathAndQuery, null, type, RequestOptions.none());
  }
}
