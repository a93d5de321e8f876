package io.scenebank.sdk.signing;

import io.scenebank.sdk.internal.Base64Url;
import io.scenebank.sdk.internal.Json;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * A public signing key as a JWK (RFC 7517): {@code OKP}/{@code Ed25519}, {@code EC}/{@code P-256},
 * {@code EC}/{@code SM2} or {@code RSA} (modulus of at least 2048 bits). Immutable and safe to
 * share between threads.
 *
 * <p>The key's {@link #algorithm() algorithm} follows from its type and curve; a JWK {@code alg},
 * if present, must agree with it.
 */
public final class PublicJwk {

  /** Members that only private or symmetric JWKs have: a public JWK carrying one is refused. */
  private static final List<String> PRIVATE_MEMBERS =
      Arrays.asList("d", "p", "q", "dp", "dq", "qi", "oth", "k");

  private static final int COORDINATE_BYTES = 32;

  private final SignatureAlgorithm algorithm;
  private final String keyId;

  /** The members that define the key, in the order {@link #toMap()} writes them. */
  private final Map<String, String> keyMembers;

  private final AsymmetricKeyParameter key;
  private final String thumbprint;

  private PublicJwk(
      SignatureAlgorithm algorithm,
      String keyId,
      Map<String, String> keyMembers,
      AsymmetricKeyParameter key) {
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.keyMembers = Collections.unmodifiableMap(keyMembers);
    this.key = key;
    this.thumbprint = computeThumbprint(algorithm, keyMembers);
  }

  /**
   * Parses a JWK from its JSON text.
   *
   * @throws IllegalArgumentException if it is not a valid public JWK of a supported kind
   */
  public static PublicJwk parse(String json) {
    if (json == null) {
      throw new IllegalArgumentException("the JWK is missing");
    }
    Map<String, Object> members;
    try {
      members = Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the JWK is " + e.getMessage(), e);
    }
    return parse(members);
  }

  /**
   * Makes a JWK from its members (for example one entry of a JWKS's {@code keys}).
   *
   * @throws IllegalArgumentException if they are not a valid public JWK of a supported kind
   */
  public static PublicJwk parse(Map<String, Object> members) {
    if (members == null) {
      throw new IllegalArgumentException("the JWK is missing");
    }
    for (String name : PRIVATE_MEMBERS) {
      if (members.containsKey(name)) {
        throw new IllegalArgumentException(
            "the JWK has the private member \""
                + name
                + "\": give the public key only, never the private key");
      }
    }
    String kty = requiredString(members, "kty");
    String keyId = optionalString(members, "kid");
    String alg = optionalString(members, "alg");
    String use = optionalString(members, "use");
    if (use != null && !use.equals("sig")) {
      throw new IllegalArgumentException(
          "the JWK has \"use\": \"" + use + "\"; a signing key has \"sig\" or none");
    }
    PublicJwk jwk;
    switch (kty) {
      case "OKP":
        jwk = parseOkp(members, keyId);
        break;
      case "EC":
        jwk = parseEc(members, keyId);
        break;
      case "RSA":
        jwk = parseRsa(members, keyId);
        break;
      default:
        throw new IllegalArgumentException(
            "unsupported JWK kty \"" + kty + "\": expected OKP, EC or RSA");
    }
    if (alg != null && !alg.equals(jwk.algorithm.jwsName())) {
      throw new IllegalArgumentException(
          "the JWK's alg \""
              + alg
              + "\" does not match its key type: a "
              + describe(jwk)
              + " key has alg \""
              + jwk.algorithm.jwsName()
              + "\"");
    }
    return jwk;
  }

  private static PublicJwk parseOkp(Map<String, Object> members, String keyId) {
    String crv = requiredString(members, "crv");
    if (!crv.equals("Ed25519")) {
      throw new IllegalArgumentException(
          "unsupported OKP curve \"" + crv + "\": expected \"Ed25519\"");
    }
    String x = requiredString(members, "x");
    byte[] raw = fixedLength(members, "x", COORDINATE_BYTES);
    Ed25519PublicKeyParameters key;
    try {
      key = new Ed25519PublicKeyParameters(raw, 0);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the JWK's x is not a valid Ed25519 public key", e);
    }
    Map<String, String> keyMembers = new LinkedHashMap<>();
    keyMembers.put("kty", "OKP");
    keyMembers.put("crv", crv);
    keyMembers.put("x", x);
    return new PublicJwk(SignatureAlgorithm.ED25519, keyId, keyMembers, key);
  }

