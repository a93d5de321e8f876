package io.scenebank.sdk;

import static io.scenebank.sdk.Paths.copy;
import static io.scenebank.sdk.Paths.iso;
import static io.scenebank.sdk.Paths.unset;

import io.scenebank.sdk.internal.client.ReceiptVerifier;
import io.scenebank.sdk.internal.client.Transport;
import io.scenebank.sdk.model.CreateMerchantRequest;
import io.scenebank.sdk.model.Merchant;
import io.scenebank.sdk.model.MerchantBalance;
import io.scenebank.sdk.model.MerchantList;
import io.scenebank.sdk.model.MerchantSettlement;
import io.scenebank.sdk.model.MerchantSettlementList;
import io.scenebank.sdk.model.Statement;
import io.scenebank.sdk.model.StatementList;
import io.scenebank.sdk.signing.PublicJwk;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Merchants ({@code /v1/merchants}, scope {@code merchants}): onboarding applications (商户进件) under
 * your platform, balances, T+1 settlements and signed daily reconciliation statements. Every POST
 * has an overload taking {@link RequestOptions} for your own idempotency key; any POST may also
 * fail with {@link DeclinedException} {@code idempotency_key_reused}. Lists take a query object
 * (immutable; each setter returns a copy).
 *
 * <p>A statement's proof is its {@code Statement-Signature}: {@link #downloadStatement(String,
 * LocalDate)} verifies it with the gateway's published keys; {@link #verifyStatement(byte[],
 * String, String)} does the same offline.
 */
public final class Merchants {

  private final Transport transport;

  Merchants(Transport transport) {
    this.transport = transport;
  }

  /**
   * Applies to onboard a merchant; it is {@code PENDING_REVIEW} until the bank reviews it (in the
   * sandbox possibly already decided). ConflictException merchant_exists, DeclinedException
   * fee_rate_not_allowed.
   */
  public Merchant createMerchant(CreateMerchantRequest request) {
    return createMerchant(request, RequestOptions.none());
  }

  /**
   * {@link #createMerchant} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Merchant> createMerchantAsync(CreateMerchantRequest request) {
    return createMerchantAsync(request, RequestOptions.none());
  }

  /** {@link #createMerchant(CreateMerchantRequest)} with your idempotency key or request id. */
  public Merchant createMerchant(CreateMerchantRequest request, RequestOptions options) {
    return Transport.join(createMerchantAsync(request, options));
  }

  /**
   * {@link #createMerchant} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Merchant> createMerchantAsync(
      CreateMerchantRequest request, RequestOptions options) {
    return transport.callAsync("POST", "/v1/merchants", request, Merchant.class, options);
  }

  /** A page of your platform's merchants, newest first, filtered by the query. */
  public MerchantList listMerchants(MerchantQuery query) {
    return Transport.join(listMerchantsAsync(query));
  }

  /**
   * {@link #listMerchants} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<MerchantList> listMerchantsAsync(MerchantQuery query) {
    return getAsync("/v1/merchants" + Paths.query(query.parameters), MerchantList.class);
  }

  /**
   * Every item of {@link #listMerchants} matching the query, across its pages, each page fetched
   * only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Merchant> listAllMerchants(MerchantQuery query) {
    return AutoPager.of(
        cursor -> listMerchants(cursor == null ? query : query.cursor(cursor)),
        MerchantList::getData,
        MerchantList::getNextCursor);
  }

  /**
   * A merchant with its review result; NotFoundException if your platform has none with this id.
   */
  public Merchant getMerchant(String merchantId) {
    return Transport.join(getMerchantAsync(merchantId));
  }

  /**
   * {@link #getMerchant} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Merchant> getMerchantAsync(String merchantId) {
    return getAsync("/v1/merchants/" + Paths.segment(merchantId), Merchant.class);
  }

  /**
   * The merchant's unsettled balance: today's net (settled T+1) and what is being paid out;
   * NotFoundException.
   */
  public MerchantBalance getMerchantBalance(String merchantId) {
    return Transport.join(getMerchantBalanceAsync(merchantId));
  }

  /**
   * {@link #getMerchantBalance} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<MerchantBalance> getMerchantBalanceAsync(String merchantId) {
    return getAsync(
        "/v1/merchants/" + Paths.segment(merchantId) + "/balance", MerchantBalance.class);
  }

  /** A page of the merchant's T+1 payouts, newest business day first; NotFoundException. */
  public MerchantSettlementList listMerchantSettlements(String merchantId, SettlementQuery query) {
    return Transport.join(listMerchantSettlementsAsync(merchantId, query));
  }

