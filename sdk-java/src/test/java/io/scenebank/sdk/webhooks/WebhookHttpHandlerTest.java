package io.scenebank.sdk.webhooks;

import com.sun.net.httpserver.HttpServer;
import io.scenebank.sdk.webhooks.jdk.WebhookHttpHandler;
import java.net.InetSocketAddress;
import java.net.URI;

/** The handler for the JDK's own HTTP server. */
class WebhookHttpHandlerTest extends WebhookReceiverContract {

  HttpServer server;

  @Override
  URI startReceiver(WebhookVerifier verifier) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hooks", new WebhookHttpHandler(verifier, webhook -> application(webhook, null)));
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
  }

  @Override
  void stopReceiver() {
    server.stop(0);
  }
}
