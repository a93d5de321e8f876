package io.scenebank.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.gateway.testing.WebhookReceiver;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureSpec;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.scenebank.sdk.webhooks.VerifiedWebhook;
import io.scenebank.sdk.webhooks.WebhookVerificationException;
import io.scenebank.sdk.webhooks.WebhookVerifier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK's verifier on genuine deliveries captured from the gateway, and on every way of faking
 * one: a changed body, a replay, a stale or future timestamp, a signature by another key.
 */
class WebhookVerifierTest {

  static WebhookReceiver.Received genuine;

  @BeforeAll
  static void captureADelivery() {
    TestApp app = TestApp.create(SignatureAlgorithm.ED25519, "events", "sandbox");
    try (WebhookReceiver receiver = new WebhookReceiver(TestGateway.shared().issuer())) {
      receiver.answer("500"); // keep the first one as it came, unprocessed
      String endpointId =
          app.request("POST", "/v1/webhook-endpoints")
              .body(
                  new JsonObject()
                      .put("url", receiver.url())
                      .put("event_types", new JsonArray().add("*"))
                      .encode())
              .send()
              .json()
              .getString("id");
      app.request("POST", "/v1/sandbox/webhook-endpoints/" + endpointId + "/test")
          .body("{}")
          .send();
      receiver.await(r -> !r.requests.isEmpty(), "a delivery");
      genuine = receiver.requests.get(0);
    }
  }

  static WebhookVerifier verifier() {
    return WebhookVerifier.builder(Environment.custom(TestGateway.shared().issuer())).build();
  }

  static Map<String, List<String>> headers() {
    return new HashMap<>(genuine.headers());
  }

  @Test
  void verify_genuineDelivery_isAccepted_thenItsRepeatIsADuplicate() {
    WebhookVerifier verifier = verifier();
    VerifiedWebhook first = verifier.verify(headers(), genuine.body());
    assertThat(first.duplicate()).isFalse();
    assertThat(first.event().getType().getValue()).isEqualTo("test.ping");
    assertThat(first.dataAs(io.scenebank.sdk.model.TestPing.class).getMessage())
        .contains("sandbox");

    VerifiedWebhook replayed = verifier.verify(headers(), genuine.body());

    assertThat(replayed.duplicate()).isTrue();
  }

  @Test
  void verify_alteredBody_isRefused() {
    String body = new String(genuine.body(), StandardCharsets.UTF_8).replace("sandbox", "sandb0x");
    assertThatThrownBy(() -> verifier().verify(headers(), body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            WebhookVerificationException.class,
            e -> assertThat(e.code()).isEqualTo("webhook_digest_mismatch"));
  }

  @Test
  void verify_reserializedBody_isRefused_becauseOnlyTheRawBytesVerify() {
    byte[] reserialized =
        new JsonObject(new String(genuine.body(), StandardCharsets.UTF_8))
            .encodePrettily()
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> verifier().verify(headers(), reserialized))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void verify_outsideTheReplayWindow_isRefused() {
    WebhookVerifier later =
        WebhookVerifier.builder(Environment.custom(TestGateway.shared().issuer()))
            .clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)))
            .build();
    assertThatThrownBy(() -> later.verify(headers(), genuine.body()))
        .isInstanceOfSatisfying(
            WebhookVerificationException.class,
            e -> assertThat(e.code()).isEqualTo("webhook_timestamp_out_of_window"));
  }

  @Test
  void verify_timestampChanged_breaksTheSignature() {
    Map<String, List<String>> headers = headers();
    long sent = Long.parseLong(headers.get("webhook-timestamp").get(0));
    // still inside the window, but not the time that was signed
    headers.put("webhook-timestamp", List.of(Long.toString(sent - 30)));
    assertThatThrownBy(() -> verifier().verify(headers, genuine.body()))
        .isInstanceOfSatisfying(
            WebhookVerificationException.class,
            e -> assertThat(e.code()).isEqualTo("webhook_signature_invalid"));
  }

  @Test
  void verify_signedByAKeyThatMerelyClaimsTheGatewaysKid_isRefused() {
    Map<String, List<String>> headers = headers();
    String kid = headers.get("signature-input").get(0).replaceAll(".*keyid=\"([^\"]+)\".*", "$1");
    var impostor = Keys.generate(SignatureAlgorithm.ED25519, kid);
    Map<String, List<String>> fields = new HashMap<>();
    headers.forEach((k, v) -> fields.put(k, v));
    var forged =
        HttpSignatures.sign(
            Message.request("POST", "https://webhook.invalid/", fields),
            SignatureSpec.builder()
                .components("content-digest", "webhook-id", "webhook-timestamp")
                .created(Long.parseLong(headers.get("webhook-timestamp").get(0)))
                .tag("scenebank-webhook")
                .includeAlg(true)
                .build(),
            impostor.signer());
    headers.put("signature-input", List.of(forged.signatureInputHeader()));
    headers.put("signature", List.of(forged.signatureHeader()));

    assertThatThrownBy(() -> verifier().verify(headers, genuine.body()))
        .isInstanceOfSatisfying(
            WebhookVerificationException.class,
            e -> assertThat(e.code()).isEqualTo("webhook_signature_invalid"));
  }

  @Test
  void verify_unsigned_isRefused() {
    Map<String, List<String>> headers = headers();
    headers.remove("signature");
    assertThatThrownBy(() -> verifier().verify(headers, genuine.body()))
        .isInstanceOfSatisfying(
            WebhookVerificationException.class,
            e -> assertThat(e.code()).isEqualTo("webhook_signature_missing"));
  }
}
