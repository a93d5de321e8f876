package io.scenebank.sdk.internal.httpsig;

import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.scenebank.sdk.signing.Signer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creating and verifying HTTP message signatures (RFC 9421), as the SDK client and the gateway use
 * them.
 *
 * <pre>{@code
 * SignatureSpec spec = SignatureSpec.builder()
 *     .components("@method", "@target-uri", "authorization", "content-digest")
 *     .created(now).nonce(HttpSignatures.newNonce()).tag("scenebank").build();
 * CreatedSignature created = HttpSignatures.sign(request, spec, signer);
 * // add Signature-Input: created.signatureInputHeader(), Signature: created.signatureHeader()
 *
 * SignatureVerification result = HttpSignatures.verify(response, "sig1", gatewayKey);
 * }</pre>
 */
public final class HttpSignatures {

  private static final SecureRandom RANDOM = new SecureRandom();

  private HttpSignatures() {}

  /**
   * Signs a message.
   *
   * @throws MissingComponentException if the message lacks a covered component
   * @throws SignatureFormatException if a component does not apply to the message
   */
  public static CreatedSignature sign(Message message, SignatureSpec spec, Signer signer) {
    return sign(message, spec.toInput(signer), signer);
  }

  /** Signs a message for a given signature input. */
  public static CreatedSignature sign(Message message, SignatureInput input, Signer signer) {
    String base = SignatureBase.build(input.components(), input.signatureParamsValue(), message);
    byte[] signature = signer.sign(SignatureBase.toBytes(base));
    return new CreatedSignature(input, base, signature);
  }

  /**
   * Verifies the signature with this label, reading {@code Signature-Input} and {@code Signature}
   * from the message. Never throws for a bad message: the result says what was wrong.
   */
  public static SignatureVerification verify(Message message, String label, PublicJwk key) {
    List<String> inputLines = message.fieldValues("signature-input");
    List<String> signatureLines = message.fieldValues("signature");
    if (inputLines.isEmpty() || signatureLines.isEmpty()) {
      return result(
          SignatureVerification.Status.SIGNATURE_MISSING,
          label,
          null,
          null,
          "the message has no " + (inputLines.isEmpty() ? "Signature-Input" : "Signature"));
    }
    Map<String, SignatureInput> inputs;
    Map<String, byte[]> signatures;
    try {
      inputs = SignatureInput.parseField(String.join(", ", inputLines));
      signatures = parseSignatureField(String.join(", ", signatureLines));
    } catch (SignatureFormatException e) {
      return result(SignatureVerification.Status.INPUT_INVALID, label, null, null, e.getMessage());
    }
    SignatureInput input = inputs.get(label);
    byte[] signature = signatures.get(label);
    if (input == null || signature == null) {
      return result(
          SignatureVerification.Status.SIGNATURE_MISSING,
          label,
          input,
          null,
          "no " + (input == null ? "Signature-Input" : "Signature") + " member labelled " + label);
    }
    return verify(message, input, signature, key);
  }

  /**
   * Verifies a signature whose input and bytes the caller has already taken from the message (for
   * example to check {@code keyid}, {@code created} and {@code nonce} first).
   */
  public static SignatureVerification verify(
      Message message, SignatureInput input, byte[] signature, PublicJwk key) {
    String label = input.label();
    Optional<String> alg = input.alg();
    if (alg.isPresent()) {
      Optional<SignatureAlgorithm> named = SignatureAlgorithm.fromHttpName(alg.get());
      if (!named.isPresent() || named.get() != key.algorithm()) {
        return result(
            SignatureVerification.Status.ALGORITHM_MISMATCH,
            label,
            input,
            null,
            "alg \"" + alg.get() + "\" does not match the key's " + key.algorithm().httpName());
      }
    }
    String base;
    try {
      base = SignatureBase.build(input.components(), input.signatureParamsValue(), message);
    } catch (MissingComponentException e) {
      return result(
          SignatureVerification.Status.COMPONENT_MISSING, label, input, null, e.getMessage());
    } catch (SignatureFormatException e) {
      return result(SignatureVerification.Status.INPUT_INVALID, label, input, null, e.getMessage());
    }
    boolean valid = key.verify(SignatureBase.toBytes(base), signature);
    return valid
        ? result(SignatureVerification.Status.VALID, label, input, base, "valid")
        : result(
            SignatureVerification.Status.SIGNATURE_INVALID,
            label,
            input,
            base,
            "the signature does not verify with key " + key.keyId());
  }

  /**
   * Parses a {@code Signature} field value into signature bytes by label.
   *
   * @throws SignatureFormatException if it is not a Dictionary of Byte Sequences
   */
  public static Map<String, byte[]> parseSignatureField(String fieldValue) {
    Map<String, byte[]> signatures = new LinkedHashMap<>();
    for (Map.Entry<String, StructuredFields.Member> entry :
        StructuredFields.parseDictionary(fieldValue).entrySet()) {
      StructuredFields.Member member = entry.getValue();
      if (!(member instanceof StructuredFields.Item)
          || !(((StructuredFields.Item) member).value() instanceof StructuredFields.ByteSequence)) {
        throw new SignatureFormatException(
            "Signature member " + entry.getKey() + " is not a byte sequence");
      }
      signatures.put(
          entry.getKey(),
          ((StructuredFields.ByteSequence) ((StructuredFields.Item) member).value()).bytes());
    }
    return Collections.unmodifiableMap(signatures);
  }

  /** A fresh nonce: 16 random bytes as 22 base64url characters. */
  public static String newNonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static SignatureVerification result(
      SignatureVerification.Status status,
      String label,
      SignatureInput input,
      String base,
      String detail) {
    return new SignatureVerification(status, label, input, base, detail);
  }
}
