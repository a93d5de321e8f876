package io.scenebank.sdk.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenebank.sdk.ApiConnectionException;
import io.scenebank.sdk.AuthenticationException;
import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.DeclinedException;
import io.scenebank.sdk.InvalidRequestException;
import io.scenebank.sdk.NotFoundException;
import io.scenebank.sdk.PermissionException;
import io.scenebank.sdk.RateLimitException;
import io.scenebank.sdk.RequestOptions;
import io.scenebank.sdk.ScenebankException;
import io.scenebank.sdk.ServerException;
import io.scenebank.sdk.SignatureVerificationException;
import io.scenebank.sdk.internal.httpsig.ComponentIdentifier;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.CreatedSignature;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureFormatException;
import io.scenebank.sdk.internal.httpsig.SignatureInput;
import io.scenebank.sdk.internal.httpsig.SignatureSpec;
import io.scenebank.sdk.internal.httpsig.SignatureVerification;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.Signer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One API call, as a chain: access token → idempotency key → {@code Content-Digest} and RFC 9421
 * signature → send → verify the response's digest and signature (bound to this request) → map
 * errors → retry what is safe to retry (with the same idempotency key, signed afresh).
 */
public final class Transport {

  static final Duration SIGNATURE_WINDOW = Duration.ofSeconds(300);
  private static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(10);
  private static final String JSON = "application/json";

  private final HttpClient http;
  private final URI baseUri;
  private final Signer signer;
  private final TokenSource tokens;
  private final GatewayKeys gatewayKeys;
  private final Duration timeout;
  private final int maxRetries;

  public Transport(
      HttpClient http,
      URI baseUri,
      String clientId,
      Signer signer,
      List<String> scopes,
      Duration timeout,
      int maxRetries) {
    this.http = http;
    this.baseUri = baseUri;
    this.signer = signer;
    this.timeout = timeout;
    this.maxRetries = maxRetries;
    this.tokens = new TokenSource(http, baseUri, clientId, signer, scopes, timeout);
    this.gatewayKeys = new GatewayKeys(http, baseUri, timeout);
  }

  /**
   * Calls the API and returns the response body as {@code type} ({@code Void.class} for none).
   *
   * @param pathAndQuery e.g. {@code /v1/client/keys?limit=10}
   * @param body the request body (serialized as JSON), or null for GET
   */
  public <T> T call(
      String method, String pathAndQuery, Object body, Class<T> type, RequestOptions options) {
    return join(callAsync(method, pathAndQuery, body, type, options));
  }

