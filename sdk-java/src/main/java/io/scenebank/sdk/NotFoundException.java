package io.scenebank.sdk;

/** 404: no such resource for this app (other apps' resources are never visible). */
public class NotFoundException extends ScenebankException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(
      String message, String code, String requestId, int httpStatus, Throwable cause) {
    super(message, code, requestId, httpStatus, cause);
  }
}
