package io.scenebank.sdk;

import io.scenebank.sdk.internal.client.Transport;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.Signer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The entry point of the SDK: a thread-safe client for one app. It fetches and caches access tokens
 * ({@code private_key_jwt}), signs every request (RFC 9421, with {@code Content-Digest}), adds
 * idempotency keys, verifies every response's signature against the gateway's published keys,
 * retries what is safe to retry, and throws {@link ScenebankException}s with the gateway's code and
 * request id.
 *
 * <pre>{@code
 * ScenebankClient client = ScenebankClient.builder()
 *     .clientId("app_6Tm2Qx9KvN4pR7bLw3Zs")
 *     .privateKeyPem(Files.readString(Path.of("his-key.pem")), "his-key-2026-11")
 *     .environment(Environment.SANDBOX)
 *     .build();
 * ClientKeyList keys = client.clientKeys().list();
 * }</pre>
 *
 * <h2>Asynchronous calls</h2>
 *
 * Every call has a twin ending in {@code Async} that returns a {@link
 * java.util.concurrent.CompletableFuture} instead of blocking: {@code
 * client.care().createChargeAsync(encounterId, request)}. The request goes out with {@code
 * HttpClient.sendAsync} (as do the token and key fetches it may need, and the retries, which wait
 * on a timer): no thread waits per call. The future completes on the HTTP client's executor with
 * the same result, or exceptionally with the same {@link ScenebankException} the blocking call
 * would throw ({@code join()} wraps it in a {@code CompletionException}); do not block in its
 * callbacks. Misuse (an invalid id, a value that cannot be sent) still throws at once. Lists have
 * no asynchronous pager: page with {@code listXAsync} and the {@code next_cursor}.
 */
public final class ScenebankClient {

  private final String clientId;
  private final Environment environment;
  private final String keyId;
  private final Transport transport;

  private ScenebankClient(Builder b) {
    this.clientId = b.clientId;
    this.environment = b.environment;
    this.keyId = b.signer.keyId();
    HttpClient http =
        b.httpClient != null
            ? b.httpClient
            : HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    this.transport =
        new Transport(
            http,
            environment.baseUri(),
            clientId,
            b.signer,
            b.scopes,
            b.requestTimeout,
            b.maxRetries);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This app's own keys: register a successor, revoke the old one. */
  public ClientKeys clientKeys() {
    return new ClientKeys(transport);
  }

  /** The bank's operator API (needs the {@code operator} scope). */
  public Operator operator() {
    return new Operator(transport);
  }

  /** Pay-after-care: consents, credit lines, encounters and charges, settlements, debts. */
  public Care care() {
    return new Care(transport);
  }

  /** Bill payment: the biller directory, inquiries, payments and signed receipts, mandates. */
  public Bills bills() {
    return new Bills(transport);
  }

  /** Merchants: onboarding, balances, settlements and signed daily statements. */
  public Merchants merchants() {
    return new Merchants(transport);
  }

  /** Merchant payments: QR orders, payment codes, cancellations and refunds. */
  public Payments payments() {
    return new Payments(transport);
  }

  /** Smart canteens: subsidy programmes, enrolments, fundings, wallets and canteen payments. */
  public Canteen canteen() {
    return new Canteen(transport);
  }

  /** The sandbox's simulators: patients' answers, payers, billers, the clock, test webhooks. */
  public Simulator simulator() {
    return new Simulator(transport);
  }

  /** Events and webhook endpoints (to verify deliveries, see {@code io.scenebank.sdk.webhooks}). */
  public Webhooks webhooks() {
    return new Webhooks(transport);
  }

  public String clientId() {
    return clientId;
  }

  public Environment environment() {
    return environment;
  }

  /** Never shows the key or a token. */
  @Override
  public String toString() {
    return "ScenebankClient{clientId="
        + clientId
        + ", keyId="
        + keyId
        + ", environment="
        + environment
        + "}";
  }

  /** Builds a {@link ScenebankClient}. */
  public static final class Builder {
    private String clientId;
    private Signer signer;
    private Environment environment;
    private List<String> scopes = List.of();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxRetries = 2;
    private HttpClient httpClient;

    private Builder() {}

    /** The app's OAuth client id, e.g. {@code app_6Tm2Qx9KvN4pR7bLw3Zs}. */
    public Builder clientId(String clientId) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      return this;
    }

    /**
     * The app's private key, PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), and the {@code kid}
     * it is registered under (null: its thumbprint).
     */
    public Builder privateKeyPem(String pem, String keyId) {
      this.signer = Keys.signerFromPem(Objects.requireNonNull(pem, "pem"), keyId);
      return this;
    }

    /** A signer of your own, e.g. one that keeps the key in an HSM. */
    public Builder signer(Signer signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
    }

    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** The scopes to ask tokens for (default: all the app is granted). */
    public Builder scopes(String... scopes) {
      this.scopes = Arrays.asList(scopes.clone());
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Retries of a failed call that is safe to repeat (default 2; 0 disables). */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0 || maxRetries > 10) {
        throw new IllegalArgumentException("maxRetries must be 0 to 10");
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** The JDK HTTP client to use (e.g. with a proxy); redirects must stay off. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    public ScenebankClient build() {
      if (clientId == null) {
        throw new IllegalStateException("clientId is required");
      }
      if (signer == null) {
        throw new IllegalStateException("a private key or a signer is required");
      }
      if (environment == null) {
        throw new IllegalStateException(
            "say which gateway to call: .environment(Environment.custom(\"http://localhost:8080\"))"
                + " for a gateway you run (bin/gateway), Environment.SANDBOX for the bank's sandbox"
                + " or Environment.PRODUCTION");
      }
      return new ScenebankClient(this);
    }

    @Override
    public String toString() {
      return "ScenebankClient.Builder{clientId=" + clientId + ", environment=" + environment + "}";
    }
  }
}
