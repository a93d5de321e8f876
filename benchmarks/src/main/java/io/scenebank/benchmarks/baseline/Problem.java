package io.scenebank.benchmarks.baseline;

/**
 * A refusal the baseline answers instead of the operation: an HTTP status, the gateway's problem
 * code (or the OAuth {@code error} at the token endpoint) and a detail. Carries no stack trace:
 * refusals are answers, not bugs.
 */
final class Problem extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final int status;
  final String code;

  Problem(int status, String code, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
  }

  static Problem unauthorized(String code, String detail) {
    return new Problem(401, code, detail);
  }

  static Problem badRequest(String detail) {
    return new Problem(400, "invalid_request", detail);
  }
}
