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
import io.scenebank.sdk.webhooks.servlet.WebhookServletFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Servlet filter in a real servlet container (Jetty): genuine deliveries reach the servlet with
 * the raw body still readable; forged ones get 401; repeats get 200 and stop at the filter.
 */
class WebhookServletFilterTest {

  final GeneratedKey gatewayKey = Keys.generate(SignatureAlgorithm.ED25519, "gw-test-1");
  final List<String> handled = new CopyOnWriteArrayList<>();
  HttpServer jwks;
  Server jetty;
  URI hooks;

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
    WebhookVerifier verifier =
        WebhookVerifier.builder(
                Environment.custom("http://127.0.0.1:" + jwks.getAddress().getPort()))
            .build();

    jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(
        new FilterHolder(new WebhookServletFilter(verifier)),
        "/hooks",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doPost(HttpServletRequest req, HttpServletResponse resp)
                  throws IOException {
                VerifiedWebhook webhook =
                    (VerifiedWebhook) req.getAttribute(WebhookServletFilter.ATTRIBUTE);
                String body =
                    new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                handled.add(webhook.id() + "|" + body.length());
                resp.setStatus(204);
              }
            }),
        "/hooks");
    jetty.setHandler(context);
    jetty.start();
    hooks =
        URI.create(
            "http://127.0.0.1:"
                + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort()
                + "/hooks");
  }

  @AfterEach
  void stop() throws Exception {
    jetty.stop();
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
  void genuineDelivery_reachesTheServletWithItsBody_andARepeatStopsAtTheFilter() throws Exception {
    String body = event("evt_AAAAAAAAAAAAAAAAAAAA");
    Map<String, String> headers = signed("evt_AAAAAAAAAAAAAAAAAAAA", body, gatewayKey);

    assertThat(post(headers, body)).isEqualTo(204);
    assertThat(post(headers, body)).isEqualTo(200);

    assertThat(handled).containsExactly("evt_AAAAAAAAAAAAAAAAAAAA|" + body.length());
  }

  @Test
  void forgedOrAlteredDeliveries_get401_andNeverReachTheServlet() throws Exception {
    String body = event("evt_BBBBBBBBBBBBBBBBBBBB");
    GeneratedKey impostor = Keys.generate(SignatureAlgorithm.ED25519, "gw-test-1");
    assertThat(post(signed("evt_BBBBBBBBBBBBBBBBBBBB", body, impostor), body)).isEqualTo(401);
    assertThat(post(signed("evt_BBBBBBBBBBBBBBBBBBBB", body, gatewayKey), body.replace("hi", "ho")))
        .isEqualTo(401);
    assertThat(post(Map.of(), body)).isEqualTo(401);
    assertThat(handled).isEmpty();
  }
}
