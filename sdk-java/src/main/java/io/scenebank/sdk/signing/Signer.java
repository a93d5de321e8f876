package io.scenebank.sdk.signing;

/**
 * Signs bytes with a private key. Implement it to keep the key elsewhere, e.g. in an HSM; {@link
 * Keys} makes one from a PEM key or a new key.
 *
 * <p>The signature is the algorithm's wire encoding, the same for HTTP message signatures and JWS:
 *
 * <ul>
 *   <li>{@code ed25519}: the 64-byte Ed25519 signature;
 *   <li>{@code ecdsa-p256-sha256}: SHA-256, then {@code r || s} as two 32-byte big-endian integers
 *       (64 bytes, not DER);
 *   <li>{@code rsa-pss-sha512}: RSASSA-PSS with SHA-512, MGF1 with SHA-512 and a 64-byte salt;
 *   <li>{@code sm2-sm3}: SM2 with SM3 and the user ID {@code 1234567812345678}, encoded as DER
 *       {@code SEQUENCE { INTEGER r, INTEGER s }}.
 * </ul>
 *
 * <p>Implementations must be safe to call from several threads at once.
 */
public interface Signer {

  /** The algorithm this signer signs with. */
  SignatureAlgorithm algorithm();

  /** The key's identifier ({@code keyid} of HTTP signatures, {@code kid} of JWS and JWK). */
  String keyId();

  /** Signs the message and returns the signature in the wire encoding described above. */
  byte[] sign(byte[] message);
}
