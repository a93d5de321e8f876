package io.scenebank.sdk.internal.httpsig;

/**
 * A structured field, signature input or component identifier that is malformed or not allowed; the
 * message says what is wrong.
 */
public class SignatureFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SignatureFormatException(String message) {
    super(message);
  }

  public SignatureFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
