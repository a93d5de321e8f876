package io.scenebank.sdk.internal.client;

import io.scenebank.sdk.SignatureVerificationException;
import io.scenebank.sdk.internal.Json;
import io.scenebank.sdk.internal.jose.Jws;
import io.scenebank.sdk.internal.jose.JwsException;
import io.scenebank.sdk.model.BillReceiptContent;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Verifies a bill e-receipt: a compact JWS signed by one of the gateway's keys, whose payload is
 * the receipt's content. Only the gateway's algorithms ({@code EdDSA}, {@code SM2SM3}) are
 * accepted, with the published key its {@code kid} names, and the payload must be a receipt (every
 * required field present; an access token, which the gateway's key also signs, is refused). {@link
 * Jws} refuses {@code none}, unknown algorithms such as {@code HS256}, {@code crit} and unencoded
 * payloads.
 */
public final class ReceiptVerifier {

  /** What the gateway signs with (its {@code SigningKeys}): Ed25519 and SM2. */
  static final Set<SignatureAlgorithm> GATEWAY_ALGORITHMS =
      Collections.unmodifiableSet(
          EnumSet.of(SignatureAlgorithm.ED25519, SignatureAlgorithm.SM2_SM3));

  /**
   * The {@code typ} of the gateway's access tokens (RFC 9068), which its key signs too: never a
   * receipt. (Receipts are recognised by their content: every required field must be there.)
   */
  static final String ACCESS_TOKEN_TYPE = "at+jwt";

  private ReceiptVerifier() {}

  /** A verified receipt: the signed content and the key that signed it. */
  public static final class Result {
    private final BillReceiptContent content;
    private final String keyId;

    Result(BillReceiptContent content, String keyId) {
      this.content = content;
      this.keyId = keyId;
    }

    public BillReceiptContent content() {
      return content;
    }

    public String keyId() {
      return keyId;
    }
  }

  /**
   * Verifies the JWS with the key its {@code kid} names.
   *
   * @param keys the gateway key with a kid, or null (or a thrown SignatureVerificationException)
   *     when there is none
   * @param httpStatus the status of the response the JWS came in (0: none)
   * @throws SignatureVerificationException if it is not a receipt signed by such a key
   */
  public static Result verify(String compact, Function<String, PublicJwk> keys, int httpStatus) {
    Jws jws;
    try {
      jws = Jws.parse(compact);
    } catch (JwsException e) {
      throw refused(
          "the receipt is not an acceptable JWS: " + e.getMessage(),
          "receipt_signature_invalid",
          httpStatus,
          e);
    }
    if (!GATEWAY_ALGORITHMS.contains(jws.algorithm())) {
      throw refused(
          "the receipt is signed with "
              + jws.algorithm().jwsName()
              + ", which the gateway never signs with (EdDSA or SM2SM3)",
          "receipt_signature_invalid",
          httpStatus,
          null);
    }
    Object typ = jws.header().get("typ");
    if (typ != null && isAccessTokenType(typ)) {
      throw refused(
          "the JWS is an access token (" + typ + "), not a receipt",
          "receipt_signature_invalid",
          httpStatus,
          null);
    }
    String kid =
        jws.keyId()
            .orElseThrow(
                () ->
                    refused(
                        "the receipt JWS names no key (kid)",
                        "receipt_key_unknown",
                        httpStatus,
                        null));
    PublicJwk key;
    try {
      key = keys.apply(kid);
    } catch (SignatureVerificationException e) {
      key = null;
    }
    if (key == null) {
      throw refused(
          "the receipt is signed with key " + kid + ", which the gateway does not publish",
          "receipt_key_unknown",
          httpStatus,
          null);
    }
    if (!jws.verify(key)) {
      throw refused(
          "the receipt's signature does not verify with the gateway's key " + kid,
          "receipt_signature_invalid",
          httpStatus,
          null);
    }
    BillReceiptContent content;
    try {
      content = Mapper.MAPPER.convertValue(jws.claims(), BillReceiptContent.class);
    } catch (IllegalArgumentException e) {
      throw refused(
          "the receipt's payload is not a receipt: " + e.getMessage(),
          "receipt_content_invalid",
          httpStatus,
          e);
    }
    String missing = missingField(content);
    if (missing != null) {
      throw refused(
          "the signed payload is not a receipt: it has no " + missing,
          "receipt_content_invalid",
          httpStatus,
          null);
    }
    return new Result(content, kid);
  }

  /** A lookup by kid over the given keys (keys without a kid cannot be named, and are skipped). */
  public static Function<String, PublicJwk> lookup(Collection<PublicJwk> keys) {
    Map<String, PublicJwk> byKid = new LinkedHashMap<>();
    for (PublicJwk key : keys) {
      if (key != null && key.keyId() != null) {
        byKid.putIfAbsent(key.keyId(), key);
      }
    }
    return byKid::get;
  }

  /**
   * The signing keys of a JWKS document ({@code {"keys":[...]}}, as served at {@code
   * /oauth2/jwks}); entries of a kind the SDK does not know are skipped, as when fetching it.
   *
   * @throws IllegalArgumentException if it is not a JWKS
   */
  public static List<PublicJwk> parseJwks(String json) {
    if (json == null) {
      throw new IllegalArgumentException("the JWKS is missing");
    }
    Object entries = Json.parseObject(json.getBytes(StandardCharsets.UTF_8)).get("keys");
    if (!(entries instanceof List)) {
      throw new IllegalArgumentException("not a JWKS: it has no \"keys\" array");
    }
    List<PublicJwk> keys = new java.util.ArrayList<>();
    for (Object entry : (List<?>) entries) {
      if (entry instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> members = (Map<String, Object>) entry;
        try {
          keys.add(PublicJwk.parse(members));
        } catch (IllegalArgumentException e) {
          // a key type this SDK does not know: skip it
        }
      }
    }
    return keys;
  }

  private static boolean isAccessTokenType(Object typ) {
    String type = String.valueOf(typ).toLowerCase(Locale.ROOT);
    return type.equals(ACCESS_TOKEN_TYPE) || type.equals("application/" + ACCESS_TOKEN_TYPE);
  }

  /** The first required field of the contract's BillReceiptContent that is absent, or null. */
  private static String missingField(BillReceiptContent c) {
    Map<String, Object> required = new LinkedHashMap<>();
    required.put("receipt_number", c.getReceiptNumber());
    required.put("bill_payment_id", c.getBillPaymentId());
    required.put("biller_id", c.getBillerId());
    required.put("biller_name", c.getBillerName());
    required.put("category", c.getCategory());
    required.put("account_number", c.getAccountNumber());
    required.put("amount", c.getAmount());
    required.put("biller_reference", c.getBillerReference());
    required.put("paid_at", c.getPaidAt());
    required.put("issued_at", c.getIssuedAt());
    required.put("issuer", c.getIssuer());
    for (Map.Entry<String, Object> field : required.entrySet()) {
      if (field.getValue() == null) {
        return field.getKey();
      }
    }
    return null;
  }

  private static SignatureVerificationException refused(
      String message, String code, int httpStatus, Throwable cause) {
    return new SignatureVerificationException(message, code, null, httpStatus, cause);
  }
}
