package io.scenebank.sdk.signing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * The four signature computations, with BouncyCastle's lightweight API. BouncyCastle signers keep
 * state, so each call makes its own: both methods are safe to call from several threads.
 */
final class Primitives {

  /** The SM2 user ID (distinguishing identifier) of {@code sm2-sm3}. */
  static final byte[] SM2_USER_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);

  /** The salt length of {@code rsa-pss-sha512}: the size of a SHA-512 hash. */
  static final int PSS_SALT_LENGTH = 64;

  static final SecureRandom RANDOM = new SecureRandom();

  private Primitives() {}

  /** Signs with a private key of the algorithm. */
  static byte[] sign(SignatureAlgorithm algorithm, AsymmetricKeyParameter privateKey, byte[] data) {
    org.bouncycastle.crypto.Signer signer = newSigner(algorithm);
    switch (algorithm) {
      case ED25519:
      case ECDSA_P256_SHA256:
        // Ed25519 is deterministic; ECDSA takes k from RFC 6979, so neither needs randomness
        signer.init(true, privateKey);
        break;
      case RSA_PSS_SHA512:
        signer.init(true, new ParametersWithRandom(privateKey, RANDOM));
        break;
      case SM2_SM3:
        signer.init(
            true, new ParametersWithID(new ParametersWithRandom(privateKey, RANDOM), SM2_USER_ID));
        break;
      default:
        throw new IllegalStateException("unknown algorithm " + algorithm);
    }
    signer.update(data, 0, data.length);
    try {
      return signer.generateSignature();
    } catch (CryptoException e) {
      throw new IllegalStateException(algorithm.httpName() + " signing failed", e);
    }
  }

  /** Verifies; false for a wrong or garbled signature, never an exception. */
  static boolean verify(
      SignatureAlgorithm algorithm,
      AsymmetricKeyParameter publicKey,
      byte[] data,
      byte[] signature) {
    if (data == null || signature == null) {
      return false;
    }
    try {
      org.bouncycastle.crypto.Signer verifier = newVerifier(algorithm);
      switch (algorithm) {
        case RSA_PSS_SHA512:
          // RFC 8017 §8.1.2: the signature is exactly as long as the modulus
          int modulusBytes = (((RSAKeyParameters) publicKey).getModulus().bitLength() + 7) / 8;
          if (signature.length != modulusBytes) {
            return false;
          }
          verifier.init(false, publicKey);
          break;
        case SM2_SM3:
          verifier.init(false, new ParametersWithID(publicKey, SM2_USER_ID));
          break;
        default:
          verifier.init(false, publicKey);
          break;
      }
      verifier.update(data, 0, data.length);
      return verifier.verifySignature(signature);
    } catch (RuntimeException e) {
      // malformed encodings (DER, lengths, out-of-range values) surface as runtime exceptions
      return false;
    }
  }

  /**
   * An SM2 signer initialised for signing. Its initialisation multiplies the base point by the
   * private key (as much work as a signature): a caller that signs often keeps it and reuses it
   * from one thread at a time; after each signature BouncyCastle resets it to the state after
   * initialisation.
   */
  static SM2Signer initializedSm2Signer(AsymmetricKeyParameter privateKey) {
    SM2Signer signer = new SM2Signer(StandardDSAEncoding.INSTANCE, new SM3Digest());
    signer.init(
        true, new ParametersWithID(new ParametersWithRandom(privateKey, RANDOM), SM2_USER_ID));
    return signer;
  }

  private static org.bouncycastle.crypto.Signer newSigner(SignatureAlgorithm algorithm) {
    switch (algorithm) {
      case RSA_PSS_SHA512:
        return new PSSSigner(
            new RSABlindedEngine(), new SHA512Digest(), new SHA512Digest(), PSS_SALT_LENGTH);
      case ECDSA_P256_SHA256:
        return new DSADigestSigner(
            new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest())),
            new SHA256Digest(),
            PlainDSAEncoding.INSTANCE);
      default:
        return newVerifier(algorithm);
    }
  }

  private static org.bouncycastle.crypto.Signer newVerifier(SignatureAlgorithm algorithm) {
    switch (algorithm) {
      case ED25519:
        return new Ed25519Signer();
      case ECDSA_P256_SHA256:
        return new DSADigestSigner(
            new ECDSASigner(), new SHA256Digest(), PlainDSAEncoding.INSTANCE);
      case RSA_PSS_SHA512:
        return new PSSSigner(
            new RSAEngine(), new SHA512Digest(), new SHA512Digest(), PSS_SALT_LENGTH);
      case SM2_SM3:
        return new SM2Signer(StandardDSAEncoding.INSTANCE, new SM3Digest());
      default:
        throw new IllegalStateException("unknown algorithm " + algorithm);
    }
  }
}
