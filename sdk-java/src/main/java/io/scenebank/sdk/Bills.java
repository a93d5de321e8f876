package io.scenebank.sdk;

import static io.scenebank.sdk.Paths.copy;
import static io.scenebank.sdk.Paths.iso;
import static io.scenebank.sdk.Paths.unset;

import io.scenebank.sdk.internal.client.ReceiptVerifier;
import io.scenebank.sdk.internal.client.Transport;
import io.scenebank.sdk.model.BillInquiry;
import io.scenebank.sdk.model.BillPayment;
import io.scenebank.sdk.model.BillPaymentList;
import io.scenebank.sdk.model.BillReceipt;
import io.scenebank.sdk.model.BillReceiptContent;
import io.scenebank.sdk.model.Biller;
import io.scenebank.sdk.model.BillerList;
import io.scenebank.sdk.model.CancelMandateRequest;
import io.scenebank.sdk.model.CreateBillPaymentRequest;
import io.scenebank.sdk.model.CreateMandateRequest;
import io.scenebank.sdk.model.InquireBillsRequest;
import io.scenebank.sdk.model.Mandate;
import io.scenebank.sdk.model.MandateList;
import io.scenebank.sdk.signing.PublicJwk;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Bill payment ({@code /v1/bills}, scope {@code bills}): the biller directory, bill inquiries
 * (查询欠费), payments and their signed e-receipts (电子回单), autopay mandates. Every POST has an overload
 * taking {@link RequestOptions} for your own idempotency key; any POST may also fail with {@link
 * DeclinedException} {@code idempotency_key_reused}. Lists take a query object (immutable; each
 * setter returns a copy).
 *
 * <p>A receipt's proof is its JWS: {@link #verifiedReceipt(String)} fetches and verifies it with
 * the gateway's published keys; {@link #verifyReceipt(String, Collection)} does the same offline.
 */
public final class Bills {

  private final Transport transport;

  Bills(Transport transport) {
    this.transport = transport;
  }

  /** A page of the biller directory, filtered by the query. */
  public BillerList listBillers(BillerQuery query) {
    return Transport.join(listBillersAsync(query));
  }

  /**
   * {@link #listBillers} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<BillerList> listBillersAsync(BillerQuery query) {
    return getAsync("/v1/bills/billers" + Paths.query(query.parameters), BillerList.class);
  }

  /**
   * Every item of {@link #listBillers} matching the query, across its pages, each page fetched only
   * when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Biller> listAllBillers(BillerQuery query) {
    return AutoPager.of(
        cursor -> listBillers(cursor == null ? query : query.cursor(cursor)),
        BillerList::getData,
        BillerList::getNextCursor);
  }

  /** A biller of the directory; NotFoundException if there is none with this id. */
  public Biller getBiller(String billerId) {
    return Transport.join(getBillerAsync(billerId));
  }

  /**
   * {@link #getBiller} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Biller> getBillerAsync(String billerId) {
    return getAsync("/v1/bills/billers/" + Paths.segment(billerId), Biller.class);
  }

  /**
   * Asks the biller for the unpaid bills of an account; DeclinedException invalid_account,
   * ConflictException biller_suspended, ServerException biller_unavailable (502) or biller_timeout
   * (504), which are retried with the same idempotency key.
   */
  public BillInquiry inquireBills(InquireBillsRequest request) {
    return inquireBills(request, RequestOptions.none());
  }

  /**
   * {@link #inquireBills} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<BillInquiry> inquireBillsAsync(InquireBillsRequest request) {
    return inquireBillsAsync(request, RequestOptions.none());
  }

  /** {@link #inquireBills(InquireBillsRequest)} with your idempotency key or request id. */
  public BillInquiry inquireBills(InquireBillsRequest request, RequestOptions options) {
    return Transport.join(inquireBillsAsync(request, options));
  }

  /**
   * {@link #inquireBills} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<BillInquiry> inquireBillsAsync(
      InquireBillsRequest request, RequestOptions options) {
    return transport.callAsync("POST", "/v1/bills/inquiries", request, BillInquiry.class, options);
  }

  /**
   * Pays a bill: {@code SUCCEEDED} when the biller confirmed in time, else {@code PENDING};
   * ConflictException bill_already_paid, duplicate_channel_reference or biller_suspended,
   * DeclinedException amount_not_allowed, bill_required, invalid_account or insufficient_funds.
   */
  public BillPayment createBillPayment(CreateBillPaymentRequest request) {
    return createBillPayment(request, RequestOptions.none());
  }

