package io.scenebank.sdk;

/**
 * The gateway's response (or a webhook) failed signature or digest verification: its content must
 * not be trusted.
 */
public class SignatureVerificationException extends ScenebankException {
  private static final long serialVersionUID = 1L;

  public SignatureVerificationException(
      String message, String code, String requestId, int httpStatus, Throwable cause) {
    super(message, code, requestId, httpStatus, cause);
  }
}
