package io.scenebank.gateway.tx;

import java.time.OffsetDateTime;

/**
 * What a request's transaction must check and record before anything else: the signature's nonce
 * (with the key, app and token still live), and the idempotency key with the request's hash.
 */
public record Guard(Nonce nonce, Claim claim) {

  /** A verified signature's nonce, to record once. */
  public record Nonce(
      String clientId, String keyId, String nonce, OffsetDateTime expiresAt, String tokenId) {}

  /** An idempotency key, to claim for this request (method, path and body hashed). */
  public record Claim(String key, byte[] requestHash) {}

  /** Internal work (the sweeper's, the simulators'): nothing to check. */
  public static final Guard NONE = new Guard(null, null);
}
