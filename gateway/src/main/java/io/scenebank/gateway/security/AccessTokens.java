package io.scenebank.gateway.security;

import io.vertx.core.Future;
import java.util.Set;

/**
 * Where the access tokens a request carries are verified: the gateway's own ({@link Tokens}) or an
 * external issuer's ({@link ExternalIssuer}). Either way the result is the same claims, and the
 * request is then checked against them the same way (the key binding, revocation, scopes).
 */
public interface AccessTokens {

  /** A verified access token. */
  record Claims(
      String clientId, Set<String> scopes, String thumbprint, String tokenId, long expiresAt) {}

  /**
   * The token's claims; fails with a {@link io.scenebank.gateway.http.Problem}: {@code 401
   * token_invalid} or {@code token_expired} for a token that is refused, {@code 503
   * service_unavailable} when it cannot be checked right now.
   */
  Future<Claims> verify(String token);
}
