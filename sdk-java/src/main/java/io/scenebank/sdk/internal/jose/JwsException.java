package io.scenebank.sdk.internal.jose;

/** A JWS that is malformed or uses a refused algorithm or feature. */
public class JwsException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public JwsException(String message) {
    super(message);
  }

  public JwsException(String message, Throwable cause) {
    super(message, cause);
  }
}
