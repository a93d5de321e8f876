package io.scenebank.sdk.webhooks;

import io.scenebank.sdk.Environment;
import io.scenebank.sdk.internal.client.GatewayKeys;
import io.scenebank.sdk.internal.client.Mapper;
import io.scenebank.sdk.internal.httpsig.ComponentIdentifier;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureFormatException;
import io.scenebank.sdk.internal.httpsig.SignatureInput;
import io.scenebank.sdk.internal.httpsig.SignatureVerification;
import io.scenebank.sdk.model.Event;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies webhook deliveries from the gateway: the {@code Content-Digest} of the raw body, the RFC
 * 9421 signature (tag {@code scenebank-webhook}, over {@code content-digest}, {@code webhook-id}
 * and {@code webhook-timestamp}) with a key from the gateway's published JWKS, and a timestamp
 * within the replay window (5 minutes by default); then tells repeats apart.
 *
 * <p>Verify the body exactly as received, before any JSON parsing: a re-serialized body has other
 * bytes and fails, rightly. {@link io.scenebank.sdk.webhooks.servlet.WebhookServletFilter} and
 * {@link io.scenebank.sdk.webhooks.vertx.WebhookHandler} do this for you.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder(Environment.SANDBOX).build();
 * VerifiedWebhook webhook = verifier.verify(headers, rawBody);   // throws if not genuine
 * if (!webhook.duplicate() && webhook.event().getType() == EventType.CONSENT_APPROVED) { ... }
 * }</pre>
 */
public final class WebhookVerifier {

  public static final String TAG = "scenebank-webhook";
  private static final List<String> COVERED =
      List.of("content-digest", "webhook-id", "webhook-timestamp");

  private final GatewayKeys keys;
  private final Duration tolerance;
  private final Deduplicator deduplicator;
  private final Clock clock;

  private WebhookVerifier(Builder b) {
    this.keys =
        new GatewayKeys(
            b.httpClient != null ? b.httpClient : HttpClient.newHttpClient(),
            b.environment.baseUri(),
            Duration.ofSeconds(10));
    this.tolerance = b.tolerance;
    this.deduplicator =
        b.deduplicator != null ? b.deduplicator : new MemoryDeduplicator(tolerance.multipliedBy(2));
    this.clock = b.clock;
  }

  /**
   * Forgets a delivery your code failed to handle, so that the gateway's retry of it is verified as
   * a first delivery (not a {@link VerifiedWebhook#duplicate() duplicate}) and handled again. The
   * SDK's receivers do this when your code throws or answers 5xx.
   */
  public void forget(VerifiedWebhook webhook) {
    deduplicator.forget(webhook.id());
  }

  public static Builder builder(Environment environment) {
    return new Builder(environment);
  }