  private static PublicJwk parseEc(Map<String, Object> members, String keyId) {
    String crv = requiredString(members, "crv");
    SignatureAlgorithm algorithm;
    switch (crv) {
      case "P-256":
        algorithm = SignatureAlgorithm.ECDSA_P256_SHA256;
        break;
      case "SM2":
        algorithm = SignatureAlgorithm.SM2_SM3;
        break;
      default:
        throw new IllegalArgumentException(
            "unsupported EC curve \"" + crv + "\": expected \"P-256\" or \"SM2\"");
    }
    String x = requiredString(members, "x");
    String y = requiredString(members, "y");
    BigInteger xValue = new BigInteger(1, fixedLength(members, "x", COORDINATE_BYTES));
    BigInteger yValue = new BigInteger(1, fixedLength(members, "y", COORDINATE_BYTES));
    ECNamedDomainParameters domain = Curves.of(algorithm);
    ECPublicKeyParameters key;
    try {
      ECPoint point = domain.getCurve().validatePoint(xValue, yValue);
      key = new ECPublicKeyParameters(point, domain);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the JWK's point (x, y) is not a valid public key on the " + crv + " curve", e);
    }
    Map<String, String> keyMembers = new LinkedHashMap<>();
    keyMembers.put("kty", "EC");
    keyMembers.put("crv", crv);
    keyMembers.put("x", x);
    keyMembers.put("y", y);
    return new PublicJwk(algorithm, keyId, keyMembers, key);
  }

  private static PublicJwk parseRsa(Map<String, Object> members, String keyId) {
    String n = requiredString(members, "n");
    String e = requiredString(members, "e");
    BigInteger modulus = unsignedMinimal(members, "n");
    BigInteger exponent = unsignedMinimal(members, "e");
    if (modulus.bitLength() < KeyMaterial.MIN_RSA_BITS) {
      throw new IllegalArgumentException(
          "the JWK's RSA modulus has "
              + modulus.bitLength()
              + " bits: at least "
              + KeyMaterial.MIN_RSA_BITS
              + " are required");
    }
    if (!exponent.testBit(0) || exponent.compareTo(BigInteger.ONE) <= 0) {
      throw new IllegalArgumentException("the JWK's RSA exponent e is not a valid exponent");
    }
    RSAKeyParameters key;
    try {
      key = new RSAKeyParameters(false, modulus, exponent);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("the JWK's RSA modulus n is not valid", ex);
    }
    Map<String, String> keyMembers = new LinkedHashMap<>();
    keyMembers.put("kty", "RSA");
    keyMembers.put("n", n);
    keyMembers.put("e", e);
    return new PublicJwk(SignatureAlgorithm.RSA_PSS_SHA512, keyId, keyMembers, key);
  }

  /** The JWK of a public key; a null key ID becomes the RFC 7638 thumbprint. */
  static PublicJwk of(SignatureAlgorithm algorithm, AsymmetricKeyParameter key, String keyId) {
    Map<String, String> keyMembers = new LinkedHashMap<>();
    switch (algorithm) {
      case ED25519:
        keyMembers.put("kty", "OKP");
        keyMembers.put("crv", "Ed25519");
        keyMembers.put("x", Base64Url.encode(((Ed25519PublicKeyParameters) key).getEncoded()));
        break;
      case ECDSA_P256_SHA256:
      case SM2_SM3:
        {
          ECPoint q = ((ECPublicKeyParameters) key).getQ().normalize();
          keyMembers.put("kty", "EC");
          keyMembers.put("crv", algorithm == SignatureAlgorithm.SM2_SM3 ? "SM2" : "P-256");
          keyMembers.put("x", coordinate(q.getAffineXCoord().toBigInteger()));
          keyMembers.put("y", coordinate(q.getAffineYCoord().toBigInteger()));
          break;
        }
      case RSA_PSS_SHA512:
        {
          RSAKeyParameters rsa = (RSAKeyParameters) key;
          keyMembers.put("kty", "RSA");
          keyMembers.put("n", Base64Url.encode(BigIntegers.asUnsignedByteArray(rsa.getModulus())));
          keyMembers.put("e", Base64Url.encode(BigIntegers.asUnsignedByteArray(rsa.getExponent())));
          break;
        }
      default:
        throw new IllegalArgumentException("unknown algorithm " + algorithm);
    }
    PublicJwk jwk = new PublicJwk(algorithm, keyId, keyMembers, key);
    return keyId != null ? jwk : new PublicJwk(algorithm, jwk.thumbprint, keyMembers, key);
  }

