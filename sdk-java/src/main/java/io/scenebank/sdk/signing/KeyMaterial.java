package io.scenebank.sdk.signing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** Reading, writing and generating keys: PEM, PKCS#8, SEC 1, SubjectPublicKeyInfo. */
final class KeyMaterial {

  static final int MIN_RSA_BITS = 2048;

  /** id-Ed25519 (RFC 8410). */
  private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

  private static final BigInteger RSA_PUBLIC_EXPONENT = BigInteger.valueOf(65537);

  private KeyMaterial() {}

  /** A key that cannot be used, with a message for the person who supplied it. */
  static final class InvalidKeyException extends IllegalArgumentException {
    InvalidKeyException(String message) {
      super(message);
    }

    InvalidKeyException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A key of one of our algorithms: the private part is null for a public key. */
  static final class Key {
    final SignatureAlgorithm algorithm;
    final AsymmetricKeyParameter privateKey;
    final AsymmetricKeyParameter publicKey;

    Key(
        SignatureAlgorithm algorithm,
        AsymmetricKeyParameter privateKey,
        AsymmetricKeyParameter publicKey) {
      this.algorithm = algorithm;
      this.privateKey = privateKey;
      this.publicKey = publicKey;
    }
  }

  // ---- generation ----

  static Key generate(SignatureAlgorithm algorithm, int rsaBits) {
    AsymmetricCipherKeyPair pair;
    switch (algorithm) {
      case ED25519:
        {
          Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
          generator.init(new Ed25519KeyGenerationParameters(Primitives.RANDOM));
          pair = generator.generateKeyPair();
          break;
        }
      case ECDSA_P256_SHA256:
      case SM2_SM3:
        {
          ECKeyPairGenerator generator = new ECKeyPairGenerator();
          generator.init(new ECKeyGenerationParameters(Curves.of(algorithm), Primitives.RANDOM));
          pair = generator.generateKeyPair();
          break;
        }
      case RSA_PSS_SHA512:
        {
          RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
          generator.init(
              new RSAKeyGenerationParameters(RSA_PUBLIC_EXPONENT, Primitives.RANDOM, rsaBits, 128));
          pair = generator.generateKeyPair();
          break;
        }
      default:
        throw new InvalidKeyException("unknown algorithm " + algorithm);
    }
    return new Key(algorithm, pair.getPrivate(), pair.getPublic());
  }

  // ---- PEM ----

  /** One PEM block: its label and DER content. */
  static final class PemBlock {
    final String label;
    final byte[] der;

    PemBlock(String label, byte[] der) {
      this.label = label;
      this.der = der;
    }
  }

  /**
   * Reads a PEM text holding one key: a private key ({@code PRIVATE KEY} (PKCS#8), {@code EC
   * PRIVATE KEY} (SEC 1) or {@code RSA PRIVATE KEY} (PKCS#1)) or, if {@code publicAllowed}, a
   * public key ({@code PUBLIC KEY}). Other blocks (such as {@code EC PARAMETERS}) are skipped.
   */
  static Key readPem(String pem, boolean publicAllowed) {
    List<PemBlock> keys = new ArrayList<>();
    for (PemBlock block : pemBlocks(pem)) {
      switch (block.label) {
        case "PRIVATE KEY":
        case "EC PRIVATE KEY":
        case "SM2 PRIVATE KEY":
        case "RSA PRIVATE KEY":
        case "PUBLIC KEY":
        case "ENCRYPTED PRIVATE KEY":
        case "RSA PUBLIC KEY":
          keys.add(block);
          break;
        default:
          break; // e.g. EC PARAMETERS written by `openssl ecparam -genkey`
      }
    }
    if (keys.isEmpty()) {
      throw new InvalidKeyException(
          "no key in the PEM text: expected -----BEGIN PRIVATE KEY-----"
              + (publicAllowed ? " or -----BEGIN PUBLIC KEY-----" : ""));
    }
    if (keys.size() > 1) {
      throw new InvalidKeyException("the PEM text holds " + keys.size() + " keys: give one");
    }
    PemBlock block = keys.get(0);
    try {
      switch (block.label) {
        case "PRIVATE KEY":
          return fromPrivateKeyInfo(PrivateKeyInfo.getInstance(asn1(block.der)));
        case "EC PRIVATE KEY":
        case "SM2 PRIVATE KEY": // what `openssl ec` writes for a key on the SM2 curve
          return fromSec1(ECPrivateKey.getInstance(asn1(block.der)), null);
        case "RSA PRIVATE KEY":
          return fromPrivateKeyInfo(
              new PrivateKeyInfo(
                  new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                  asn1(block.der)));
        case "PUBLIC KEY":
          if (!publicAllowed) {
            throw new InvalidKeyException(
                "a public key cannot sign: give the private key (-----BEGIN PRIVATE KEY-----)");
          }
          return fromSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(asn1(block.der)));
        case "ENCRYPTED PRIVATE KEY":
          throw new InvalidKeyException(
              "the private key is encrypted: decrypt it first"
                  + " (openssl pkcs8 -in key.pem -out plain.pem)");
        default:
          throw new InvalidKeyException(
              "unsupported PEM block " + block.label + ": use -----BEGIN PUBLIC KEY-----");
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidKeyException) {
        throw (InvalidKeyException) e;
      }
      throw new InvalidKeyException("cannot read the " + block.label + ": " + describe(e), e);
    }
  }

