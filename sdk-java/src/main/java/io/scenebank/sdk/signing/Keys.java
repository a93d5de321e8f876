package io.scenebank.sdk.signing;

/**
 * Makes signing keys: new ones, or from PEM files.
 *
 * <p>Where a key ID is optional (null), the key's RFC 7638 JWK thumbprint is used as its ID.
 */
public final class Keys {

  private Keys() {}

  /**
   * Generates a key pair with a {@link java.security.SecureRandom}. RSA keys have 2048 bits; use
   * {@link #generateRsa} for longer ones.
   *
   * @param keyId the key ID, or null to use the key's thumbprint
   */
  public static GeneratedKey generate(SignatureAlgorithm algorithm, String keyId) {
    if (algorithm == null) {
      throw new IllegalArgumentException("the algorithm is missing");
    }
    return generated(KeyMaterial.generate(algorithm, KeyMaterial.MIN_RSA_BITS), keyId);
  }

  /**
   * Generates an {@code rsa-pss-sha512} key pair.
   *
   * @param modulusBits 2048, 3072 or 4096
   * @param keyId the key ID, or null to use the key's thumbprint
   */
  public static GeneratedKey generateRsa(String keyId, int modulusBits) {
    if (modulusBits != 2048 && modulusBits != 3072 && modulusBits != 4096) {
      throw new IllegalArgumentException(
          "RSA keys have 2048, 3072 or 4096 bits, not " + modulusBits);
    }
    return generated(KeyMaterial.generate(SignatureAlgorithm.RSA_PSS_SHA512, modulusBits), keyId);
  }

  /**
   * A signer for a private key in PEM: PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}) for every
   * algorithm, or SEC 1 ({@code -----BEGIN EC PRIVATE KEY-----}, or {@code SM2 PRIVATE KEY} as
   * OpenSSL writes it) for P-256 and SM2 keys, or PKCS#1 ({@code -----BEGIN RSA PRIVATE KEY-----}).
   * The algorithm follows from the key: Ed25519 keys sign with {@code ed25519}, P-256 keys with
   * {@code ecdsa-p256-sha256}, keys on the SM2 curve (sm2p256v1, 1.2.156.10197.1.301) with {@code
   * sm2-sm3} and RSA keys (at least 2048 bits) with {@code rsa-pss-sha512}.
   *
   * @param keyId the key ID, or null to use the key's thumbprint
   * @throws IllegalArgumentException if the PEM holds no usable private key
   */
  public static Signer signerFromPem(String pem, String keyId) {
    KeyMaterial.Key key = KeyMaterial.readPem(pem, false);
    String id = keyId != null ? keyId : PublicJwk.of(key.algorithm, key.publicKey, null).keyId();
    return new LocalSigner(key.algorithm, id, key.privateKey);
  }

  /**
   * The public JWK of a key in PEM: any private key {@link #signerFromPem} reads, or a public key
   * ({@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo).
   *
   * @param keyId the {@code kid}, or null to use the key's thumbprint
   * @throws IllegalArgumentException if the PEM holds no usable key
   */
  public static PublicJwk publicJwkFromPem(String pem, String keyId) {
    KeyMaterial.Key key = KeyMaterial.readPem(pem, true);
    return PublicJwk.of(key.algorithm, key.publicKey, keyId);
  }

  private static GeneratedKey generated(KeyMaterial.Key key, String keyId) {
    PublicJwk jwk = PublicJwk.of(key.algorithm, key.publicKey, keyId);
    Signer signer = new LocalSigner(key.algorithm, jwk.keyId(), key.privateKey);
    return new GeneratedKey(signer, jwk, KeyMaterial.privateKeyPem(key.privateKey));
  }
}
