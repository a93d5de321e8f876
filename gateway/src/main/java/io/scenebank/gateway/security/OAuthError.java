package io.scenebank.gateway.security;

/**
 * An error of the OAuth endpoints, answered as RFC 6749 §5.2 JSON ({@code error}, {@code
 * error_description}): 401 for {@code invalid_client}, 400 otherwise.
 */
public final class OAuthError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String error;

  public OAuthError(String error, String description) {
    super(description, null, false, false);
    this.error = error;
  }

  public static OAuthError invalidClient(String description) {
    return new OAuthError("invalid_client", description);
  }

  public static OAuthError invalidRequest(String description) {
    return new OAuthError("invalid_request", description);
  }

  public String error() {
    return error;
  }

  public int status() {
    return "invalid_client".equals(error) ? 401 : 400;
  }
}
