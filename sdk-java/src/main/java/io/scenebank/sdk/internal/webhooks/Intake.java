package io.scenebank.sdk.internal.webhooks;

import io.scenebank.sdk.webhooks.VerifiedWebhook;
import io.scenebank.sdk.webhooks.WebhookVerificationException;
import io.scenebank.sdk.webhooks.WebhookVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What every webhook receiver does with a delivery, whatever serves it: read the raw body (at most
 * 1 MiB), verify it, and decide the answer. Internal: use a receiver of {@code
 * io.scenebank.sdk.webhooks}.
 */
public final class Intake {

  public static final int MAX_BODY = 1024 * 1024;

  private Intake() {}

  /**
   * The answer to a delivery when it is not passed on ({@code status} and JSON {@code answer}), or
   * the genuine first delivery to pass on with its raw body.
   */
  public static final class Outcome {
    private final int status;
    private final byte[] answer;
    private final byte[] body;
    private final VerifiedWebhook webhook;

    Outcome(int status, byte[] answer, byte[] body, VerifiedWebhook webhook) {
      this.status = status;
      this.answer = answer;
      this.body = body;
      this.webhook = webhook;
    }

    public int status() {
      return status;
    }

    public byte[] answer() {
      return answer;
    }

    public byte[] body() {
      return body;
    }

    public VerifiedWebhook webhook() {
      return webhook;
    }

    /** A genuine delivery seen for the first time: the application handles it. */
    public boolean passOn() {
      return webhook != null;
    }
  }

  public static Outcome receive(
      WebhookVerifier verifier, Map<String, List<String>> headers, InputStream in)
      throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      return new Outcome(413, error("body_too_large"), null, null);
    }
    VerifiedWebhook webhook;
    try {
      webhook = verifier.verify(headers, body);
    } catch (WebhookVerificationException e) {
      return new Outcome(401, error(e.code()), body, null);
    }
    if (webhook.duplicate()) {
      // processed before: acknowledge, so that the gateway stops sending it
      return new Outcome(200, new byte[0], body, null);
    }
    return new Outcome(200, new byte[0], body, webhook);
  }

  /** A request's headers from a servlet API's enumerations (javax and jakarta alike). */
  public static Map<String, List<String>> headers(
      java.util.Enumeration<String> names,
      java.util.function.Function<String, java.util.Enumeration<String>> values) {
    Map<String, List<String>> headers = new java.util.HashMap<>();
    for (String name : java.util.Collections.list(names)) {
      headers.put(name, java.util.Collections.list(values.apply(name)));
    }
    return headers;
  }

  private static byte[] error(String code) {
    return ("{\"error\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8);
  }
}