  /**
   * Verifies one delivery.
   *
   * @param headers the request's headers (names in any case)
   * @param body the request body, byte for byte as received
   * @throws WebhookVerificationException if it is not a genuine, fresh delivery
   */
  public VerifiedWebhook verify(Map<String, List<String>> headers, byte[] body) {
    Map<String, List<String>> fields = new HashMap<>();
    headers.forEach((k, v) -> fields.put(k.toLowerCase(Locale.ROOT), v));
    String id = first(fields, "webhook-id");
    String timestamp = first(fields, "webhook-timestamp");
    if (id == null || timestamp == null || first(fields, "signature") == null) {
      throw new WebhookVerificationException(
          "not a signed webhook: webhook-id, webhook-timestamp and Signature are required",
          "webhook_signature_missing");
    }
    ContentDigest.Result digest =
        ContentDigest.check(fields.getOrDefault("content-digest", List.of()), body);
    if (digest != ContentDigest.Result.OK) {
      throw new WebhookVerificationException(
          "the body does not match its Content-Digest (" + digest + ")", "webhook_digest_mismatch");
    }
    SignatureInput input;
    byte[] signature;
    try {
      input =
          SignatureInput.parseField(
                  String.join(", ", fields.getOrDefault("signature-input", List.of())))
              .get("sig1");
      signature =
          HttpSignatures.parseSignatureField(String.join(", ", fields.get("signature")))
              .get("sig1");
    } catch (SignatureFormatException e) {
      throw new WebhookVerificationException(
          "malformed signature: " + e.getMessage(), "webhook_signature_invalid");
    }
    if (input == null || signature == null || input.keyId().isEmpty()) {
      throw new WebhookVerificationException("no signature sig1", "webhook_signature_invalid");
    }
    List<String> covered = new ArrayList<>();
    for (ComponentIdentifier c : input.components()) {
      covered.add(c.name());
    }
    if (!covered.containsAll(COVERED) || !input.tag().map(TAG::equals).orElse(false)) {
      throw new WebhookVerificationException(
          "the signature must cover content-digest, webhook-id and webhook-timestamp with tag "
              + TAG,
          "webhook_signature_invalid");
    }
    long sent;
    try {
      sent = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw new WebhookVerificationException(
          "webhook-timestamp is not a number", "webhook_malformed");
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - sent) > tolerance.toSeconds()) {
      throw new WebhookVerificationException(
          "webhook-timestamp is "
              + Math.abs(now - sent)
              + " s away (at most "
              + tolerance.toSeconds()
              + " s)",
          "webhook_timestamp_out_of_window");
    }
    SignatureVerification result =
        HttpSignatures.verify(
            Message.request("POST", "https://webhook.invalid/", fields),
            input,
            signature,
            keys.key(input.keyId().get()));
    if (!result.isValid()) {
      throw new WebhookVerificationException(
          "the webhook signature is invalid: " + result.detail(), "webhook_signature_invalid");
    }
    Event event;
    try {
      event = Mapper.MAPPER.readValue(body, Event.class);
    } catch (IOException e) {
      throw new WebhookVerificationException("the body is not an event", "webhook_malformed");
    }
    if (!id.equals(event.getId())) {
      throw new WebhookVerificationException(
          "webhook-id does not match the event's id", "webhook_malformed");
    }
    return new VerifiedWebhook(id, event, !deduplicator.firstSeen(id));
  }

  private static String first(Map<String, List<String>> fields, String name) {
    List<String> values = fields.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Builds a {@link WebhookVerifier}. */
  public static final class Builder {
    private final Environment environment;
    private Duration tolerance = Duration.ofMinutes(5);
    private Deduplicator deduplicator;
    private HttpClient httpClient;
    private Clock clock = Clock.systemUTC();

    private Builder(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** How far {@code webhook-timestamp} may be from now (default 5 minutes). */
    public Builder tolerance(Duration tolerance) {
      this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
      return this;
    }

    /** Where processed ids are remembered (default: in memory). */
    public Builder deduplicator(Deduplicator deduplicator) {
      this.deduplicator = Objects.requireNonNull(deduplicator, "deduplicator");
      return this;
    }

    /** The HTTP client that fetches the gateway's JWKS. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** The clock the replay window is measured with (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public WebhookVerifier build() {
      return new WebhookVerifier(this);
    }
  }

  /** Ids seen within a time window, at most 100,000 of them. */
  static final class MemoryDeduplicator implements Deduplicator {
    private final long keepNanos;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    MemoryDeduplicator(Duration keep) {
      this.keepNanos = keep.toNanos();
    }

    @Override
    public synchronized boolean firstSeen(String webhookId) {
      long now = System.nanoTime();
      // oldest first: drop what has left the window, and the oldest beyond the capacity
      java.util.Iterator<Long> oldest = seen.values().iterator();
      while (oldest.hasNext()) {
        long at = oldest.next();
        if (now - at <= keepNanos && seen.size() < 100_000) {
          break;
        }
        oldest.remove();
      }
      return seen.putIfAbsent(webhookId, now) == null;
    }

    @Override
    public synchronized void forget(String webhookId) {
      seen.remove(webhookId);
    }
  }
}
