package io.scenebank.sdk.signing;

import java.util.Optional;

/**
 * The signature algorithms Scenebank accepts, with their names in HTTP Message Signatures (RFC 9421
 * {@code alg} parameter) and in JWS (RFC 7515 {@code alg} header).
 *
 * <p>The signature bytes are the same for both uses: see {@link Signer}.
 */
public enum SignatureAlgorithm {
  /** Ed25519 (RFC 8032): 64-byte signature. */
  ED25519("ed25519", "EdDSA"),
  /** ECDSA on P-256 with SHA-256: {@code r || s}, 64 bytes. */
  ECDSA_P256_SHA256("ecdsa-p256-sha256", "ES256"),
  /**
   * RSASSA-PSS with SHA-512, MGF1 with SHA-512 and a 64-byte salt; modulus of at least 2048 bits.
   */
  RSA_PSS_SHA512("rsa-pss-sha512", "PS512"),
  /**
   * SM2 (GB/T 32918.2) with SM3 and the user ID {@code 1234567812345678}: DER {@code SEQUENCE {r,
   * s}}.
   */
  SM2_SM3("sm2-sm3", "SM2SM3");

  private final String httpName;
  private final String jwsName;

  SignatureAlgorithm(String httpName, String jwsName) {
    this.httpName = httpName;
    this.jwsName = jwsName;
  }

  /** The name in the {@code alg} parameter of an HTTP message signature, e.g. {@code ed25519}. */
  public String httpName() {
    return httpName;
  }

  /** The name in the {@code alg} header of a JWS and in a JWK's {@code alg}, e.g. {@code EdDSA}. */
  public String jwsName() {
    return jwsName;
  }

  /** The algorithm with this HTTP signature name (exact, case-sensitive match). */
  public static Optional<SignatureAlgorithm> fromHttpName(String name) {
    for (SignatureAlgorithm algorithm : values()) {
      if (algorithm.httpName.equals(name)) {
        return Optional.of(algorithm);
      }
    }
    return Optional.empty();
  }

  /** The algorithm with this JWS name (exact, case-sensitive match). */
  public static Optional<SignatureAlgorithm> fromJwsName(String name) {
    for (SignatureAlgorithm algorithm : values()) {
      if (algorithm.jwsName.equals(name)) {
        return Optional.of(algorithm);
      }
    }
    return Optional.empty();
  }
}
