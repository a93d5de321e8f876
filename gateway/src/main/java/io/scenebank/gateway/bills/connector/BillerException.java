package io.scenebank.gateway.bills.connector;

/** A biller call that produced no usable answer. */
public final class BillerException extends RuntimeException {

  /** What went wrong. */
  public enum Kind {
    /** No answer in time. */
    TIMEOUT,
    /** Refused the connection, answered an error status, or its circuit breaker is open. */
    UNAVAILABLE,
    /** Answered something that is not the protocol. */
    MALFORMED
  }

  private final Kind kind;

  public BillerException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public BillerException(Kind kind, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
