package io.scenebank.sdk;

import java.util.List;

/**
 * 400, 413 or 415: the request is malformed or does not match the API contract; {@link #errors()}
 * says what is wrong where.
 */
public class InvalidRequestException extends ScenebankException {
  private static final long serialVersionUID = 1L;

  /** One problem: a JSON pointer into the body ({@code /patient/phone}) or {@code query:limit}. */
  public static final class FieldError {
    private final String pointer;
    private final String detail;

    public FieldError(String pointer, String detail) {
      this.pointer = pointer;
      this.detail = detail;
    }

    public String pointer() {
      return pointer;
    }

    public String detail() {
      return detail;
    }

    @Override
    public String toString() {
      return pointer + ": " + detail;
    }
  }

  private final List<FieldError> errors;

  public InvalidRequestException(
      String message, String code, String requestId, int httpStatus, List<FieldError> errors) {
    super(message, code, requestId, httpStatus, null);
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
