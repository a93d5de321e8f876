package io.scenebank.sdk.signing;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/** A {@link Signer} holding its private key in memory. */
final class LocalSigner implements Signer {

  private final SignatureAlgorithm algorithm;
  private final String keyId;
  private final AsymmetricKeyParameter privateKey;

  LocalSigner(SignatureAlgorithm algorithm, String keyId, AsymmetricKeyParameter privateKey) {
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.privateKey = privateKey;
  }

  @Override
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public byte[] sign(byte[] message) {
    if (message == null) {
      throw new IllegalArgumentException("nothing to sign: the message is null");
    }
    return Primitives.sign(algorithm, privateKey, message);
  }

  @Override
  public String toString() {
    return "Signer{algorithm=" + algorithm.httpName() + ", keyId=" + keyId + "}";
  }
}
