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
import io.scenebank.sdk.model.MerchantSettlementList;
import io.scenebank.sdk.model.StatementList;
import io.scenebank.sdk.signing.PublicJwk;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

  /** {@link #createMerchant(CreateMerchantRequest)} with your idempotency key or request id. */
  public Merchant createMerchant(CreateMerchantRequest request, RequestOptions options) {
    return transport.call("POST", "/v1/merchants", request, Merchant.class, options);
  }

  /** A page of your platform's merchants, newest first, filtered by the query. */
  public MerchantList listMerchants(MerchantQuery query) {
    return get("/v1/merchants" + Paths.query(query.parameters), MerchantList.class);
  }

  /**
   * A merchant with its review result; NotFoundException if your platform has none with this id.
   */
  public Merchant getMerchant(String merchantId) {
    return get("/v1/merchants/" + Paths.segment(merchantId), Merchant.class);
  }

  /**
   * The merchant's unsettled balance: today's net (settled T+1) and what is being paid out;
   * NotFoundException.
   */
  public MerchantBalance getMerchantBalance(String merchantId) {
    return get("/v1/merchants/" + Paths.segment(merchantId) + "/balance", MerchantBalance.class);
  }

  /** A page of the merchant's T+1 payouts, newest business day first; NotFoundException. */
  public MerchantSettlementList listMerchantSettlements(String merchantId, SettlementQuery query) {
    return get(
        "/v1/merchants/"
            + Paths.segment(merchantId)
            + "/settlements"
            + Paths.query(query.parameters),
        MerchantSettlementList.class);
  }

  /**
   * A page of the merchant's daily reconciliation statements, newest first (a day's statement is
   * ready after 02:00 the next day); NotFoundException.
   */
  public StatementList listStatements(String merchantId, StatementQuery query) {
    return get(
        "/v1/merchants/"
            + Paths.segment(merchantId)
            + "/statements"
            + Paths.query(query.parameters),
        StatementList.class);
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
    Transport.Download file =
        transport.download(
            "/v1/merchants/" + Paths.segment(merchantId) + "/statements/" + day,
            "text/csv",
            RequestOptions.none());
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

  private <T> T get(String pathAndQuery, Class<T> type) {
    return transport.call("GET", pathAndQuery, null, type, RequestOptions.none());
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