  /**
   * {@link #createBillPayment} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<BillPayment> createBillPaymentAsync(CreateBillPaymentRequest request) {
    return createBillPaymentAsync(request, RequestOptions.none());
  }

  /**
   * {@link #createBillPayment(CreateBillPaymentRequest)} with your idempotency key (e.g. your
   * channel reference) or request id.
   */
  public BillPayment createBillPayment(CreateBillPaymentRequest request, RequestOptions options) {
    return Transport.join(createBillPaymentAsync(request, options));
  }

  /**
   * {@link #createBillPayment} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<BillPayment> createBillPaymentAsync(
      CreateBillPaymentRequest request, RequestOptions options) {
    return transport.callAsync("POST", "/v1/bills/payments", request, BillPayment.class, options);
  }

  /** A page of bill payments, newest first, filtered by the query. */
  public BillPaymentList listBillPayments(BillPaymentQuery query) {
    return Transport.join(listBillPaymentsAsync(query));
  }

  /**
   * {@link #listBillPayments} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<BillPaymentList> listBillPaymentsAsync(BillPaymentQuery query) {
    return getAsync("/v1/bills/payments" + Paths.query(query.parameters), BillPaymentList.class);
  }

  /**
   * Every item of {@link #listBillPayments} matching the query, across its pages, each page fetched
   * only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<BillPayment> listAllBillPayments(BillPaymentQuery query) {
    return AutoPager.of(
        cursor -> listBillPayments(cursor == null ? query : query.cursor(cursor)),
        BillPaymentList::getData,
        BillPaymentList::getNextCursor);
  }

  /** A bill payment (poll a PENDING one); NotFoundException if this app has none with this id. */
  public BillPayment getBillPayment(String paymentId) {
    return Transport.join(getBillPaymentAsync(paymentId));
  }

  /**
   * {@link #getBillPayment} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<BillPayment> getBillPaymentAsync(String paymentId) {
    return getAsync("/v1/bills/payments/" + Paths.segment(paymentId), BillPayment.class);
  }

  /**
   * The e-receipt of a SUCCEEDED payment, as the gateway sends it, not verified: its {@code
   * receipt} is an unsigned copy. Use {@link #verifiedReceipt(String)} for proof of payment.
   * ConflictException receipt_not_available, NotFoundException.
   */
  public BillReceipt getBillReceipt(String paymentId) {
    return Transport.join(getBillReceiptAsync(paymentId));
  }

  /**
   * The e-receipt of a SUCCEEDED payment, its JWS verified with the gateway's published keys (the
   * ones responses are verified with, fetched again after a rotation), and its content read from
   * the signed payload.
   *
   * @throws SignatureVerificationException if the JWS does not verify, names a key the gateway does
   *     not publish, uses another algorithm than the gateway's (EdDSA, SM2SM3), is not a receipt,
   *     is the receipt of another payment, or differs from the response's unsigned copy
   */
  public VerifiedReceipt verifiedReceipt(String paymentId) {
    return verified(paymentId, getBillReceipt(paymentId));
  }

  /** {@link #getBillReceipt} without blocking. */
  public CompletableFuture<BillReceipt> getBillReceiptAsync(String paymentId) {
    return getAsync(
        "/v1/bills/payments/" + Paths.segment(paymentId) + "/receipt", BillReceipt.class);
  }

  /**
   * {@link #verifiedReceipt} without blocking on the call (the JWS is verified with the gateway
   * keys the SDK already holds from verifying the response; only a key it has never seen is
   * fetched, on the completing thread).
   */
  public CompletableFuture<VerifiedReceipt> verifiedReceiptAsync(String paymentId) {
    return getBillReceiptAsync(paymentId).thenApply(receipt -> verified(paymentId, receipt));
  }

  private VerifiedReceipt verified(String paymentId, BillReceipt receipt) {
    ReceiptVerifier.Result verified =
        ReceiptVerifier.verify(receipt.getJws(), transport.gatewayKeys()::key, 200);
    BillReceiptContent content = verified.content();
    if (!paymentId.equals(content.getBillPaymentId())) {
      throw mismatch("the signed receipt is of payment " + content.getBillPaymentId());
    }
    if (!content.equals(receipt.getReceipt())) {
      throw mismatch("the receipt's unsigned copy differs from its signed payload");
    }
    if (receipt.getKid() != null && !receipt.getKid().equals(verified.keyId())) {
      throw mismatch(
          "the receipt names key " + receipt.getKid() + " but is signed with " + verified.keyId());
    }
    return new VerifiedReceipt(content, receipt.getJws(), verified.keyId());
  }

