package io.scenebank.sdk;

import io.scenebank.sdk.internal.Base64Url;
import io.scenebank.sdk.internal.Json;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A merchant's daily reconciliation statement (CSV) whose {@code Statement-Signature} verified with
 * one of the gateway's published keys over its exact bytes: what the bank reported. Keep {@link
 * #bytes()} and {@link #signature()} together; anyone can check them offline with {@link
 * Merchants#verifyStatement(byte[], String, String)}.
 */
public final class VerifiedStatement {

  /** What the gateway signs with (its signing keys): Ed25519 and SM2. */
  private static final Set<SignatureAlgorithm> GATEWAY_ALGORITHMS =
      Collections.unmodifiableSet(
          EnumSet.of(SignatureAlgorithm.ED25519, SignatureAlgorithm.SM2_SM3));

  /** The {@code typ} of the gateway's statement signatures. */
  static final String TYPE = "statement+jws";

  private final byte[] bytes;
  private final String signature;
  private final String keyId;

  private VerifiedStatement(byte[] bytes, String signature, String keyId) {
    this.bytes = bytes.clone();
    this.signature = signature;
    this.keyId = keyId;
  }

  /**
   * Verifies a statement's detached JWS ({@code base64url(header)..base64url(signature)}, RFC 7515
   * appendix F) over the exact bytes, with the gateway key its {@code kid} names.
   *
   * @param keys the gateway key with a kid, or null (or a thrown SignatureVerificationException)
   *     when there is none
   * @param requestId the id of the response the statement came in (null: none)
   * @param httpStatus the status of that response (0: none)
   * @throws SignatureVerificationException if the signature is missing, is not a detached JWS of a
   *     statement in the gateway's algorithms (EdDSA, SM2SM3), names a key there is none of, or
   *     does not verify over these bytes
   */
  static VerifiedStatement verify(
      byte[] body,
      String statementSignature,
      Function<String, PublicJwk> keys,
      String requestId,
      int httpStatus) {
    Objects.requireNonNull(body, "body");
    if (statementSignature == null || statementSignature.isEmpty()) {
      throw refused(
          "the statement has no Statement-Signature",
          "statement_signature_missing",
          requestId,
          httpStatus,
          null);
    }
    String[] parts = statementSignature.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty()) {
      throw invalid(
          "the Statement-Signature is not a compact JWS (three parts separated by '.')",
          requestId,
          httpStatus,
          null);
    }
    if (!parts[1].isEmpty()) {
      throw invalid(
          "the Statement-Signature carries a payload: it must be detached (header..signature)",
          requestId,
          httpStatus,
          null);
    }
    Map<String, Object> header;
    try {
      header = Json.parseObject(Base64Url.decode(parts[0]));
    } catch (IllegalArgumentException e) {
      throw invalid(
          "the Statement-Signature's header is " + e.getMessage(), requestId, httpStatus, e);
    }
    Object alg = header.get("alg");
    Optional<SignatureAlgorithm> algorithm =
        alg instanceof String ? SignatureAlgorithm.fromJwsName((String) alg) : Optional.empty();
    if (algorithm.isEmpty() || !GATEWAY_ALGORITHMS.contains(algorithm.get())) {
      throw invalid(
          "the statement is signed with alg "
              + alg
              + ", which the gateway never signs with (EdDSA or SM2SM3)",
          requestId,
          httpStatus,
          null);
    }
    if (header.containsKey("crit")
        || (header.containsKey("b64") && !Boolean.TRUE.equals(header.get("b64")))) {
      throw invalid(
          "the Statement-Signature has crit or an unencoded payload (b64), which are refused",
          requestId,
          httpStatus,
          null);
    }
    Object typ = header.get("typ");
    if (!(typ instanceof String) || !isStatementType((String) typ)) {
      throw invalid(
          "the JWS is of type " + typ + ", not a statement signature (" + TYPE + ")",
          requestId,
          httpStatus,
          null);
    }
    Object kid = header.get("kid");
    if (!(kid instanceof String)) {
      throw refused(
          "the Statement-Signature names no key (kid)",
          "statement_key_unknown",
          requestId,
          httpStatus,
          null);
    }
    PublicJwk key;
    try {
      key = keys.apply((String) kid);
    } catch (SignatureVerificationException e) {
      key = null;
    }
    if (key == null) {
      throw refused(
          "the statement is signed with key " + kid + ", which the gateway does not publish",
          "statement_key_unknown",
          requestId,
          httpStatus,
          null);
    }
    byte[] signatureBytes;
    try {
      signatureBytes = Base64Url.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw invalid(
          "the Statement-Signature's signature is " + e.getMessage(), requestId, httpStatus, e);
    }
    byte[] signingInput =
        (parts[0] + "." + Base64Url.encode(body)).getBytes(StandardCharsets.US_ASCII);
    if (signatureBytes.length == 0
        || key.algorithm() != algorithm.get()
        || !key.verify(signingInput, signatureBytes)) {
      throw invalid(
          "the statement's signature does not verify over its bytes with the gateway's key " + kid,
          requestId,
          httpStatus,
          null);
    }
    return new VerifiedStatement(body, statementSignature, (String) kid);
  }

  /** The file as the gateway signed it: its exact bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The file as text (UTF-8). */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The {@code Statement-Signature}: a compact JWS with detached payload over {@link #bytes()}. */
  public String signature() {
    return signature;
  }

  /** The {@code kid} of the gateway key that signed it. */
  public String keyId() {
    return keyId;
  }

  /**
   * The rows, each a map from the header row's column names to its fields, in order (the {@code #}
   * comment lines before the header row are skipped; fields are taken as they are, comma-separated,
   * without quoting). The last row is the day's {@code TOTAL}.
   *
   * @throws IllegalStateException if a row does not have as many fields as the header
   */
  public List<Map<String, String>> rows() {
    List<String> lines = new ArrayList<>(Arrays.asList(text().split("\n", -1)));
    while (!lines.isEmpty() && lines.get(0).startsWith("#")) {
      lines.remove(0);
    }
    if (lines.isEmpty() || stripCr(lines.get(0)).isEmpty()) {
      return List.of();
    }
    String[] columns = stripCr(lines.get(0)).split(",", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = stripCr(lines.get(i));
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split(",", -1);
      if (fields.length != columns.length) {
        throw new IllegalStateException(
            "statement row "
                + i
                + " has "
                + fields.length
                + " fields, the header "
                + columns.length);
      }
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < columns.length; c++) {
        row.put(columns[c], fields[c]);
      }
      rows.add(Collections.unmodifiableMap(row));
    }
    return Collections.unmodifiableList(rows);
  }

  /**
   * The value of {@code name=} in the first line's {@code #} comment (e.g. {@code merchant}, {@code
   * date}), if it is there.
   */
  Optional<String> commentValue(String name) {
    String text = text();
    int end = text.indexOf('\n');
    String first = stripCr(end < 0 ? text : text.substring(0, end));
    if (!first.startsWith("#")) {
      return Optional.empty();
    }
    for (String item : first.substring(1).split(",")) {
      String trimmed = item.trim();
      if (trimmed.startsWith(name + "=")) {
        return Optional.of(trimmed.substring(name.length() + 1));
      }
    }
    return Optional.empty();
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static boolean isStatementType(String typ) {
    String type = typ.toLowerCase(Locale.ROOT);
    return type.equals(TYPE) || type.equals("application/" + TYPE);
  }

  private static SignatureVerificationException invalid(
      String message, String requestId, int httpStatus, Throwable cause) {
    return refused(message, "statement_signature_invalid", requestId, httpStatus, cause);
  }

  private static SignatureVerificationException refused(
      String message, String code, String requestId, int httpStatus, Throwable cause) {
    return new SignatureVerificationException(message, code, requestId, httpStatus, cause);
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof VerifiedStatement)) {
      return false;
    }
    VerifiedStatement that = (VerifiedStatement) other;
    return Arrays.equals(bytes, that.bytes)
        && signature.equals(that.signature)
        && keyId.equals(that.keyId);
  }

  @Override
  public int hashCode() {
    return signature.hashCode();
  }

  @Override
  public String toString() {
    return "VerifiedStatement{bytes=" + bytes.length + ", keyId=" + keyId + "}";
  }
}