  /** The key ID ({@code kid}), or null if the JWK has none. */
  public String keyId() {
    return keyId;
  }

  /** The algorithm the key signs with, implied by its type and curve. */
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  /** The RFC 7638 JWK thumbprint: SHA-256 of the required members, base64url without padding. */
  public String thumbprint() {
    return thumbprint;
  }

  /**
   * Verifies a signature in the algorithm's wire encoding (see {@link Signer}).
   *
   * @return true if the signature is valid; false for a wrong, truncated or garbled signature
   */
  public boolean verify(byte[] message, byte[] signature) {
    return Primitives.verify(algorithm, key, message, signature);
  }

  /**
   * The JWK's public members, its {@code kid} if it has one and {@code alg} (the JWS name), as for
   * a JWKS. Unmodifiable.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>(keyMembers);
    if (keyId != null) {
      map.put("kid", keyId);
    }
    map.put("alg", algorithm.jwsName());
    return Collections.unmodifiableMap(map);
  }

  /** {@link #toMap()} as compact JSON. */
  public String toJson() {
    return Json.write(toMap());
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof PublicJwk)) {
      return false;
    }
    PublicJwk that = (PublicJwk) other;
    return keyMembers.equals(that.keyMembers) && java.util.Objects.equals(keyId, that.keyId);
  }

  @Override
  public int hashCode() {
    return keyMembers.hashCode() * 31 + java.util.Objects.hashCode(keyId);
  }

  @Override
  public String toString() {
    return "PublicJwk" + toJson();
  }

  // ---- helpers ----

  private static String computeThumbprint(
      SignatureAlgorithm algorithm, Map<String, String> members) {
    // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace. The values
    // are base64url text or fixed curve names, which need no JSON escaping.
    String canonical;
    if (algorithm == SignatureAlgorithm.RSA_PSS_SHA512) {
      canonical =
          "{\"e\":\"" + members.get("e") + "\",\"kty\":\"RSA\",\"n\":\"" + members.get("n") + "\"}";
    } else if (algorithm == SignatureAlgorithm.ED25519) {
      canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + members.get("x") + "\"}";
    } else {
      canonical =
          "{\"crv\":\""
              + members.get("crv")
              + "\",\"kty\":\"EC\",\"x\":\""
              + members.get("x")
              + "\",\"y\":\""
              + members.get("y")
              + "\"}";
    }
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return Base64Url.encode(sha256.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static String describe(PublicJwk jwk) {
    switch (jwk.algorithm) {
      case ED25519:
        return "OKP Ed25519";
      case ECDSA_P256_SHA256:
        return "EC P-256";
      case SM2_SM3:
        return "EC SM2";
      default:
        return "RSA";
    }
  }

  private static String coordinate(BigInteger value) {
    return Base64Url.encode(BigIntegers.asUnsignedByteArray(COORDINATE_BYTES, value));
  }

  private static String requiredString(Map<String, Object> members, String name) {
    String value = optionalString(members, name);
    if (value == null) {
      throw new IllegalArgumentException("the JWK has no \"" + name + "\"");
    }
    return value;
  }

  private static String optionalString(Map<String, Object> members, String name) {
    Object value = members.get(name);
    if (value == null) {
      if (members.containsKey(name)) {
        throw new IllegalArgumentException("the JWK's \"" + name + "\" is null");
      }
      return null;
    }
    if (!(value instanceof String)) {
      throw new IllegalArgumentException("the JWK's \"" + name + "\" is not a string");
    }
    return (String) value;
  }

  private static byte[] decode(Map<String, Object> members, String name) {
    try {
      return Base64Url.decode(requiredString(members, name));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("the JWK")) {
        throw e;
      }
      throw new IllegalArgumentException("the JWK's \"" + name + "\" is " + e.getMessage(), e);
    }
  }

  private static byte[] fixedLength(Map<String, Object> members, String name, int length) {
    byte[] value = decode(members, name);
    if (value.length != length) {
      throw new IllegalArgumentException(
          "the JWK's \"" + name + "\" has " + value.length + " bytes: expected " + length);
    }
    return value;
  }

  private static BigInteger unsignedMinimal(Map<String, Object> members, String name) {
    byte[] value = decode(members, name);
    if (value.length == 0 || value[0] == 0) {
      throw new IllegalArgumentException(
          "the JWK's \"" + name + "\" is not a minimal big-endian integer (RFC 7518 §6.3.1)");
    }
    return new BigInteger(1, value);
  }
}