  /**
   * Verifies a receipt's JWS offline, with the gateway's public keys (e.g. from its JWKS, {@code
   * /oauth2/jwks}, fetched once and kept), and returns the signed content.
   *
   * @throws SignatureVerificationException if it is not a receipt signed by one of these keys, the
   *     one its {@code kid} names, in the gateway's algorithms (EdDSA, SM2SM3)
   */
  public static BillReceiptContent verifyReceipt(String jws, Collection<PublicJwk> gatewayKeys) {
    Objects.requireNonNull(gatewayKeys, "gatewayKeys");
    return ReceiptVerifier.verify(jws, ReceiptVerifier.lookup(gatewayKeys), 0).content();
  }

  /**
   * {@link #verifyReceipt(String, Collection)} with the gateway's JWKS document as served at {@code
   * /oauth2/jwks} ({@code {"keys":[...]}}).
   *
   * @throws IllegalArgumentException if {@code jwks} is not a JWKS
   */
  public static BillReceiptContent verifyReceipt(String jws, String jwks) {
    return verifyReceipt(jws, ReceiptVerifier.parseJwks(jwks));
  }

  /**
   * Creates an autopay mandate, {@code ACTIVE}; ConflictException mandate_exists or
   * biller_suspended, DeclinedException mandates_not_supported or invalid_account.
   */
  public Mandate createMandate(CreateMandateRequest request) {
    return createMandate(request, RequestOptions.none());
  }

  /**
   * {@link #createMandate} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Mandate> createMandateAsync(CreateMandateRequest request) {
    return createMandateAsync(request, RequestOptions.none());
  }

  /** {@link #createMandate(CreateMandateRequest)} with your idempotency key or request id. */
  public Mandate createMandate(CreateMandateRequest request, RequestOptions options) {
    return Transport.join(createMandateAsync(request, options));
  }

  /**
   * {@link #createMandate} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Mandate> createMandateAsync(
      CreateMandateRequest request, RequestOptions options) {
    return transport.callAsync("POST", "/v1/bills/mandates", request, Mandate.class, options);
  }

  /** A page of mandates, newest first, filtered by the query. */
  public MandateList listMandates(MandateQuery query) {
    return Transport.join(listMandatesAsync(query));
  }

  /**
   * {@link #listMandates} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<MandateList> listMandatesAsync(MandateQuery query) {
    return getAsync("/v1/bills/mandates" + Paths.query(query.parameters), MandateList.class);
  }

  /**
   * Every item of {@link #listMandates} matching the query, across its pages, each page fetched
   * only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Mandate> listAllMandates(MandateQuery query) {
    return AutoPager.of(
        cursor -> listMandates(cursor == null ? query : query.cursor(cursor)),
        MandateList::getData,
        MandateList::getNextCursor);
  }

  /** A mandate; NotFoundException if this app has none with this id. */
  public Mandate getMandate(String mandateId) {
    return Transport.join(getMandateAsync(mandateId));
  }

  /**
   * {@link #getMandate} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Mandate> getMandateAsync(String mandateId) {
    return getAsync("/v1/bills/mandates/" + Paths.segment(mandateId), Mandate.class);
  }

  /**
   * Cancels a mandate (payments already made stay); ConflictException mandate_not_active,
   * NotFoundException.
   */
  public Mandate cancelMandate(String mandateId, CancelMandateRequest request) {
    return cancelMandate(mandateId, request, RequestOptions.none());
  }

  /**
   * {@link #cancelMandate} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Mandate> cancelMandateAsync(
      String mandateId, CancelMandateRequest request) {
    return cancelMandateAsync(mandateId, request, RequestOptions.none());
  }

  /** {@link #cancelMandate(String, CancelMandateRequest)} with your idempotency key. */
  public Mandate cancelMandate(
      String mandateId, CancelMandateRequest request, RequestOptions options) {
    return Transport.join(cancelMandateAsync(mandateId, request, options));
  }

