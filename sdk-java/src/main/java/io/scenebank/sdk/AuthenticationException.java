package io.scenebank.sdk;

/**
 * 401: the token, the request signature or the key was refused (e.g. {@code token_expired}, {@code
 * nonce_replayed}, {@code key_revoked}).
 */
public class AuthenticationException extends ScenebankException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(
      String message, String code, String requestId, int httpStatus, Throwable cause) {
    super(message, code, requestId, httpStatus, cause);
  }
}