  static List<PemBlock> pemBlocks(String pem) {
    if (pem == null) {
      throw new InvalidKeyException("the PEM text is missing");
    }
    List<PemBlock> blocks = new ArrayList<>();
    int from = 0;
    while (true) {
      int begin = pem.indexOf("-----BEGIN ", from);
      if (begin < 0) {
        return blocks;
      }
      int labelEnd = pem.indexOf("-----", begin + 11);
      if (labelEnd < 0) {
        throw new InvalidKeyException("malformed PEM: unterminated BEGIN line");
      }
      String label = pem.substring(begin + 11, labelEnd);
      String endLine = "-----END " + label + "-----";
      int end = pem.indexOf(endLine, labelEnd + 5);
      if (end < 0) {
        throw new InvalidKeyException("malformed PEM: no " + endLine);
      }
      String body = pem.substring(labelEnd + 5, end);
      if (body.contains(":")) {
        throw new InvalidKeyException(
            "PEM headers (e.g. Proc-Type: encrypted keys) are not supported in " + label);
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(body.trim());
      } catch (IllegalArgumentException e) {
        throw new InvalidKeyException("malformed PEM: bad base64 in " + label, e);
      }
      blocks.add(new PemBlock(label, der));
      from = end + endLine.length();
    }
  }

  /** PKCS#8 {@code PRIVATE KEY} PEM of a private key. */
  static String privateKeyPem(AsymmetricKeyParameter privateKey) {
    try {
      PrivateKeyInfo info;
      if (privateKey instanceof Ed25519PrivateKeyParameters) {
        // RFC 8410 version 1 (no public key): what OpenSSL 3.0 and the JDK read. BouncyCastle
        // would write version 2 with the public key, which OpenSSL 3.0 refuses.
        info =
            new PrivateKeyInfo(
                new AlgorithmIdentifier(ID_ED25519),
                new DEROctetString(((Ed25519PrivateKeyParameters) privateKey).getEncoded()));
      } else {
        info = PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey);
      }
      byte[] der = info.getEncoded("DER");
      String base64 =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
      return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the private key", e);
    }
  }

  // ---- ASN.1 structures ----

  private static Key fromPrivateKeyInfo(PrivateKeyInfo info) throws IOException {
    ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    if (oid.equals(ID_ED25519)) {
      Ed25519PrivateKeyParameters key =
          (Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(info);
      return new Key(SignatureAlgorithm.ED25519, key, key.generatePublicKey());
    }
    if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)
        || oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      AsymmetricKeyParameter key = PrivateKeyFactory.createKey(info);
      if (!(key instanceof RSAPrivateCrtKeyParameters)) {
        throw new InvalidKeyException("the RSA private key lacks its CRT parameters");
      }
      RSAPrivateCrtKeyParameters rsa = (RSAPrivateCrtKeyParameters) key;
      RSAKeyParameters publicKey =
          new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
      checkRsaSize(rsa.getModulus());
      return new Key(SignatureAlgorithm.RSA_PSS_SHA512, rsa, publicKey);
    }
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)
        || oid.equals(GMObjectIdentifiers.sm2p256v1)) {
      ASN1ObjectIdentifier curve = curveOf(info.getPrivateKeyAlgorithm());
      return fromSec1(ECPrivateKey.getInstance(info.parsePrivateKey()), curve);
    }
    throw new InvalidKeyException("unsupported key algorithm " + algorithmName(oid));
  }

  /** An EC private key; the curve comes from the PKCS#8 wrapper or else from the key itself. */
  private static Key fromSec1(ECPrivateKey sec1, ASN1ObjectIdentifier curveFromWrapper) {
    ASN1ObjectIdentifier curve = curveFromWrapper;
    // getParameters() fails when the optional [0] parameters are absent (usual inside PKCS#8)
    org.bouncycastle.asn1.ASN1Object own = sec1.getParametersObject();
    if (own != null) {
      ASN1ObjectIdentifier ownCurve = namedCurve(X962Parameters.getInstance(own));
      if (curve != null && !curve.equals(ownCurve)) {
        throw new InvalidKeyException("the EC key names two curves: " + curve + " and " + ownCurve);
      }
      curve = ownCurve;
    }
    if (curve == null) {
      throw new InvalidKeyException("the EC private key does not name its curve");
    }
    SignatureAlgorithm algorithm = Curves.algorithmOf(curve);
    if (algorithm == null) {
      throw new InvalidKeyException(
          "unsupported EC curve "
              + curve
              + ": use P-256 (1.2.840.10045.3.1.7)"
              + " or sm2p256v1 (1.2.156.10197.1.301)");
    }
    ECNamedDomainParameters domain = Curves.of(algorithm);
    BigInteger d = sec1.getKey();
    if (d.signum() <= 0 || d.compareTo(domain.getN()) >= 0) {
      throw new InvalidKeyException("the EC private key is out of range for its curve");
    }
    ECPrivateKeyParameters privateKey = new ECPrivateKeyParameters(d, domain);
    return new Key(algorithm, privateKey, publicOf(privateKey));
  }

  private static Key fromSubjectPublicKeyInfo(SubjectPublicKeyInfo info) throws IOException {
    ASN1ObjectIdentifier oid = info.getAlgorithm().getAlgorithm();
    if (oid.equals(ID_ED25519)) {
      return new Key(SignatureAlgorithm.ED25519, null, PublicKeyFactory.createKey(info));
    }
    if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)
        || oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      RSAKeyParameters key = (RSAKeyParameters) PublicKeyFactory.createKey(info);
      checkRsaSize(key.getModulus());
      return new Key(SignatureAlgorithm.RSA_PSS_SHA512, null, key);
    }
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)
        || oid.equals(GMObjectIdentifiers.sm2p256v1)) {
      ASN1ObjectIdentifier curve = curveOf(info.getAlgorithm());
      SignatureAlgorithm algorithm = curve == null ? null : Curves.algorithmOf(curve);
      if (algorithm == null) {
        throw new InvalidKeyException("unsupported EC curve " + curve + ": use P-256 or sm2p256v1");
      }
      ECNamedDomainParameters domain = Curves.of(algorithm);
      ECPoint q = domain.getCurve().decodePoint(info.getPublicKeyData().getOctets());
      return new Key(algorithm, null, new ECPublicKeyParameters(q, domain));
    }
    throw new InvalidKeyException("unsupported key algorithm " + algorithmName(oid));
  }

  /** The curve named by an EC algorithm identifier (an SM2 OID as the algorithm names itself). */
  private static ASN1ObjectIdentifier curveOf(AlgorithmIdentifier algorithm) {
    if (algorithm.getAlgorithm().equals(GMObjectIdentifiers.sm2p256v1)
        && algorithm.getParameters() == null) {
      return GMObjectIdentifiers.sm2p256v1;
    }
    ASN1Encodable parameters = algorithm.getParameters();
    if (parameters == null) {
      return null;
    }
    return namedCurve(X962Parameters.getInstance(parameters));
  }

  private static ASN1ObjectIdentifier namedCurve(X962Parameters parameters) {
    if (!parameters.isNamedCurve()) {
      throw new InvalidKeyException(
          "EC keys with explicit curve parameters are not supported: use a named curve");
    }
    return ASN1ObjectIdentifier.getInstance(parameters.getParameters());
  }

  static ECPublicKeyParameters publicOf(ECPrivateKeyParameters privateKey) {
    ECPoint q =
        new FixedPointCombMultiplier()
            .multiply(privateKey.getParameters().getG(), privateKey.getD())
            .normalize();
    return new ECPublicKeyParameters(q, privateKey.getParameters());
  }

  static void checkRsaSize(BigInteger modulus) {
    if (modulus.bitLength() < MIN_RSA_BITS) {
      throw new InvalidKeyException(
          "RSA modulus of "
              + modulus.bitLength()
              + " bits is too short: at least "
              + MIN_RSA_BITS
              + " bits are required");
    }
  }

  static AsymmetricKeyParameter publicKeyOf(AsymmetricKeyParameter privateKey) {
    if (privateKey instanceof Ed25519PrivateKeyParameters) {
      return ((Ed25519PrivateKeyParameters) privateKey).generatePublicKey();
    }
    if (privateKey instanceof ECPrivateKeyParameters) {
      return publicOf((ECPrivateKeyParameters) privateKey);
    }
    if (privateKey instanceof RSAPrivateCrtKeyParameters) {
      RSAPrivateCrtKeyParameters rsa = (RSAPrivateCrtKeyParameters) privateKey;
      return new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
    }
    throw new InvalidKeyException("unsupported key " + privateKey.getClass().getSimpleName());
  }

  private static ASN1Primitive asn1(byte[] der) throws IOException {
    ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
    if (primitive == null) {
      throw new IOException("empty");
    }
    return primitive;
  }

  private static String algorithmName(ASN1ObjectIdentifier oid) {
    String id = oid.getId();
    switch (id) {
      case "1.3.101.113":
        return "Ed448 (1.3.101.113)";
      case "1.3.101.110":
        return "X25519 (1.3.101.110)";
      case "1.2.840.10040.4.1":
        return "DSA (1.2.840.10040.4.1)";
      default:
        return id;
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