  /**
   * {@link #listMerchantSettlements} without blocking: the future completes with its result, or
   * with its exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<MerchantSettlementList> listMerchantSettlementsAsync(
      String merchantId, SettlementQuery query) {
    return getAsync(
        "/v1/merchants/"
            + Paths.segment(merchantId)
            + "/settlements"
            + Paths.query(query.parameters),
        MerchantSettlementList.class);
  }

  /**
   * Every item of {@link #listMerchantSettlements} matching the query, across its pages, each page
   * fetched only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<MerchantSettlement> listAllMerchantSettlements(
      String merchantId, SettlementQuery query) {
    return AutoPager.of(
        cursor ->
            listMerchantSettlements(merchantId, cursor == null ? query : query.cursor(cursor)),
        MerchantSettlementList::getData,
        MerchantSettlementList::getNextCursor);
  }

  /**
   * A page of the merchant's daily reconciliation statements, newest first (a day's statement is
   * ready after 02:00 the next day); NotFoundException.
   */
  public StatementList listStatements(String merchantId, StatementQuery query) {
    return Transport.join(listStatementsAsync(merchantId, query));
  }

  /**
   * {@link #listStatements} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<StatementList> listStatementsAsync(
      String merchantId, StatementQuery query) {
    return getAsync(
        "/v1/merchants/"
            + Paths.segment(merchantId)
            + "/statements"
            + Paths.query(query.parameters),
        StatementList.class);
  }

  /**
   * Every item of {@link #listStatements} matching the query, across its pages, each page fetched
   * only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Statement> listAllStatements(String merchantId, StatementQuery query) {
    return AutoPager.of(
        cursor -> listStatements(merchantId, cursor == null ? query : query.cursor(cursor)),
        StatementList::getData,
        StatementList::getNextCursor);
  }

  /**
   * Downloads a day's reconciliation statement (CSV) and verifies its {@code Statement-Signature}
   * over the exact bytes with the gateway's published keys (the ones responses are verified with,
   * fetched again after a rotation). NotFoundException while the day's statement is not ready.
   *
   * @throws SignatureVerificationException if the signature is missing, does not verify over the
   *     bytes, names a key the gateway does not publish, uses another algorithm than the gateway's
   *     (EdDSA, SM2SM3), is not a statement signature, or the file's first line names another
   *     merchant or day
   */
  public VerifiedStatement downloadStatement(String merchantId, LocalDate date) {
    String day = day(Objects.requireNonNull(date, "date"));
    return verifiedStatement(
        merchantId,
        day,
        transport.download(
            "/v1/merchants/" + Paths.segment(merchantId) + "/statements/" + day,
            "text/csv",
            RequestOptions.none()));
  }

  /**
   * {@link #downloadStatement} without blocking on the call (the signature is verified with the
   * gateway keys the SDK already holds from verifying the response).
   */
  public CompletableFuture<VerifiedStatement> downloadStatementAsync(
      String merchantId, LocalDate date) {
    String day = day(Objects.requireNonNull(date, "date"));
    return transport
        .downloadAsync(
            "/v1/merchants/" + Paths.segment(merchantId) + "/statements/" + day,
            "text/csv",
            RequestOptions.none())
        .thenApply(file -> verifiedStatement(merchantId, day, file));
  }

  private VerifiedStatement verifiedStatement(
      String merchantId, String day, Transport.Download file) {
    String requestId = file.header("X-Request-Id").orElse(null);
    VerifiedStatement statement =
        VerifiedStatement.verify(
            file.body(),
            file.header("Statement-Signature").orElse(null),
            transport.gatewayKeys()::key,
            requestId,
            file.status());
    Optional<String> signedMerchant = statement.commentValue("merchant");
    if (signedMerchant.isPresent() && !signedMerchant.get().equals(merchantId)) {
      throw mismatch(
          "the signed statement is of merchant " + signedMerchant.get(), requestId, file.status());
    }
    Optional<String> signedDay = statement.commentValue("date");
    if (signedDay.isPresent() && !signedDay.get().equals(day)) {
      throw mismatch("the signed statement is of " + signedDay.get(), requestId, file.status());
    }
    return statement;
  }

  /**
   * Verifies a statement offline: its exact bytes and its {@code Statement-Signature}, with the
   * gateway's public keys (e.g. from its JWKS, {@code /oauth2/jwks}, fetched once and kept).
   *
   * @throws SignatureVerificationException if the signature is missing, does not verify over these
   *     bytes with the key its {@code kid} names among these, or is not a statement signature in
   *     the gateway's algorithms (EdDSA, SM2SM3)
   */
  public static VerifiedStatement verifyStatement(
      byte[] body, String statementSignature, Collection<PublicJwk> gatewayKeys) {
    Objects.requireNonNull(gatewayKeys, "gatewayKeys");
    return VerifiedStatement.verify(
        body, statementSignature, ReceiptVerifier.lookup(gatewayKeys), null, 0);
  }