  /**
   * The result of a call's future, waited for: its value, or the {@link ScenebankException} (or
   * other unchecked exception) it failed with, as the blocking calls throw them.
   */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException
        | java.util.concurrent.CancellationException e) {
      Throwable cause = ConnectionFailures.unwrap(e);
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new ApiConnectionException(
          String.valueOf(cause.getMessage()), "connection_failed", null, 0, cause);
    }
  }

  /**
   * {@link #call} without blocking a thread: the request is sent with {@code HttpClient.sendAsync},
   * and so are the token and key fetches it may need; retries wait on a timer. Misuse (a body that
   * cannot be sent) throws at once; everything else completes the future exceptionally with the
   * same typed exceptions as {@link #call} (inside a {@code CompletionException} when joined).
   */
  public <T> CompletableFuture<T> callAsync(
      String method, String pathAndQuery, Object body, Class<T> type, RequestOptions options) {
    byte[] bytes = body == null ? null : json(body);
    String idempotencyKey = "POST".equals(method) ? options.idempotencyKeyOrNew() : null;
    String requestId = options.requestIdOrNew();
    return attemptAsync(method, pathAndQuery, bytes, JSON, idempotencyKey, requestId, 0, false)
        .thenApply(answer -> parse(answer, type));
  }

  private CompletableFuture<Answer> attemptAsync(
      String method,
      String pathAndQuery,
      byte[] bytes,
      String accept,
      String idempotencyKey,
      String requestId,
      int attempt,
      boolean tokenRetried) {
    return exchangeAsync(method, pathAndQuery, bytes, accept, idempotencyKey, requestId)
        .handle(
            (answer, failure) -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(answer);
              }
              Throwable e = ConnectionFailures.unwrap(failure);
              if (e instanceof AuthenticationException
                  && ((AuthenticationException) e).code().startsWith("token_")
                  && !tokenRetried) {
                tokens.invalidate();
                return attemptAsync(
                    method, pathAndQuery, bytes, accept, idempotencyKey, requestId, attempt, true);
              }
              if (e instanceof ScenebankException
                  && attempt < maxRetries
                  && retryable((ScenebankException) e)) {
                Executor later =
                    CompletableFuture.delayedExecutor(
                        backoff(attempt, (ScenebankException) e).toMillis(), TimeUnit.MILLISECONDS);
                return CompletableFuture.supplyAsync(() -> null, later)
                    .thenCompose(
                        v ->
                            attemptAsync(
                                method,
                                pathAndQuery,
                                bytes,
                                accept,
                                idempotencyKey,
                                requestId,
                                attempt + 1,
                                tokenRetried));
              }
              return CompletableFuture.<Answer>failedFuture(e);
            })
        .thenCompose(f -> f);
  }

  /**
   * GETs a file (a response that is not JSON, e.g. a CSV statement) and returns it as it came: its
   * status, headers and exact bytes. The response is verified as every other one (its {@code
   * Content-Digest} over these bytes, the gateway's signature bound to this request); errors are
   * mapped and retried as for {@link #call}.
   *
   * @param pathAndQuery e.g. {@code /v1/merchants/mch_1/statements/2026-11-22}
   * @param accept the media type asked for, e.g. {@code text/csv}
   */
  public Download download(String pathAndQuery, String accept, RequestOptions options) {
    return join(downloadAsync(pathAndQuery, accept, options));
  }

  /** {@link #download} without blocking a thread, as {@link #callAsync}. */
  public CompletableFuture<Download> downloadAsync(
      String pathAndQuery, String accept, RequestOptions options) {
    return attemptAsync(
            "GET",
            pathAndQuery,
            null,
            accept + ", application/problem+json",
            null,
            options.requestIdOrNew(),
            0,
            false)
        .thenApply(answer -> new Download(answer.status, answer.headers, answer.body));
  }

  /** A verified file response: its status, headers and the exact bytes of its body. */
  public static final class Download {
    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    Download(int status, Map<String, List<String>> headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    public int status() {
      return status;
    }

    /** The first value of a header (the name in any case), if the response has it. */
    public Optional<String> header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body's bytes, exactly as received and verified (not a copy). */
    public byte[] body() {
      return body;
    }
  }

  private static boolean retryable(ScenebankException e) {
    return e instanceof ApiConnectionException
        || e instanceof ServerException
        || (e instanceof RateLimitException
            && ((RateLimitException) e).retryAfterSeconds() <= MAX_RETRY_WAIT.toSeconds())
        || (e instanceof ConflictException && "idempotency_in_flight".equals(e.code()));
  }

  private static Duration backoff(int attempt, ScenebankException e) {
    if (e instanceof RateLimitException) {
      return Duration.ofSeconds(((RateLimitException) e).retryAfterSeconds());
    }
    long base = 200L << Math.min(attempt, 5);
    return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base));
  }

  /** The verified response: status, headers (names in lower case) and body. */
  private static final class Answer {
    final int status;
    final Map<String, List<String>> headers;
    final byte[] body;

    Answer(int status, Map<String, List<String>> headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }
  }

  /** A signed request, ready to send, and what its response is verified against. */
  private static final class Prepared {
    final HttpRequest request;
    final Message message;
    final URI target;

    Prepared(HttpRequest request, Message message, URI target) {
      this.request = request;
      this.message = message;
      this.target = target;
    }
  }

  private Prepared prepare(
      String method,
      String pathAndQuery,
      byte[] body,
      String accept,
      String idempotencyKey,
      String requestId,
      String token) {
    String target = baseUri + pathAndQuery;
    Map<String, List<String>> fields = new HashMap<>();
    fields.put("authorization", List.of("Bearer " + token));
    List<String> components = new ArrayList<>(List.of("@method", "@target-uri", "authorization"));
    if (body != null) {
      fields.put("content-digest", List.of(ContentDigest.header(ContentDigest.SHA_256, body)));
      components.add("content-digest");
    }
    if (idempotencyKey != null) {
      fields.put("idempotency-key", List.of(idempotencyKey));
      components.add("idempotency-key");
    }
    SignatureSpec spec =
        SignatureSpec.builder()
            .components(components.toArray(new String[0]))
            .created(Instant.now().getEpochSecond())
            .nonce(HttpSignatures.newNonce())
            .tag("scenebank")
            .includeAlg(true)
            .build();
    Message message = Message.request(method, target, fields);
    CreatedSignature signature = HttpSignatures.sign(message, spec, signer);
    fields.put("signature-input", List.of(signature.signatureInputHeader()));
    fields.put("signature", List.of(signature.signatureHeader()));

    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target))
            .timeout(timeout)
            .header("X-Request-Id", requestId)
            .header("Accept", accept);
    fields.forEach((name, values) -> request.header(name, values.get(0)));
    if (body != null) {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return new Prepared(
        request.build(), Message.request(method, target, fields), URI.create(target));
  }

  /** The same exchange without blocking a thread: token, send and keys all asynchronous. */
  private CompletableFuture<Answer> exchangeAsync(
      String method,
      String pathAndQuery,
      byte[] body,
      String accept,
      String idempotencyKey,
      String requestId) {
    return tokens
        .tokenAsync()
        .thenCompose(
            token -> {
              Prepared prepared =
                  prepare(method, pathAndQuery, body, accept, idempotencyKey, requestId, token);
              return http.sendAsync(prepared.request, HttpResponse.BodyHandlers.ofByteArray())
                  .handle(
                      (response, failure) -> {
                        if (failure != null) {
                          throw ConnectionFailures.sendFailed(
                              method + " " + pathAndQuery, prepared.target, requestId, failure);
                        }
                        return response;
                      })
                  .thenCompose(
                      response -> {
                        String kid = verifiedKeyId(response, requestId);
                        CompletableFuture<Void> verified =
                            kid == null
                                ? CompletableFuture.completedFuture(null)
                                : gatewayKeys
                                    .keyAsync(kid)
                                    .thenAccept(
                                        key ->
                                            verifySignature(
                                                response, prepared.message, requestId, key));
                        return verified.thenApply(v -> answer(response));
                      });
            });
  }

  /** The answer of a verified response, or the typed exception of a problem. */
  private static Answer answer(HttpResponse<byte[]> response) {
    if (response.statusCode() >= 300) {
      throw error(response);
    }
    return new Answer(response.statusCode(), lowerCase(response.headers().map()), response.body());
  }

  /**
   * The response must carry a valid {@code Content-Digest} and a signature by a gateway key over
   * {@code @status}, {@code content-digest} and this request's signature: the checks that need no
   * key, and the key id to verify with (null for a proxy's unsigned 5xx, which is not trusted).
   */
  private static String verifiedKeyId(HttpResponse<byte[]> response, String requestId) {
    int status = response.statusCode();
    Map<String, List<String>> headers = lowerCase(response.headers().map());
    boolean signed = headers.containsKey("signature") && headers.containsKey("signature-input");
    if (!signed && status >= 502 && status <= 504) {
      // a proxy in front of the gateway answered; nothing to trust, nothing to verify
      return null;
    }
    ContentDigest.Result digest =
        ContentDigest.check(headers.getOrDefault("content-digest", List.of()), response.body());
    if (digest != ContentDigest.Result.OK) {
      throw unverified("the response's Content-Digest is " + digest, status, requestId);
    }
    SignatureInput input;
    try {
      input =
          SignatureInput.parseField(String.join(", ", headers.get("signature-input"))).get("sig1");
    } catch (SignatureFormatException | NullPointerException e) {
      throw unverified("the response is not signed", status, requestId);
    }
    if (input == null || input.keyId().isEmpty() || input.created().isEmpty()) {
      throw unverified("the response has no usable signature sig1", status, requestId);
    }
    List<String> covered = new ArrayList<>();
    for (ComponentIdentifier c : input.components()) {
      covered.add(c.serialized());
    }
    if (!covered.contains("\"@status\"")
        || !covered.contains("\"content-digest\"")
        || !covered.contains("\"signature\";req;key=\"sig1\"")
        || !input.tag().map("scenebank"::equals).orElse(false)) {
      throw unverified(
          "the response signature does not cover status, digest and this request's signature",
          status,
          requestId);
    }
    long skew = Math.abs(Instant.now().getEpochSecond() - input.created().getAsLong());
    if (skew > SIGNATURE_WINDOW.toSeconds()) {
      throw unverified("the response signature is " + skew + " s old", status, requestId);
    }
    return input.keyId().get();
  }

  /** The response's signature, by the gateway key {@code key}, bound to this request. */
  private static void verifySignature(
      HttpResponse<byte[]> response, Message signedRequest, String requestId, PublicJwk key) {
    int status = response.statusCode();
    Map<String, List<String>> headers = lowerCase(response.headers().map());
    Message responseMessage = Message.response(status, signedRequest).headers(headers).build();
    SignatureVerification result = HttpSignatures.verify(responseMessage, "sig1", key);
    if (!result.isValid()) {
      throw unverified("the response signature is invalid: " + result.detail(), status, requestId);
    }
  }

  private static SignatureVerificationException unverified(
      String message, int status, String requestId) {
    return new SignatureVerificationException(
        message, "response_signature_invalid", requestId, status, null);
  }

  /** The typed exception for a problem answer (also used by {@code Sandbox.signUp}). */
  public static ScenebankException error(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    JsonNode problem;
    try {
      problem = Mapper.MAPPER.readTree(response.body());
    } catch (IOException e) {
      problem = Mapper.MAPPER.createObjectNode();
    }
    String code = problem.path("code").asText("http_" + status);
    String requestId =
        problem.hasNonNull("request_id")
            ? problem.get("request_id").asText()
            : response.headers().firstValue("X-Request-Id").orElse(null);
    String message =
        problem.path("title").asText("HTTP " + status)
            + (problem.hasNonNull("detail") ? ": " + problem.get("detail").asText() : "");
    switch (status) {
      case 400:
      case 413:
      case 415:
        List<InvalidRequestException.FieldError> errors = new ArrayList<>();
        for (JsonNode e : problem.path("errors")) {
          errors.add(
              new InvalidRequestException.FieldError(
                  e.path("pointer").asText(""), e.path("detail").asText("")));
        }
        return new InvalidRequestException(message, code, requestId, status, errors);
      case 401:
        return new AuthenticationException(message, code, requestId, status, null);
      case 403:
        return new PermissionException(message, code, requestId, status, null);
      case 404:
        return new NotFoundException(message, code, requestId, status, null);
      case 409:
        return new ConflictException(message, code, requestId, status, null);
      case 422:
        return new DeclinedException(message, code, requestId, status, null);
      case 429:
        long retryAfter =
            response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
        return new RateLimitException(message, code, requestId, retryAfter);
      default:
        return status >= 500
            ? new ServerException(message, code, requestId, status, null)
            : new ScenebankException(message, code, requestId, status, null);
    }
  }

  private static <T> T parse(Answer answer, Class<T> type) {
    if (type == Void.class || answer.body.length == 0) {
      return null;
    }
    try {
      return Mapper.MAPPER.readValue(answer.body, type);
    } catch (IOException e) {
      throw new ScenebankException(
          "cannot read the response as " + type.getSimpleName() + ": " + e.getMessage(),
          "response_unreadable",
          null,
          answer.status,
          e);
    }
  }

  private static byte[] json(Object body) {
    try {
      return Mapper.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      // e.g. an enum's UNKNOWN, which names no value that could be sent
      throw new IllegalArgumentException("cannot send this request body: " + cause.getMessage(), e);
    }
  }

  private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
    Map<String, List<String>> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    return lower;
  }

  /**
   * The gateway's published keys this transport verifies responses with (cached, refreshed on an
   * unknown kid); also what signed content such as bill receipts is verified against.
   */
  public GatewayKeys gatewayKeys() {
    return gatewayKeys;
  }

  @Override
  public String toString() {
    return "Transport{" + baseUri + ", " + tokens + "}";
  }
}
