package io.scenebank.sdk.signing;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.signers.SM2Signer;

/** A {@link Signer} holding its private key in memory. */
final class LocalSigner implements Signer {

  private final SignatureAlgorithm algorithm;
  private final String keyId;
  private final AsymmetricKeyParameter privateKey;

  /** Initialised SM2 signers, each used by one thread at a time (see Primitives). */
  private final Queue<SM2Signer> sm2Signers = new ConcurrentLinkedQueue<>();

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
    if (algorithm != SignatureAlgorithm.SM2_SM3) {
      return Primitives.sign(algorithm, privateKey, message);
    }
    SM2Signer signer = sm2Signers.poll();
    if (signer == null) {
      signer = Primitives.initializedSm2Signer(privateKey);
    }
    signer.update(message, 0, message.length);
    byte[] signature;
    try {
      signature = signer.generateSignature();
    } catch (CryptoException e) {
      throw new IllegalStateException("sm2-sm3 signing failed", e);
    }
    // only a signer that finished cleanly (and so was reset) goes back
    sm2Signers.offer(signer);
    return signature;
  }

  @Override
  public String toString() {
    return "Signer{algorithm=" + algorithm.httpName() + ", keyId=" + keyId + "}";
  }
}
