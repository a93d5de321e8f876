package io.scenebank.gateway.bills.connector;

import io.scenebank.gateway.bills.connector.BillerException.Kind;
import io.scenebank.gateway.events.UrlPolicy;
import io.scenebank.gateway.log.RequestContext;
import io.scenebank.gateway.log.TraceContext;
import io.scenebank.gateway.metrics.GatewayMetrics;
import io.scenebank.gateway.support.Contexts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A biller reached over HTTP with JSON, by our protocol. Every request carries {@code Content-Type}
 * and {@code Accept: application/json}, {@code Authorization: Bearer <token>} when there are
 * credentials (a fixed token or one from the biller's OAuth 2.0 token endpoint), a {@code
 * traceparent} continuing the request's trace, and a fresh random {@code X-Request-Id}. Amounts are
 * integer fen, dates {@code yyyy-MM-dd}, periods as the biller names them (at most 32 characters).
 *
 * <ul>
 *   <li>Inquiry: {@code POST {base}/inquiries} {@code {"account_number": "..."}} → {@code 200
 *       {"status": "DUES" | "NO_DUES" | "UNKNOWN_ACCOUNT", "account_holder_masked": "王*", "bills":
 *       [{"bill_ref": "...", "period": "2026-10", "amount": 8650, "due_date": "2026-11-30"}]}}.
 *       With {@code DUES} the list is not empty; the bills are returned oldest period first.
 *   <li>Write-off: {@code POST {base}/write-offs} {@code {"payment_id", "account_number",
 *       "bill_ref" (null without a bill), "period" (likewise), "amount"}} → {@code 200 {"status":
 *       "CONFIRMED", "biller_reference": "..."}}, {@code {"status": "REJECTED", "message": "..."}}
 *       or {@code {"status": "PENDING"}}. The biller is idempotent on {@code payment_id}: asking
 *       twice gets the same answer.
 *   <li>Status: {@code GET {base}/write-offs/{payment_id}} → {@code 200} with a write-off's answer
 *       ({@code PENDING}: undecided); {@code 404}: undecided (the biller does not know it).
 * </ul>
 *
 * <p>Each attempt has {@code timeout} to be connected and answered in full, else {@link
 * Kind#TIMEOUT}. A refused connection, a {@code 4xx} (but the status {@code 404}) or {@code 5xx} is
 * {@link Kind#UNAVAILABLE}; an answer off the protocol (not JSON, unknown status, wrong types,
 * non-positive amounts, invalid dates, larger than 1 MiB) is {@link Kind#MALFORMED}; unknown fields
 * are ignored. Inquiries and status queries, which are idempotent, are tried again up to {@code
 * maxRetries} times after a timeout or unavailability, with a short jittered exponential backoff
 * (about 100 ms, 200 ms, 400 ms ... at most 1 s); write-offs are never tried again. Every attempt
 * passes through the biller's {@link CircuitBreaker}: an open breaker fails the call at once with
 * {@link Kind#UNAVAILABLE}, and stops its retries.
 *
 * <p>Nothing blocks. Results complete on the caller's Vert.x context, if it has one (the client's
 * and the timers' futures are bound to it). Neither the credentials nor bodies (account numbers are
 * personal data) are logged or put in exception messages.
 */
public final class HttpJsonConnector implements BillerConnector {

  private static final Logger LOG = LoggerFactory.getLogger(HttpJsonConnector.class);
  static final int MAX_ANSWER_BYTES = 1 << 20;
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 1000;

  /** The longest billing period name the contract carries ({@code 2026-10}, {@code 2026秋季学期}). */
  private static final int MAX_PERIOD = 32;

  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final String JSON = "application/json";

  private final Vertx vertx;
  private final HttpClient client;
  private final String base;
  private final BillerCredentials credentials;
  private final long timeoutMs;
  private final int maxRetries;
  private final CircuitBreaker breaker;
  private final GatewayMetrics metrics;
  private final UrlPolicy urls;
  private final URI baseUri;

  /**
   * @param client the client to send with; not closed by the connector
   * @param baseUrl the biller's base URL, {@code http} or {@code https}, possibly with a path
   * @param urls where the gateway may connect (checked here and before every connection)
   * @param credentials what to send as {@code Authorization} (a fixed token, OAuth 2.0 client
   *     credentials, or nothing)
   * @param timeout the time each attempt has, connection and full answer included
   * @param maxRetries how many times inquiries and status queries are tried again (0: never)
   */
  public HttpJsonConnector(
      Vertx vertx,
      HttpClient client,
      URI baseUrl,
      UrlPolicy urls,
      BillerCredentials credentials,
      Duration timeout,
      int maxRetries,
      CircuitBreaker breaker,
      GatewayMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.client = Objects.requireNonNull(client, "client");
    this.breaker = Objects.requireNonNull(breaker, "breaker");
    String scheme = baseUrl.getScheme();
    if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
        || baseUrl.getHost() == null
        || baseUrl.getRawQuery() != null
        || baseUrl.getRawFragment() != null) {
      throw new IllegalArgumentException("the biller's base URL must be http(s), without query");
    }
    this.urls = Objects.requireNonNull(urls, "urls");
    this.baseUri = urls.check(baseUrl.toString());
    String url = baseUrl.toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeoutMs = Math.max(1, timeout.toMillis());
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative");
    }
    this.maxRetries = maxRetries;
  }

  @Override
  public Future<Inquiry> inquire(String accountNumber) {
    Objects.requireNonNull(accountNumber, "accountNumber");
    Buffer body = new JsonObject().put("account_number", accountNumber).toBuffer();
    return run(
        new Call<>(
            "inquiry",
            HttpMethod.POST,
            base + "/inquiries",
            body,
            null,
            false,
            HttpJsonConnector::inquiry),
        maxRetries);
  }

  @Override
  public Future<WriteOff> writeOff(WriteOffRequest request) {
    Objects.requireNonNull(request.paymentId(), "paymentId");
    Objects.requireNonNull(request.accountNumber(), "accountNumber");
    if (request.amount() <= 0) {
      throw new IllegalArgumentException("a write-off's amount must be positive");
    }
    Buffer body =
        new JsonObject()
            .put("payment_id", request.paymentId())
            .put("account_number", request.accountNumber())
            .put("bill_ref", request.billReference())
            .put("period", request.period())
            .put("amount", request.amount())
            .toBuffer();
    return run(
        new Call<>(
            "write-off",
            HttpMethod.POST,
            base + "/write-offs",
            body,
            request.paymentId(),
            false,
            HttpJsonConnector::writeOff),
        0);
  }

  @Override
  public Future<WriteOff> status(String paymentId) {
    Objects.requireNonNull(paymentId, "paymentId");
    return run(
        new Call<>(
            "status",
            HttpMethod.GET,
            base + "/write-offs/" + pathSegment(paymentId),
            null,
            paymentId,
            true,
            HttpJsonConnector::writeOff),
        maxRetries);
  }

  /** One request of the protocol, and how to read its {@code 200} answer. */
  private record Call<T>(
      String operation,
      HttpMethod method,
      String url,
      Buffer body,
      String paymentId,
      boolean notFoundIsUndecided,
      Function<JsonObject, T> parser) {}

  /** The call, tried again up to {@code retriesLeft} times while the breaker lets it. */
  private <T> Future<T> run(Call<T> call, int retriesLeft) {
    return attempt(call, 1, retriesLeft, null);
  }

  private <T> Future<T> attempt(Call<T> call, int number, int retriesLeft, BillerException last) {
    if (!breaker.tryAcquire()) {
      return Future.failedFuture(
          new BillerException(Kind.UNAVAILABLE, "circuit open for biller " + breaker.name(), last));
    }
    return exchange(call, number)
        .recover(
            e -> {
              BillerException failure = (BillerException) e;
              if (retriesLeft == 0 || failure.kind() == Kind.MALFORMED) {
                return Future.failedFuture(failure);
              }
              return vertx
                  .timer(backoffMs(number), TimeUnit.MILLISECONDS)
                  .compose(v -> attempt(call, number + 1, retriesLeft - 1, failure));
            });
  }

  /** One attempt: fails only with a {@link BillerException}; reported to the breaker. */
  private <T> Future<T> exchange(Call<T> call, int number) {
    String requestId = UUID.randomUUID().toString();
    long start = System.nanoTime();
    Promise<T> result = Promise.promise();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long deadline =
        vertx.setTimer(
            timeoutMs,
            t -> {
              if (result.tryFail(
                  new BillerException(
                      Kind.TIMEOUT,
                      "no answer from biller " + breaker.name() + " in " + timeoutMs + " ms"))) {
                reset(sent.get());
              }
            });
    RequestOptions options =
        new RequestOptions()
            .setMethod(call.method())
            .setAbsoluteURI(call.url())
            .setFollowRedirects(false)
            .setConnectTimeout(timeoutMs)
            .setIdleTimeout(timeoutMs)
            .putHeader("Content-Type", JSON)
            .putHeader("Accept", JSON)
            .putHeader("X-Request-Id", requestId);
    TraceContext trace = RequestContext.trace();
    options.putHeader(
        TraceContext.HEADER, (trace == null ? TraceContext.childOf(null) : trace.child()).header());
    AtomicReference<Integer> status = new AtomicReference<>();
    // the biller's address is checked before every connection, and the connection goes to
    // exactly the address checked (no DNS rebinding into the bank's network)
    Context context = vertx.getOrCreateContext();
    vertx
        .executeBlocking(() -> urls.resolve(baseUri), false)
        .compose(
            address ->
                // a token fetched now completes on the token client's loop: come back to this
                // context, where the response must be read as it arrives (see below)
                Contexts.onContext(context, credentials.authorization())
                    .map(
                        authorization -> {
                          if (authorization != null) {
                            options.putHeader("Authorization", authorization);
                          }
                          return address;
                        }))
        .compose(
            address -> {
              int port =
                  baseUri.getPort() != -1
                      ? baseUri.getPort()
                      : "http".equalsIgnoreCase(baseUri.getScheme()) ? 80 : 443;
              options.setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()));
              return client.request(options);
            })
        .compose(
            request -> {
              sent.set(request);
              if (result.future().isComplete()) {
                reset(request); // timed out while connecting
                return Future.failedFuture(result.future().cause());
              }
              // the response is read in this callback, on the request's event loop: reading it
              // from a later stage of the chain may miss its body (a race off the event loop)
              return (call.body() == null ? request.send() : request.send(call.body()))
                  .compose(
                      response -> {
                        status.set(response.statusCode());
                        return read(response, request);
                      });
            })
        .map(body -> answer(call, status.get(), body))
        .onComplete(
            ar -> {
              vertx.cancelTimer(deadline);
              if (ar.succeeded()) {
                result.tryComplete(ar.result());
              } else {
                result.tryFail(failure(ar.cause()));
              }
            });
    return result
        .future()
        .andThen(
            ar -> {
              if (ar.succeeded()) {
                breaker.onSuccess();
              } else {
                breaker.onFailure();
              }
              metrics.billerCall(
                  breaker.name(),
                  ar.succeeded()
                      ? "ok"
                      : ((BillerException) ar.cause()).kind().name().toLowerCase(Locale.ROOT));
              log(call, number, requestId, status.get(), start, ar.cause());
            });
  }

  /** The answer's body, or a failure if it is larger than {@link #MAX_ANSWER_BYTES}. */
  private static Future<Buffer> read(HttpClientResponse response, HttpClientRequest request) {
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(
        chunk -> {
          if (promise.future().isComplete()) {
            return;
          }
          if (body.length() + chunk.length() > MAX_ANSWER_BYTES) {
            promise.tryFail(
                new BillerException(
                    Kind.MALFORMED, "answer larger than " + MAX_ANSWER_BYTES + " bytes"));
            reset(request);
          } else {
            body.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(promise::tryFail);
    response.endHandler(v -> promise.tryComplete(body));
    return promise.future();
  }

  private static void reset(HttpClientRequest request) {
    if (request != null) {
      request.reset();
    }
  }

  /** Reads an answer by its status code, then its JSON. */
  private <T> T answer(Call<T> call, int status, Buffer body) {
    if (status == 404 && call.notFoundIsUndecided()) {
      @SuppressWarnings("unchecked")
      T undecided = (T) new Undecided();
      return undecided;
    }
    if (status == 200) {
      return parse(body, call.parser());
    }
    if (status / 100 == 2) {
      throw new BillerException(Kind.MALFORMED, "biller answered HTTP " + status + ", not 200");
    }
    throw new BillerException(Kind.UNAVAILABLE, "biller answered HTTP " + status);
  }

  /** The answer, or {@link Kind#MALFORMED}; never says what the body held (personal data). */
  static <T> T parse(Buffer body, Function<JsonObject, T> parser) {
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (RuntimeException e) {
      throw new BillerException(Kind.MALFORMED, "answer is not a JSON object");
    }
    try {
      return parser.apply(json);
    } catch (BillerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BillerException(
          Kind.MALFORMED, "unreadable answer (" + e.getClass().getSimpleName() + ")");
    }
  }

  static Inquiry inquiry(JsonObject json) {
    String status = status(json);
    switch (status) {
      case "DUES":
        {
          JsonArray array = array(json, "bills");
          if (array == null || array.isEmpty()) {
            throw malformed("DUES without bills");
          }
          List<DueBill> bills = new ArrayList<>(array.size());
          Set<String> references = new HashSet<>();
          for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof JsonObject bill)) {
              throw malformed("bills[" + i + "] is not an object");
            }
            DueBill due = bill(bill, "bills[" + i + "].");
            if (!references.add(due.reference())) {
              throw malformed("bills[" + i + "].bill_ref is repeated");
            }
            bills.add(due);
          }
          bills.sort(Comparator.comparing(DueBill::period).thenComparing(DueBill::dueDate));
          return new Dues(optionalText(json, "account_holder_masked"), bills);
        }
      case "NO_DUES":
        {
          JsonArray bills = array(json, "bills");
          if (bills != null && !bills.isEmpty()) {
            throw malformed("NO_DUES with bills");
          }
          return new NoDues(optionalText(json, "account_holder_masked"));
        }
      case "UNKNOWN_ACCOUNT":
        return new UnknownAccount();
      default:
        throw malformed("unknown inquiry status");
    }
  }

  static WriteOff writeOff(JsonObject json) {
    String status = status(json);
    switch (status) {
      case "CONFIRMED":
        return new Confirmed(text(json, "biller_reference", ""));
      case "REJECTED":
        return new Rejected(optionalText(json, "message"));
      case "PENDING":
        return new Undecided();
      default:
        throw malformed("unknown write-off status");
    }
  }

  private static DueBill bill(JsonObject bill, String where) {
    String reference = text(bill, "bill_ref", where);
    String period = text(bill, "period", where);
    if (period.isBlank() || period.length() > MAX_PERIOD) {
      throw malformed(where + "period is blank or longer than " + MAX_PERIOD);
    }
    Object amount = bill.getValue("amount");
    if (!(amount instanceof Integer || amount instanceof Long)) {
      throw malformed(
          where
              + (amount instanceof BigInteger
                  ? "amount is too large"
                  : "amount is missing or not an integer"));
    }
    long fen = ((Number) amount).longValue();
    if (fen <= 0) {
      throw malformed(where + "amount is not positive");
    }
    String due = text(bill, "due_date", where);
    LocalDate dueDate;
    try {
      if (!DATE.matcher(due).matches()) {
        throw new DateTimeException("not yyyy-MM-dd");
      }
      dueDate = LocalDate.parse(due);
    } catch (DateTimeException e) {
      throw malformed(where + "due_date is not a date");
    }
    return new DueBill(reference, period, fen, dueDate);
  }

  private static String status(JsonObject json) {
    if (!(json.getValue("status") instanceof String status)) {
      throw malformed("status is missing or not a string");
    }
    return status;
  }

  /** A required, non-blank string. */
  private static String text(JsonObject json, String field, String where) {
    if (!(json.getValue(field) instanceof String value) || value.isBlank()) {
      throw malformed(where + field + " is missing or not a string");
    }
    return value;
  }

  /** A string, or null when absent. */
  private static String optionalText(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw malformed(field + " is not a string");
    }
    return (String) value;
  }

  private static JsonArray array(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof JsonArray)) {
      throw malformed(field + " is not an array");
    }
    return (JsonArray) value;
  }

  private static BillerException malformed(String what) {
    return new BillerException(Kind.MALFORMED, "malformed answer: " + what);
  }

  /** What a failed attempt comes to. */
  private BillerException failure(Throwable e) {
    if (e instanceof BillerException billerException) {
      return billerException;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException
          || t instanceof io.netty.channel.ConnectTimeoutException
          || t instanceof java.net.SocketTimeoutException) {
        return new BillerException(
            Kind.TIMEOUT,
            "no answer from biller " + breaker.name() + " in " + timeoutMs + " ms",
            e);
      }
    }
    return new BillerException(
        Kind.UNAVAILABLE,
        "biller " + breaker.name() + " unreachable: " + e.getClass().getSimpleName(),
        e);
  }

  /** About 100 ms before the first retry, doubling, at most 1 s, ±20 %. */
  static long backoffMs(int attempt) {
    long delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempt - 1, 10));
    return Math.max(1, (long) (delay * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
  }

  private void log(
      Call<?> call, int number, String requestId, Integer status, long start, Throwable failure) {
    var event = failure == null ? LOG.atDebug() : LOG.atWarn();
    event
        .addKeyValue("biller", breaker.name())
        .addKeyValue("operation", call.operation())
        .addKeyValue("biller_request_id", requestId)
        .addKeyValue("attempt", number)
        .addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000);
    if (call.paymentId() != null) {
      event.addKeyValue("payment_id", call.paymentId());
    }
    if (status != null) {
      event.addKeyValue("http_status", status);
    }
    if (failure instanceof BillerException e) {
      event.addKeyValue("failure", e.kind()).addKeyValue("reason", e.getMessage());
    }
    event.log(failure == null ? "biller answered" : "biller call failed");
  }

  /** Percent-encodes a path segment (RFC 3986 unreserved characters stay as they are). */
  static String pathSegment(String value) {
    if (value.isEmpty() || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException("not a payment id");
    }
    StringBuilder sb = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        sb.append(c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
