package io.scenebank.sdk;

/**
 * 409: the resource's state forbids the operation (e.g. {@code already_settled}), or a request with
 * the same idempotency key is still in flight ({@code idempotency_in_flight}).
 */
public class ConflictException extends ScenebankException {
  private static final long serialVersionUID = 1L;

  public ConflictException(
      String message, String code, String requestId, int httpStatus, Throwable cause) {
    super(message, code, requestId, httpStatus, cause);
  }
}
