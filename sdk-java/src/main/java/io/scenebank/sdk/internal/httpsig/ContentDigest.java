package io.scenebank.sdk.internal.httpsig;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Content-Digest} (RFC 9530) with {@code sha-256} and {@code sha-512}: computing the field
 * value for a body, and checking a received field against the body's bytes.
 */
public final class ContentDigest {

  public static final String SHA_256 = "sha-256";
  public static final String SHA_512 = "sha-512";

  /** The outcome of {@link #check}. */
  public enum Result {
    /** Every supported digest in the field matches the body (and there is at least one). */
    OK,
    /** There is no {@code Content-Digest} field. */
    MISSING,
    /** The field has only algorithms this code does not support (e.g. {@code md5}). */
    UNSUPPORTED_ALGORITHM,
    /** The field is not a Dictionary of Byte Sequences. */
    MALFORMED,
    /** A supported digest does not match the body. */
    MISMATCH
  }

  private ContentDigest() {}

  /**
   * The field value for a body, e.g. {@code
   * sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:}.
   *
   * @param algorithm {@link #SHA_256} or {@link #SHA_512}
   */
  public static String header(String algorithm, byte[] body) {
    if (!SHA_256.equals(algorithm) && !SHA_512.equals(algorithm)) {
      throw new IllegalArgumentException(
          "unsupported digest algorithm " + algorithm + ": use sha-256 or sha-512");
    }
    Map<String, StructuredFields.Member> field = new LinkedHashMap<>();
    field.put(
        algorithm,
        StructuredFields.Item.of(StructuredFields.ByteSequence.of(digest(algorithm, body))));
    return StructuredFields.serializeDictionary(field);
  }

  /** Checks the field lines of a message (empty or null: {@link Result#MISSING}). */
  public static Result check(List<String> fieldLines, byte[] body) {
    if (fieldLines == null || fieldLines.isEmpty()) {
      return Result.MISSING;
    }
    return check(String.join(", ", fieldLines), body);
  }

  /**
   * Checks a field value against the body: all supported digests present must match, and at least
   * one must be present; others are ignored.
   *
   * @param fieldValue the field value (all lines joined with {@code ", "}), or null if absent
   */
  public static Result check(String fieldValue, byte[] body) {
    if (fieldValue == null) {
      return Result.MISSING;
    }
    Map<String, byte[]> digests;
    try {
      digests = parse(fieldValue);
    } catch (SignatureFormatException e) {
      return Result.MALFORMED;
    }
    if (digests.isEmpty()) {
      return Result.MISSING;
    }
    boolean supported = false;
    for (Map.Entry<String, byte[]> entry : digests.entrySet()) {
      String algorithm = entry.getKey();
      if (SHA_256.equals(algorithm) || SHA_512.equals(algorithm)) {
        supported = true;
        if (!MessageDigest.isEqual(entry.getValue(), digest(algorithm, body))) {
          return Result.MISMATCH;
        }
      }
    }
    return supported ? Result.OK : Result.UNSUPPORTED_ALGORITHM;
  }

  /**
   * The digests of a field value by algorithm, in order.
   *
   * @throws SignatureFormatException if it is not a Dictionary of Byte Sequences
   */
  public static Map<String, byte[]> parse(String fieldValue) {
    Map<String, byte[]> digests = new LinkedHashMap<>();
    for (Map.Entry<String, StructuredFields.Member> entry :
        StructuredFields.parseDictionary(fieldValue).entrySet()) {
      StructuredFields.Member member = entry.getValue();
      if (!(member instanceof StructuredFields.Item)
          || !(((StructuredFields.Item) member).value() instanceof StructuredFields.ByteSequence)) {
        throw new SignatureFormatException(
            "Content-Digest member " + entry.getKey() + " is not a byte sequence");
      }
      digests.put(
          entry.getKey(),
          ((StructuredFields.ByteSequence) ((StructuredFields.Item) member).value()).bytes());
    }
    return Collections.unmodifiableMap(digests);
  }

  private static byte[] digest(String algorithm, byte[] body) {
    try {
      return MessageDigest.getInstance(SHA_256.equals(algorithm) ? "SHA-256" : "SHA-512")
          .digest(body == null ? new byte[0] : body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }
}
