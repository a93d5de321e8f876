package io.scenebank.sdk.webhooks;

import io.scenebank.sdk.ScenebankException;

/**
 * A webhook that must not be trusted: unsigned, signed by a key the gateway does not publish,
 * altered, or outside the replay window. {@link #code()} says which (e.g. {@code
 * webhook_digest_mismatch}, {@code webhook_timestamp_out_of_window}).
 */
public class WebhookVerificationException extends ScenebankException {
  private static final long serialVersionUID = 1L;

  public WebhookVerificationException(String message, String code) {
    super(message, code, null, 0, null);
  }
}
