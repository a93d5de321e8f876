package io.scenebank.sdk.signing;

/**
 * A new key pair from {@link Keys#generate}: its signer, its public JWK (to register) and its
 * private key as PKCS#8 PEM (to store safely). {@link #toString()} never shows the private key.
 */
public final class GeneratedKey {

  private final Signer signer;
  private final PublicJwk publicJwk;
  private final String privateKeyPem;

  GeneratedKey(Signer signer, PublicJwk publicJwk, String privateKeyPem) {
    this.signer = signer;
    this.publicJwk = publicJwk;
    this.privateKeyPem = privateKeyPem;
  }

  /** The algorithm of the key. */
  public SignatureAlgorithm algorithm() {
    return signer.algorithm();
  }

  /** The key ID, as in {@link #signer()} and {@link #publicJwk()}. */
  public String keyId() {
    return signer.keyId();
  }

  /** Signs with the private key. */
  public Signer signer() {
    return signer;
  }

  /** The public key, with the key ID as {@code kid}. */
  public PublicJwk publicJwk() {
    return publicJwk;
  }

  /**
   * The private key as an unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), which
   * {@link Keys#signerFromPem} reads back. Keep it secret.
   */
  public String privateKeyPem() {
    return privateKeyPem;
  }

  @Override
  public String toString() {
    return "GeneratedKey{algorithm="
        + algorithm().httpName()
        + ", keyId="
        + keyId()
        + ", thumbprint="
        + publicJwk.thumbprint()
        + "}";
  }
}