  /**
   * {@link #cancelMandate} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Mandate> cancelMandateAsync(
      String mandateId, CancelMandateRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/bills/mandates/" + Paths.segment(mandateId) + "/cancel",
        request,
        Mandate.class,
        options);
  }

  private <T> CompletableFuture<T> getAsync(String pathAndQuery, Class<T> type) {
    return transport.callAsync("GET", pathAndQuery, null, type, RequestOptions.none());
  }

  private static SignatureVerificationException mismatch(String message) {
    return new SignatureVerificationException(message, "receipt_mismatch", null, 200, null);
  }

  /** Filters and page of {@link #listBillers}: immutable, each setter returns a copy. */
  public static final class BillerQuery {
    private final Map<String, Object> parameters;

    /** No filter: the first page of the whole directory. */
    public BillerQuery() {
      this(unset("category", "region", "q", "limit", "cursor"));
    }

    private BillerQuery(Map<String, Object> parameters) {
      this.parameters = parameters;
    }

    /** Only billers of this category. */
    public BillerQuery category(Biller.CategoryEnum category) {
      return with("category", category == null ? null : category.getValue());
    }

    /**
     * Only billers serving this administrative division (6-digit code, e.g. {@code 320400}); a
     * province's code also matches its cities and districts.
     */
    public BillerQuery region(String region) {
      return with("region", region);
    }

    /** Only billers whose name contains this text (1 to 64 characters; the parameter {@code q}). */
    public BillerQuery q(String text) {
      return with("q", text);
    }

    /** Page size, 1 to 100 (default 20). */
    public BillerQuery limit(Integer limit) {
      return with("limit", limit);
    }

    /** The previous page's next_cursor. */
    public BillerQuery cursor(String cursor) {
      return with("cursor", cursor);
    }

    private BillerQuery with(String name, Object value) {
      return new BillerQuery(copy(parameters, name, value));
    }
  }

  /** Filters and page of {@link #listBillPayments}: immutable, each setter returns a copy. */
  public static final class BillPaymentQuery {
    private final Map<String, Object> parameters;

    /** No filter: the first page of every bill payment. */
    public BillPaymentQuery() {
      this(unset("biller_id", "status", "created_gte", "created_lt", "limit", "cursor"));
    }

    private BillPaymentQuery(Map<String, Object> parameters) {
      this.parameters = parameters;
    }

    /** Only payments to this biller. */
    public BillPaymentQuery billerId(String billerId) {
      return with("biller_id", billerId);
    }

    /** Only payments in this status. */
    public BillPaymentQuery status(BillPayment.StatusEnum status) {
      return with("status", status == null ? null : status.getValue());
    }

    /** Only payments created at or after this time. */
    public BillPaymentQuery createdGte(OffsetDateTime time) {
      return with("created_gte", iso(time));
    }

    /** Only payments created before this time. */
    public BillPaymentQuery createdLt(OffsetDateTime time) {
      return with("created_lt", iso(time));
    }

    /** Page size, 1 to 100 (default 20). */
    public BillPaymentQuery limit(Integer limit) {
      return with("limit", limit);
    }

    /** The previous page's next_cursor. */
    public BillPaymentQuery cursor(String cursor) {
      return with("cursor", cursor);
    }

    private BillPaymentQuery with(String name, Object value) {
      return new BillPaymentQuery(copy(parameters, name, value));
    }
  }

  /** Filters and page of {@link #listMandates}: immutable, each setter returns a copy. */
  public static final class MandateQuery {
    private final Map<String, Object> parameters;

    /** No filter: the first page of every mandate. */
    public MandateQuery() {
      this(unset("biller_id", "status", "limit", "cursor"));
    }

    private MandateQuery(Map<String, Object> parameters) {
      this.parameters = parameters;
    }

    /** Only mandates for this biller. */
    public MandateQuery billerId(String billerId) {
      return with("biller_id", billerId);
    }

    /** Only mandates in this status. */
    public MandateQuery status(Mandate.StatusEnum status) {
      return with("status", status == null ? null : status.getValue());
    }

    /** Page size, 1 to 100 (default 20). */
    public MandateQuery limit(Integer limit) {
      return with("limit", limit);
    }

    /** The previous page's next_cursor. */
    public MandateQuery cursor(String cursor) {
      return with("cursor", cursor);
    }

    private MandateQuery with(String name, Object value) {
      return new MandateQuery(copy(parameters, name, value));
    }
  }
}
