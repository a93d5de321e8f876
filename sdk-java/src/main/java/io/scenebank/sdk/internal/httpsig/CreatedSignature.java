package io.scenebank.sdk.internal.httpsig;

import java.util.Base64;

/** A signature made by {@link HttpSignatures#sign}: what to add to the message. */
public final class CreatedSignature {

  private final SignatureInput input;
  private final String signatureBase;
  private final byte[] signature;

  CreatedSignature(SignatureInput input, String signatureBase, byte[] signature) {
    this.input = input;
    this.signatureBase = signatureBase;
    this.signature = signature.clone();
  }

  /** The signature's input (label, components, parameters). */
  public SignatureInput input() {
    return input;
  }

  /** The {@code Signature-Input} field value, e.g. {@code sig1=("@method");created=1;keyid="k"}. */
  public String signatureInputHeader() {
    return input.fieldMember();
  }

  /** The {@code Signature} field value, e.g. {@code sig1=:base64:}. */
  public String signatureHeader() {
    return input.label() + "=:" + Base64.getEncoder().encodeToString(signature) + ":";
  }

  /** The signature base that was signed. */
  public String signatureBase() {
    return signatureBase;
  }

  /** The signature bytes (a copy). */
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public String toString() {
    return "Signature-Input: " + signatureInputHeader() + "\nSignature: " + signatureHeader();
  }
}
