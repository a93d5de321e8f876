package io.scenebank.sdk;

/**
 * No response was received: the connection failed or timed out. Retrying with the same idempotency
 * key is safe.
 */
public class ApiConnectionException extends ScenebankException {
  private static final long serialVersionUID = 1L;

  public ApiConnectionException(
      String message, String code, String requestId, int httpStatus, Throwable cause) {
    super(message, code, requestId, httpStatus, cause);
  }
}