  /**
   * {@link #verifyStatement(byte[], String, Collection)} with the gateway's JWKS document as served
   * at {@code /oauth2/jwks} ({@code {"keys":[...]}}).
   *
   * @throws IllegalArgumentException if {@code jwks} is not a JWKS
   */
  public static VerifiedStatement verifyStatement(
      byte[] body, String statementSignature, String jwks) {
    return verifyStatement(body, statementSignature, ReceiptVerifier.parseJwks(jwks));
  }

  private <T> CompletableFuture<T> getAsync(String pathAndQuery, Class<T> type) {
    return transport.callAsync("GET", pathAndQuery, null, type, RequestOptions.none());
  }

  private static SignatureVerificationException mismatch(
      String message, String requestId, int status) {
    return new SignatureVerificationException(
        message, "statement_mismatch", requestId, status, null);
  }

  /** {@code YYYY-MM-DD}; null stays null. */
  private static String day(LocalDate date) {
    return date == null ? null : DateTimeFormatter.ISO_LOCAL_DATE.format(date);
  }

  /** Filters and page of {@link #listMerchants}: immutable, each setter returns a copy. */
  public static final class MerchantQuery {
    private final Map<String, Object> parameters;

    /** No filter: the first page of every merchant. */
    public MerchantQuery() {
      this(unset("status", "created_gte", "created_lt", "limit", "cursor"));
    }

    private MerchantQuery(Map<String, Object> parameters) {
      this.parameters = parameters;
    }

    /** Only merchants in this status. */
    public MerchantQuery status(Merchant.StatusEnum status) {
      return with("status", status == null ? null : status.getValue());
    }

    /** Only merchants created at or after this time. */
    public MerchantQuery createdGte(OffsetDateTime time) {
      return with("created_gte", iso(time));
    }

    /** Only merchants created before this time. */
    public MerchantQuery createdLt(OffsetDateTime time) {
      return with("created_lt", iso(time));
    }

    /** Page size, 1 to 100 (default 20). */
    public MerchantQuery limit(Integer limit) {
      return with("limit", limit);
    }

    /** The previous page's next_cursor. */
    public MerchantQuery cursor(String cursor) {
      return with("cursor", cursor);
    }

    private MerchantQuery with(String name, Object value) {
      return new MerchantQuery(copy(parameters, name, value));
    }
  }

  /**
   * Filters and page of {@link #listMerchantSettlements}: immutable, each setter returns a copy.
   */
  public static final class SettlementQuery {
    private final Map<String, Object> parameters;

    /** No filter: the first page of every settlement. */
    public SettlementQuery() {
      this(unset("date_gte", "date_lt", "limit", "cursor"));
    }

    private SettlementQuery(Map<String, Object> parameters) {
      this.parameters = parameters;
    }

    /** Only business days on or after this date (the parameter {@code date_gte}). */
    public SettlementQuery dateGte(LocalDate date) {
      return with("date_gte", day(date));
    }

    /** Only business days before this date (the parameter {@code date_lt}). */
    public SettlementQuery dateLt(LocalDate date) {
      return with("date_lt", day(date));
    }

    /** Page size, 1 to 100 (default 20). */
    public SettlementQuery limit(Integer limit) {
      return with("limit", limit);
    }

    /** The previous page's next_cursor. */
    public SettlementQuery cursor(String cursor) {
      return with("cursor", cursor);
    }

    private SettlementQuery with(String name, Object value) {
      return new SettlementQuery(copy(parameters, name, value));
    }
  }

  /** Filters and page of {@link #listStatements}: immutable, each setter returns a copy. */
  public static final class StatementQuery {
    private final Map<String, Object> parameters;

    /** No filter: the first page of every statement. */
    public StatementQuery() {
      this(unset("date_gte", "date_lt", "limit", "cursor"));
    }

    private StatementQuery(Map<String, Object> parameters) {
      this.parameters = parameters;
    }

    /** Only statements of days on or after this date (the parameter {@code date_gte}). */
    public StatementQuery dateGte(LocalDate date) {
      return with("date_gte", day(date));
    }

    /** Only statements of days before this date (the parameter {@code date_lt}). */
    public StatementQuery dateLt(LocalDate date) {
      return with("date_lt", day(date));
    }

    /** Page size, 1 to 100 (default 20). */
    public StatementQuery limit(Integer limit) {
      return with("limit", limit);
    }

    /** The previous page's next_cursor. */
    public StatementQuery cursor(String cursor) {
      return with("cursor", cursor);
    }

    private StatementQuery with(String name, Object value) {
      return new StatementQuery(copy(parameters, name, value));
    }
  }
}
