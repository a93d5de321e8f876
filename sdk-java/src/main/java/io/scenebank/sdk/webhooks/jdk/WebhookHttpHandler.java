package io.scenebank.sdk.webhooks.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.scenebank.sdk.internal.webhooks.Intake;
import io.scenebank.sdk.webhooks.VerifiedWebhook;
import io.scenebank.sdk.webhooks.WebhookVerifier;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A webhook endpoint on the JDK's own HTTP server ({@code com.sun.net.httpserver}), for a receiver
 * without a web framework: it verifies each delivery and hands only genuine, first ones to your
 * {@link Receiver}. Forged or stale deliveries get 401; repeats get 200 without reaching it; if the
 * receiver throws, the gateway gets a 500 and the delivery is forgotten, so that its retry reaches
 * the receiver again.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress(9000), 0);
 * server.createContext("/scenebank/webhooks", new WebhookHttpHandler(verifier, webhook -> {
 *   if (webhook.event().getType() == EventType.DEBT_OVERDUE) { ... }
 * }));
 * server.start();
 * }</pre>
 */
public final class WebhookHttpHandler implements HttpHandler {

  /** Your handling of a genuine delivery; throw to have the gateway send it again later. */
  @FunctionalInterface
  public interface Receiver {
    void receive(VerifiedWebhook webhook) throws Exception;
  }

  private final WebhookVerifier verifier;
  private final Receiver receiver;

  public WebhookHttpHandler(WebhookVerifier verifier, Receiver receiver) {
    if (verifier == null || receiver == null) {
      throw new IllegalArgumentException("a WebhookHttpHandler needs a verifier and a receiver");
    }
    this.verifier = verifier;
    this.receiver = receiver;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      Map<String, List<String>> headers = new HashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, new ArrayList<>(v)));
      Intake.Outcome outcome = Intake.receive(verifier, headers, exchange.getRequestBody());
      if (!outcome.passOn()) {
        answer(exchange, outcome.status(), outcome.answer());
        return;
      }
      try {
        receiver.receive(outcome.webhook());
      } catch (Exception e) {
        verifier.forget(outcome.webhook());
        answer(exchange, 500, "{\"error\":\"receiver_failed\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      exchange.sendResponseHeaders(204, -1);
    } finally {
      exchange.close();
    }
  }

  private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
    if (body.length == 0) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
