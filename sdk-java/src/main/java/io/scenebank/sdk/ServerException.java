package io.scenebank.sdk;

/**
 * 5xx: the gateway or a system behind it failed. Retrying with the same idempotency key is safe.
 */
public class ServerException extends ScenebankException {
  private static final long serialVersionUID = 1L;

  public ServerException(
      String message, String code, String requestId, int httpStatus, Throwable cause) {
    super(message, code, requestId, httpStatus, cause);
  }
}
