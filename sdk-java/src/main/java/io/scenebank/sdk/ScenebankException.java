package io.scenebank.sdk;

/**
 * The root of every error the SDK throws (unchecked). {@link #code()} is the gateway's stable
 * machine-readable code (e.g. {@code over_limit}); {@link #requestId()} identifies the call in the
 * bank's logs; {@link #httpStatus()} is 0 when no response was received.
 */
public class ScenebankException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final String requestId;
  private final int httpStatus;

  public ScenebankException(
      String message, String code, String requestId, int httpStatus, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.requestId = requestId;
    this.httpStatus = httpStatus;
  }

  /** The stable error code, e.g. {@code validation_failed}; never null. */
  public String code() {
    return code;
  }

  /** The request's id ({@code X-Request-Id}), or null if the request never reached the gateway. */
  public String requestId() {
    return requestId;
  }

  /** The HTTP status, or 0 if no response was received. */
  public int httpStatus() {
    return httpStatus;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "{status="
        + httpStatus
        + ", code="
        + code
        + ", requestId="
        + requestId
        + ", message="
        + getMessage()
        + "}";
  }
}
