package io.scenebank.gateway.testing;

import io.scenebank.sdk.Environment;
import io.scenebank.sdk.webhooks.VerifiedWebhook;
import io.scenebank.sdk.webhooks.WebhookVerifier;
import io.scenebank.sdk.webhooks.vertx.WebhookHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A partner's webhook receiver on a real port, built as the SDK's docs say (BodyHandler, then the
 * SDK's {@link WebhookHandler}). It records every request as received and every verified delivery,
 * and answers with the statuses the test scripts (200 once the script is used up).
 */
public final class WebhookReceiver implements AutoCloseable {

  /** A request as it arrived: headers and the raw body. */
  public record Received(Map<String, List<String>> headers, byte[] body, int answered) {}

  public final List<Received> requests = new CopyOnWriteArrayList<>();
  public final List<VerifiedWebhook> delivered = new CopyOnWriteArrayList<>();
  public final List<String> answers = new CopyOnWriteArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  public WebhookReceiver(String gatewayUrl) {
    WebhookVerifier verifier = WebhookVerifier.builder(Environment.custom(gatewayUrl)).build();
    Router router = Router.router(vertx);
    router
        .post("/hooks")
        .handler(BodyHandler.create())
        .handler(
            ctx -> {
              String scripted = answers.isEmpty() ? "200" : answers.remove(0);
              int status = Integer.parseInt(scripted.split(";")[0]);
              Map<String, List<String>> headers = new HashMap<>();
              ctx.request()
                  .headers()
                  .forEach(
                      h ->
                          headers
                              .computeIfAbsent(
                                  h.getKey().toLowerCase(), k -> new CopyOnWriteArrayList<>())
                              .add(h.getValue()));
              requests.add(new Received(headers, ctx.body().buffer().getBytes(), status));
              if (status != 200) {
                if (scripted.contains(";")) {
                  ctx.response().putHeader("Retry-After", scripted.split(";")[1]);
                }
                ctx.response().setStatusCode(status).end();
                return;
              }
              ctx.next();
            })
        .handler(new WebhookHandler(verifier))
        .handler(
            ctx -> {
              delivered.add(ctx.get(WebhookHandler.KEY));
              ctx.response().setStatusCode(200).end();
            });
    server =
        TestGateway.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  /** The URL to register. */
  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hooks";
  }

  /** Scripts the next answers, e.g. "500", "429;2" (with Retry-After: 2), "410". */
  public WebhookReceiver answer(String... statuses) {
    answers.addAll(List.of(statuses));
    return this;
  }

  /** Waits until a condition on what was received holds. */
  public void await(Predicate<WebhookReceiver> condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (condition.test(this)) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError(
        "timed out waiting for " + what + "; received " + requests.size() + " requests");
  }

  @Override
  public void close() {
    TestGateway.await(vertx.close());
  }
}
