package io.scenebank.sdk;

import io.scenebank.sdk.model.BillReceiptContent;
import java.util.Objects;

/**
 * A bill e-receipt (电子回单) whose JWS verified with one of the gateway's published keys: {@link
 * #content()} is the signed payload, proof of payment; keep {@link #jws()} to show it to anyone
 * else, who can check it offline with {@link Bills#verifyReceipt(String, java.util.Collection)}.
 */
public final class VerifiedReceipt {

  private final BillReceiptContent content;
  private final String jws;
  private final String keyId;

  VerifiedReceipt(BillReceiptContent content, String jws, String keyId) {
    this.content = Objects.requireNonNull(content, "content");
    this.jws = Objects.requireNonNull(jws, "jws");
    this.keyId = Objects.requireNonNull(keyId, "keyId");
  }

  /** The receipt's fields, as signed by the gateway (not the response's unsigned copy). */
  public BillReceiptContent content() {
    return content;
  }

  /** The receipt as the gateway signed it: a compact JWS (RFC 7515). */
  public String jws() {
    return jws;
  }

  /** The {@code kid} of the gateway key that signed it. */
  public String keyId() {
    return keyId;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof VerifiedReceipt)) {
      return false;
    }
    VerifiedReceipt that = (VerifiedReceipt) other;
    return jws.equals(that.jws) && content.equals(that.content) && keyId.equals(that.keyId);
  }

  @Override
  public int hashCode() {
    return jws.hashCode();
  }

  @Override
  public String toString() {
    return "VerifiedReceipt{receiptNumber="
        + content.getReceiptNumber()
        + ", billPaymentId="
        + content.getBillPaymentId()
        + ", keyId="
        + keyId
        + "}";
  }
}
