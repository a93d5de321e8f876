package io.scenebank.sdk;

import java.util.Objects;
import java.util.UUID;

/**
 * Per-call options. By default every POST gets a fresh random idempotency key, reused on the SDK's
 * own retries; give your own key to make a call safe to repeat across restarts of your program
 * (e.g. derived from your order number).
 */
public final class RequestOptions {

  private static final RequestOptions NONE = new RequestOptions(null, null);

  private final String idempotencyKey;
  private final String requestId;

  private RequestOptions(String idempotencyKey, String requestId) {
    this.idempotencyKey = idempotencyKey;
    this.requestId = requestId;
  }

  public static RequestOptions none() {
    return NONE;
  }

  /** 1 to 64 visible ASCII characters. */
  public static RequestOptions idempotencyKey(String key) {
    return NONE.withIdempotencyKey(key);
  }

  public RequestOptions withIdempotencyKey(String key) {
    Objects.requireNonNull(key, "key");
    if (!key.matches("[!-~]{1,64}")) {
      throw new IllegalArgumentException("an idempotency key is 1 to 64 visible ASCII characters");
    }
    return new RequestOptions(key, requestId);
  }

  /** Your id for the call ({@code X-Request-Id}, 1 to 128 of {@code [A-Za-z0-9._:-]}). */
  public RequestOptions withRequestId(String id) {
    Objects.requireNonNull(id, "id");
    if (!id.matches("[A-Za-z0-9._:-]{1,128}")) {
      throw new IllegalArgumentException("a request id is 1 to 128 of [A-Za-z0-9._:-]");
    }
    return new RequestOptions(idempotencyKey, id);
  }

  /** The key given, or a new random one. */
  public String idempotencyKeyOrNew() {
    return idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
  }

  /** The request id given, or a new one. */
  public String requestIdOrNew() {
    return requestId != null ? requestId : "sdk-" + UUID.randomUUID();
  }
}
