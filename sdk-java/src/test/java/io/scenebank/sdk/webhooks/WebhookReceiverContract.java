package io.scenebank.sdk.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.CreatedSignature;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureSpec;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every webhook receiver of the SDK must do, in its real server: genuine deliveries reach the
 * application once, with the raw body still readable; forged or altered ones get 401 and never
 * reach it; repeats get 200 and stop at the receiver; a delivery the application failed to handle
 * is handled again when the gateway retries it.
 */
abstract class WebhookReceiverContract {

  final GeneratedKey gatewayKey = Keys.generate(SignatureAlgorithm.ED25519, "gw-test-1");

  /** The ids of the deliveries the application handled. */
  final List<String> handled = new CopyOnWriteArrayList<>();

  /** When set, the application fails the next delivery (throws or answers 500). */
  final AtomicBoolean failNext = new AtomicBoolean();

  HttpServer jwks;
  URI hooks;

  /** Starts the receiver in its server, handing deliveries to {@link #application}. */
  abstract URI startReceiver(WebhookVerifier verifier) throws Exception;

  abstract void stopReceiver() throws Exception;

  /**
   * The application behind the receiver: records the delivery, or fails if asked to. {@code body}
   * is the raw body as the application can read it (null where the receiver hands over none).
   */
  void application(VerifiedWebhook webhook, String body) {
    if (body != null && !body.contains(webhook.id())) {
      throw new IllegalStateException("the body is not readable after the receiver: " + body);
    }
    if (failNext.getAndSet(false)) {
      throw new IllegalStateException("the application's database is down");
    }
    handled.add(webhook.id());
  }

  @BeforeEach
  void start() throws Exception {
    // the "gateway": only its JWKS is needed to verify webhooks
    jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwks.createContext(
        "/oauth2/jwks",
        exchange -> {
          byte[] body =
              ("{\"keys\":[" + gatewayKey.publicJwk().toJson() + "]}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    jwks.start();
    hooks =
        startReceiver(
            WebhookVerifier.builder(
                    Environment.custom("http://127.0.0.1:" + jwks.getAddress().getPort()))
                .build());
  }

  @AfterEach
  void stop() throws Exception {
    stopReceiver();
    jwks.stop(0);
  }

  private Map<String, String> signed(String id, String body, GeneratedKey key) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(
        "content-digest", ContentDigest.header("sha-256", body.getBytes(StandardCharsets.UTF_8)));
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", Long.toString(Instant.now().getEpochSecond()));
    Map<String, List<String>> fields = new LinkedHashMap<>();
    headers.forEach((k, v) -> fields.put(k, List.of(v)));
    CreatedSignature signature =
        HttpSignatures.sign(
            Message.request("POST", "https://webhook.invalid/", fields),
            SignatureSpec.builder()
                .components("content-digest", "webhook-id", "webhook-timestamp")
                .created(Instant.now().getEpochSecond())
                .tag("scenebank-webhook")
                .includeAlg(true)
                .build(),
            key.signer());
    headers.put("signature-input", signature.signatureInputHeader());
    headers.put("signature", signature.signatureHeader());
    return headers;
  }

  private int post(Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(hooks).POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    request.header("Content-Type", "application/json");
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String event(String id) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"event\",\"livemode\":false,\"type\":\"test.ping\",\"api_version\":\"2026-11-01\","
        + "\"data\":{\"object\":{\"object\":\"ping\",\"message\":\"hi\"}},\"created_at\":\"2026-11-23T10:15:30+08:00\"}";
  }

  @Test
  void genuineDelivery_reachesTheApplicationWithItsBody_andARepeatStopsAtTheReceiver()
      throws Exception {
    String body = event("evt_AAAAAAAAAAAAAAAAAAAA");
    Map<String, String> headers = signed("evt_AAAAAAAAAAAAAAAAAAAA", body, gatewayKey);

    assertThat(post(headers, body)).isEqualTo(204);
    assertThat(post(headers, body)).isEqualTo(200);

    assertThat(handled).containsExactly("evt_AAAAAAAAAAAAAAAAAAAA");
  }

  @Test
  void forgedOrAlteredDeliveries_get401_andNeverReachTheApplication() throws Exception {
    String body = event("evt_BBBBBBBBBBBBBBBBBBBB");
    GeneratedKey impostor = Keys.generate(SignatureAlgorithm.ED25519, "gw-test-1");
    assertThat(post(signed("evt_BBBBBBBBBBBBBBBBBBBB", body, impostor), body)).isEqualTo(401);
    assertThat(post(signed("evt_BBBBBBBBBBBBBBBBBBBB", body, gatewayKey), body.replace("hi", "ho")))
        .isEqualTo(401);
    assertThat(post(Map.of(), body)).isEqualTo(401);
    assertThat(handled).isEmpty();
  }

  @Test
  void aDeliveryTheApplicationFailed_isHandledWhenTheGatewayRetriesIt() throws Exception {
    String body = event("evt_CCCCCCCCCCCCCCCCCCCC");
    failNext.set(true);

    assertThat(post(signed("evt_CCCCCCCCCCCCCCCCCCCC", body, gatewayKey), body)).isEqualTo(500);
    assertThat(handled).isEmpty();
    // the gateway's retry: signed again, same webhook id
    assertThat(post(signed("evt_CCCCCCCCCCCCCCCCCCCC", body, gatewayKey), body)).isEqualTo(204);

    assertThat(handled).containsExactly("evt_CCCCCCCCCCCCCCCCCCCC");
  }
}
