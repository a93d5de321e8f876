package io.scenebank.sdk.internal.httpsig;

/** The outcome of {@link HttpSignatures#verify}: a status, and what was found on the way. */
public final class SignatureVerification {

  /** Why a signature was accepted or refused. */
  public enum Status {
    /** The signature is valid for the key. */
    VALID,
    /** There is no {@code Signature-Input} / {@code Signature} with the label. */
    SIGNATURE_MISSING,
    /** {@code Signature-Input} or {@code Signature} is malformed, or a component is not allowed. */
    INPUT_INVALID,
    /** A covered component is not in the message. */
    COMPONENT_MISSING,
    /** The {@code alg} parameter names another algorithm than the key's. */
    ALGORITHM_MISMATCH,
    /** The signature does not verify with the key. */
    SIGNATURE_INVALID
  }

  private final Status status;
  private final String label;
  private final SignatureInput input;
  private final String signatureBase;
  private final String detail;

  SignatureVerification(
      Status status, String label, SignatureInput input, String signatureBase, String detail) {
    this.status = status;
    this.label = label;
    this.input = input;
    this.signatureBase = signatureBase;
    this.detail = detail;
  }

  public Status status() {
    return status;
  }

  public boolean isValid() {
    return status == Status.VALID;
  }

  /** The label that was verified. */
  public String label() {
    return label;
  }

  /** The parsed signature input, or null if it could not be read. */
  public SignatureInput input() {
    return input;
  }

  /** The signature base, or null if it could not be built. */
  public String signatureBase() {
    return signatureBase;
  }

  /** A sentence for logs and error details. */
  public String detail() {
    return detail;
  }

  @Override
  public String toString() {
    return status + " (" + label + "): " + detail;
  }
}
