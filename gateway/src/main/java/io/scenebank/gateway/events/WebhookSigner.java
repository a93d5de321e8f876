package io.scenebank.gateway.events;

import io.scenebank.gateway.security.SigningKeys;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.CreatedSignature;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureSpec;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs a webhook delivery with the gateway's Ed25519 key (RFC 9421, tag {@code scenebank-webhook})
 * over {@code content-digest}, {@code webhook-id} and {@code webhook-timestamp}: a receiver
 * verifies it with the published JWKS alone, no shared secret.
 */
public final class WebhookSigner {

  public static final String TAG = "scenebank-webhook";

  private final SigningKeys keys;

  public WebhookSigner(SigningKeys keys) {
    this.keys = keys;
  }

  /** The headers of a delivery of {@code body} as event {@code eventId}, sent at {@code now}. */
  public Map<String, String> headers(String eventId, String body, long now) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put(
        "Content-Digest",
        ContentDigest.header(ContentDigest.SHA_256, body.getBytes(StandardCharsets.UTF_8)));
    headers.put("webhook-id", eventId);
    headers.put("webhook-timestamp", Long.toString(now));
    Map<String, List<String>> fields = new LinkedHashMap<>();
    headers.forEach((k, v) -> fields.put(k.toLowerCase(), List.of(v)));
    SigningKeys.Active key = keys.current(SignatureAlgorithm.ED25519);
    CreatedSignature signature =
        HttpSignatures.sign(
            Message.request("POST", "https://webhook.invalid/", fields),
            SignatureSpec.builder()
                .components("content-digest", "webhook-id", "webhook-timestamp")
                .created(now)
                .tag(TAG)
                .includeAlg(true)
                .build(),
            key.signer());
    headers.put("Signature-Input", signature.signatureInputHeader());
    headers.put("Signature", signature.signatureHeader());
    headers.put("User-Agent", "Scenebank-Webhooks/1");
    return headers;
  }
}
