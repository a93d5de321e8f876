package io.scenebank.sdk.signing;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;

/** The two elliptic curves of the Weierstrass-form algorithms: P-256 and the SM2 curve. */
final class Curves {

  /** P-256 (secp256r1, prime256v1): 1.2.840.10045.3.1.7. */
  static final ECNamedDomainParameters P256 = lookup(SECObjectIdentifiers.secp256r1);

  /** The SM2 recommended curve of GB/T 32918.5 (sm2p256v1): 1.2.156.10197.1.301. */
  static final ECNamedDomainParameters SM2 = lookup(GMObjectIdentifiers.sm2p256v1);

  private Curves() {}

  /** The algorithm that uses keys on this named curve, or null if none does. */
  static SignatureAlgorithm algorithmOf(ASN1ObjectIdentifier curve) {
    if (P256.getName().equals(curve)) {
      return SignatureAlgorithm.ECDSA_P256_SHA256;
    }
    if (SM2.getName().equals(curve)) {
      return SignatureAlgorithm.SM2_SM3;
    }
    return null;
  }

  /** The curve of an elliptic-curve algorithm. */
  static ECNamedDomainParameters of(SignatureAlgorithm algorithm) {
    switch (algorithm) {
      case ECDSA_P256_SHA256:
        return P256;
      case SM2_SM3:
        return SM2;
      default:
        throw new IllegalArgumentException(algorithm + " does not use a Weierstrass curve");
    }
  }

  private static ECNamedDomainParameters lookup(ASN1ObjectIdentifier oid) {
    ECNamedDomainParameters parameters = ECNamedDomainParameters.lookup(oid);
    if (parameters == null) {
      throw new IllegalStateException("BouncyCastle does not know the curve " + oid);
    }
    return parameters;
  }
}
