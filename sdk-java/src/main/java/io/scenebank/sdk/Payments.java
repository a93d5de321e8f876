package io.scenebank.sdk;

import static io.scenebank.sdk.Paths.copy;
import static io.scenebank.sdk.Paths.iso;
import static io.scenebank.sdk.Paths.page;
import static io.scenebank.sdk.Paths.unset;

import io.scenebank.sdk.internal.client.Transport;
import io.scenebank.sdk.model.CancelPaymentRequest;
import io.scenebank.sdk.model.CreateCodePaymentRequest;
import io.scenebank.sdk.model.CreateQrOrderRequest;
import io.scenebank.sdk.model.CreateRefundRequest;
import io.scenebank.sdk.model.Payment;
import io.scenebank.sdk.model.PaymentList;
import io.scenebank.sdk.model.Refund;
import io.scenebank.sdk.model.RefundList;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Merchant payments ({@code /v1/payments}, scope {@code payments}): merchant-shown QR orders (主扫),
 * payer-shown payment codes (被扫), cancellations and refunds. Every POST has an overload taking
 * {@link RequestOptions} for your own idempotency key (e.g. your order number, to retry a call that
 * timed out); any POST may also fail with {@link DeclinedException} {@code idempotency_key_reused}.
 * {@link #listPayments} takes a query object (immutable; each setter returns a copy).
 */
public final class Payments {

  private final Transport transport;

  Payments(Transport transport) {
    this.transport = transport;
  }

  /**
   * Creates a QR order, {@code PENDING} until paid, cancelled or expired: show its {@code
   * qr_payload} as a QR code (in the sandbox, pay it with {@link Simulator#payQrOrder}).
   * ConflictException merchant_not_active or duplicate_merchant_order_ref.
   */
  public Payment createQrOrder(CreateQrOrderRequest request) {
    return createQrOrder(request, RequestOptions.none());
  }

  /**
   * {@link #createQrOrder} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Payment> createQrOrderAsync(CreateQrOrderRequest request) {
    return createQrOrderAsync(request, RequestOptions.none());
  }

  /** {@link #createQrOrder(CreateQrOrderRequest)} with your idempotency key or request id. */
  public Payment createQrOrder(CreateQrOrderRequest request, RequestOptions options) {
    return Transport.join(createQrOrderAsync(request, options));
  }

  /**
   * {@link #createQrOrder} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Payment> createQrOrderAsync(
      CreateQrOrderRequest request, RequestOptions options) {
    return transport.callAsync("POST", "/v1/payments/qr-orders", request, Payment.class, options);
  }

  /**
   * Charges a payer-shown payment code: {@code SUCCEEDED}, {@code DECLINED} (see its {@code
   * decline_code}) or {@code REVERSED}. ConflictException merchant_not_active or
   * duplicate_merchant_order_ref.
   */
  public Payment createCodePayment(CreateCodePaymentRequest request) {
    return createCodePayment(request, RequestOptions.none());
  }

  /**
   * {@link #createCodePayment} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Payment> createCodePaymentAsync(CreateCodePaymentRequest request) {
    return createCodePaymentAsync(request, RequestOptions.none());
  }

  /**
   * {@link #createCodePayment(CreateCodePaymentRequest)} with your idempotency key (e.g. your order
   * number: if the call times out, the same key gets the same payment) or request id.
   */
  public Payment createCodePayment(CreateCodePaymentRequest request, RequestOptions options) {
    return Transport.join(createCodePaymentAsync(request, options));
  }

  /**
   * {@link #createCodePayment} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Payment> createCodePaymentAsync(
      CreateCodePaymentRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST", "/v1/payments/code-payments", request, Payment.class, options);
  }

  /** A page of your merchants' payments (canteen payments too), newest first, filtered. */
  public PaymentList listPayments(PaymentQuery query) {
    return Transport.join(listPaymentsAsync(query));
  }

  /**
   * {@link #listPayments} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<PaymentList> listPaymentsAsync(PaymentQuery query) {
    return getAsync("/v1/payments" + Paths.query(query.parameters), PaymentList.class);
  }

  /**
   * Every item of {@link #listPayments} matching the query, across its pages, each page fetched
   * only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Payment> listAllPayments(PaymentQuery query) {
    return AutoPager.of(
        cursor -> listPayments(cursor == null ? query : query.cursor(cursor)),
        PaymentList::getData,
        PaymentList::getNextCursor);
  }

  /** A payment (poll a PENDING QR order); NotFoundException if there is none with this id. */
  public Payment getPayment(String paymentId) {
    return Transport.join(getPaymentAsync(paymentId));
  }

  /**
   * {@link #getPayment} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Payment> getPaymentAsync(String paymentId) {
    return getAsync("/v1/payments/" + Paths.segment(paymentId), Payment.class);
  }

  /**
   * Cancels a PENDING QR order so it can no longer be paid (撤销; a paid one is refunded instead);
   * ConflictException payment_not_cancellable, NotFoundException.
   */
  public Payment cancelPayment(String paymentId, CancelPaymentRequest request) {
    return cancelPayment(paymentId, request, RequestOptions.none());
  }

  /**
   * {@link #cancelPayment} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Payment> cancelPaymentAsync(
      String paymentId, CancelPaymentRequest request) {
    return cancelPaymentAsync(paymentId, request, RequestOptions.none());
  }

  /** {@link #cancelPayment(String, CancelPaymentRequest)} with your idempotency key. */
  public Payment cancelPayment(
      String paymentId, CancelPaymentRequest request, RequestOptions options) {
    return Transport.join(cancelPaymentAsync(paymentId, request, options));
  }

  /**
   * {@link #cancelPayment} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Payment> cancelPaymentAsync(
      String paymentId, CancelPaymentRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/payments/" + Paths.segment(paymentId) + "/cancel",
        request,
        Payment.class,
        options);
  }

  /**
   * Refunds a SUCCEEDED payment, fully or in part; ConflictException payment_not_refundable or
   * duplicate_merchant_refund_ref, DeclinedException refund_exceeds_paid, NotFoundException.
   */
  public Refund createRefund(String paymentId, CreateRefundRequest request) {
    return createRefund(paymentId, request, RequestOptions.none());
  }

  /**
   * {@link #createRefund} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Refund> createRefundAsync(
      String paymentId, CreateRefundRequest request) {
    return createRefundAsync(paymentId, request, RequestOptions.none());
  }

  /** {@link #createRefund(String, CreateRefundRequest)} with your idempotency key. */
  public Refund createRefund(
      String paymentId, CreateRefundRequest request, RequestOptions options) {
    return Transport.join(createRefundAsync(paymentId, request, options));
  }

  /**
   * {@link #createRefund} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Refund> createRefundAsync(
      String paymentId, CreateRefundRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/payments/" + Paths.segment(paymentId) + "/refunds",
        request,
        Refund.class,
        options);
  }

  /** A page of a payment's refunds, newest first; NotFoundException. */
  public RefundList listRefunds(String paymentId, Integer limit, String cursor) {
    return Transport.join(listRefundsAsync(paymentId, limit, cursor));
  }

  /**
   * {@link #listRefunds} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<RefundList> listRefundsAsync(
      String paymentId, Integer limit, String cursor) {
    return getAsync(
        "/v1/payments/" + Paths.segment(paymentId) + "/refunds" + page(limit, cursor),
        RefundList.class);
  }

  /**
   * Every item of {@link #listRefunds} (limit: the page size, null for the default), across its
   * pages, each page fetched only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Refund> listAllRefunds(String paymentId, Integer limit) {
    return AutoPager.of(
        cursor -> listRefunds(paymentId, limit, cursor),
        RefundList::getData,
        RefundList::getNextCursor);
  }

  private <T> CompletableFuture<T> getAsync(String pathAndQuery, Class<T> type) {
    return transport.callAsync("GET", pathAndQuery, null, type, RequestOptions.none());
  }

  /** Filters and page of {@link #listPayments}: immutable, each setter returns a copy. */
  public static final class PaymentQuery {
    private final Map<String, Object> parameters;

    /** No filter: the first page of every payment. */
    public PaymentQuery() {
      this(
          unset(
              "merchant_id",
              "status",
              "type",
              "merchant_order_ref",
              "created_gte",
              "created_lt",
              "limit",
              "cursor"));
    }

    private PaymentQuery(Map<String, Object> parameters) {
      this.parameters = parameters;
    }

    /** Only payments to this merchant. */
    public PaymentQuery merchantId(String merchantId) {
      return with("merchant_id", merchantId);
    }

    /** Only payments in this status. */
    public PaymentQuery status(Payment.StatusEnum status) {
      return with("status", status == null ? null : status.getValue());
    }

    /** Only payments of this type ({@code QR_ORDER}, {@code PAYER_CODE}, {@code CANTEEN}). */
    public PaymentQuery type(Payment.TypeEnum type) {
      return with("type", type == null ? null : type.getValue());
    }

    /** Only the payment with this order number (to recover after a timeout). */
    public PaymentQuery merchantOrderRef(String merchantOrderRef) {
      return with("merchant_order_ref", merchantOrderRef);
    }

    /** Only payments created at or after this time. */
    public PaymentQuery createdGte(OffsetDateTime time) {
      return with("created_gte", iso(time));
    }

    /** Only payments created before this time. */
    public PaymentQuery createdLt(OffsetDateTime time) {
      return with("created_lt", iso(time));
    }

    /** Page size, 1 to 100 (default 20). */
    public PaymentQuery limit(Integer limit) {
      return with("limit", limit);
    }

    /** The previous page's next_cursor. */
    public PaymentQuery cursor(String cursor) {
      return with("cursor", cursor);
    }

    private PaymentQuery with(String name, Object value) {
      return new PaymentQuery(copy(parameters, name, value));
    }
  }
}
