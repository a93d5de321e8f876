package io.scenebank.sdk.internal.jose;

import io.scenebank.sdk.internal.Base64Url;
import io.scenebank.sdk.internal.Json;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.scenebank.sdk.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A JWS in compact serialization (RFC 7515) with a JSON object payload, as client assertions and
 * access tokens use it. Algorithms: {@code EdDSA}, {@code ES256}, {@code PS512} and {@code SM2SM3};
 * the signature is the algorithm's wire encoding (see {@link Signer}), base64url.
 *
 * <p>{@link #parse} reads a token without checking its signature; {@link #verify} checks it. Tokens
 * with {@code alg} {@code none}, an unknown {@code alg}, {@code crit} or an unencoded payload
 * ({@code b64}) are refused.
 */
public final class Jws {

  private final Map<String, Object> header;
  private final Map<String, Object> claims;
  private final byte[] signingInput;
  private final byte[] signature;
  private final SignatureAlgorithm algorithm;

  private Jws(
      Map<String, Object> header,
      Map<String, Object> claims,
      byte[] signingInput,
      byte[] signature,
      SignatureAlgorithm algorithm) {
    this.header = Collections.unmodifiableMap(header);
    this.claims = Collections.unmodifiableMap(claims);
    this.signingInput = signingInput;
    this.signature = signature;
    this.algorithm = algorithm;
  }

  /**
   * Signs claims. The header gets {@code alg} (the signer's algorithm) and, unless it has one,
   * {@code kid} (the signer's key ID); other members ({@code typ} …) are taken as given.
   *
   * @throws IllegalArgumentException if the header names another {@code alg} than the signer's
   */
  public static String sign(Map<String, ?> header, Map<String, ?> claims, Signer signer) {
    String jwsName = signer.algorithm().jwsName();
    Map<String, Object> protectedHeader = new LinkedHashMap<>();
    protectedHeader.put("alg", jwsName);
    if (signer.keyId() != null) {
      protectedHeader.put("kid", signer.keyId());
    }
    if (header != null) {
      Object alg = header.get("alg");
      if (alg != null && !jwsName.equals(alg)) {
        throw new IllegalArgumentException(
            "the header's alg " + alg + " does not match the signer's " + jwsName);
      }
      protectedHeader.putAll(header);
    }
    String signingInput =
        Base64Url.encode(Json.write(protectedHeader).getBytes(StandardCharsets.UTF_8))
            + "."
            + Base64Url.encode(
                Json.write(claims == null ? Collections.emptyMap() : claims)
                    .getBytes(StandardCharsets.UTF_8));
    byte[] signature = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + Base64Url.encode(signature);
  }

  /**
   * Parses a compact JWS without verifying it.
   *
   * @throws JwsException if it is malformed or uses a refused algorithm or feature
   */
  public static Jws parse(String compact) {
    if (compact == null || compact.isEmpty()) {
      throw new JwsException("the JWS is missing");
    }
    int firstDot = compact.indexOf('.');
    int secondDot = firstDot < 0 ? -1 : compact.indexOf('.', firstDot + 1);
    if (firstDot < 0 || secondDot < 0 || compact.indexOf('.', secondDot + 1) >= 0) {
      throw new JwsException("a compact JWS has exactly three parts separated by '.'");
    }
    String encodedHeader = compact.substring(0, firstDot);
    String encodedPayload = compact.substring(firstDot + 1, secondDot);
    String encodedSignature = compact.substring(secondDot + 1);

    Map<String, Object> header = jsonObject(decode(encodedHeader, "header"), "header");
    Object alg = header.get("alg");
    if (!(alg instanceof String)) {
      throw new JwsException("the JWS header has no alg");
    }
    if (((String) alg).equalsIgnoreCase("none")) {
      throw new JwsException("unsigned JWS (alg none) are refused");
    }
    Optional<SignatureAlgorithm> algorithm = SignatureAlgorithm.fromJwsName((String) alg);
    if (!algorithm.isPresent()) {
      throw new JwsException(
          "unsupported JWS alg " + alg + ": expected EdDSA, ES256, PS512 or SM2SM3");
    }
    if (header.containsKey("crit")) {
      throw new JwsException("JWS with crit header parameters are refused");
    }
    if (header.containsKey("b64") && !Boolean.TRUE.equals(header.get("b64"))) {
      throw new JwsException("JWS with an unencoded payload (b64) are refused");
    }
    Map<String, Object> claims = jsonObject(decode(encodedPayload, "payload"), "payload");
    byte[] signature = decode(encodedSignature, "signature");
    if (signature.length == 0) {
      throw new JwsException("the JWS has no signature");
    }
    byte[] signingInput = compact.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
    return new Jws(header, claims, signingInput, signature, algorithm.get());
  }

  /**
   * Verifies the signature with a key; false if the key is of another algorithm than the header's
   * {@code alg}, or the signature is wrong.
   */
  public boolean verify(PublicJwk key) {
    return key.algorithm() == algorithm && key.verify(signingInput, signature);
  }

  /** The protected header; unmodifiable. */
  public Map<String, Object> header() {
    return header;
  }

  /** The claims (payload); unmodifiable. */
  public Map<String, Object> claims() {
    return claims;
  }

  /** The algorithm named by {@code alg}. */
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  /** The header's {@code kid}, if it is a string. */
  public Optional<String> keyId() {
    Object kid = header.get("kid");
    return kid instanceof String ? Optional.of((String) kid) : Optional.empty();
  }

  /** The bytes that were signed: {@code base64url(header) "." base64url(payload)} (a copy). */
  public byte[] signingInput() {
    return signingInput.clone();
  }

  /** The signature bytes (a copy). */
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public String toString() {
    return "Jws{header=" + header + ", claims=" + claims.keySet() + "}";
  }

  private static byte[] decode(String part, String what) {
    try {
      return Base64Url.decode(part);
    } catch (IllegalArgumentException e) {
      throw new JwsException("the JWS " + what + " is " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> jsonObject(byte[] json, String what) {
    try {
      return Json.parseObject(json);
    } catch (IllegalArgumentException e) {
      throw new JwsException("the JWS " + what + " is " + e.getMessage(), e);
    }
  }
}
