package io.scenebank.sdk;

/**
 * 422: well-formed but refused by a business rule (e.g. {@code over_limit}, {@code
 * credit_declined}), or the idempotency key was used for another request ({@code
 * idempotency_key_reused}).
 */
public class DeclinedException extends ScenebankException {
  private static final long serialVersionUID = 1L;

  public DeclinedException(
      String message, String code, String requestId, int httpStatus, Throwable cause) {
    super(message, code, requestId, httpStatus, cause);
  }
}
