package io.scenebank.sdk;

/** 403: the app lacks the operation's scope ({@code insufficient_scope}) or is suspended. */
public class PermissionException extends ScenebankException {
  private static final long serialVersionUID = 1L;

  public PermissionException(
      String message, String code, String requestId, int httpStatus, Throwable cause) {
    super(message, code, requestId, httpStatus, cause);
  }
}
