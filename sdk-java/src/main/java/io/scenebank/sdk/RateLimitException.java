package io.scenebank.sdk;

/** 429: the app's rate limit is reached; retry after {@link #retryAfterSeconds()}. */
public class RateLimitException extends ScenebankException {
  private static final long serialVersionUID = 1L;

  private final long retryAfterSeconds;

  public RateLimitException(String message, String code, String requestId, long retryAfterSeconds) {
    super(message, code, requestId, 429, null);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
