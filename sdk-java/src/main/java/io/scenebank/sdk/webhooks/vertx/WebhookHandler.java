package io.scenebank.sdk.webhooks.vertx;

import io.scenebank.sdk.webhooks.VerifiedWebhook;
import io.scenebank.sdk.webhooks.WebhookVerificationException;
import io.scenebank.sdk.webhooks.WebhookVerifier;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Vert.x Web handler for a webhook route, after a {@code BodyHandler}: it verifies the raw body
 * and passes on only genuine, first deliveries, with the {@link VerifiedWebhook} in the context
 * under {@link #KEY}. Forged or stale deliveries get 401; repeats get 200. A delivery your handler
 * answers with 5xx (or fails) is forgotten, so that the gateway's retry reaches it again.
 *
 * <pre>{@code
 * router.post("/scenebank/webhooks")
 *     .handler(BodyHandler.create())
 *     .handler(new WebhookHandler(verifier))
 *     .handler(ctx -> { VerifiedWebhook w = ctx.get(WebhookHandler.KEY); ...; ctx.response().end(); });
 * }</pre>
 */
public final class WebhookHandler implements Handler<RoutingContext> {

  public static final String KEY = VerifiedWebhook.class.getName();

  private final WebhookVerifier verifier;

  public WebhookHandler(WebhookVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    Map<String, List<String>> headers = new HashMap<>();
    ctx.request()
        .headers()
        .forEach(
            h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
    // fetching the gateway's keys may block: off the event loop
    ctx.vertx()
        .executeBlocking(() -> verifier.verify(headers, bytes), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                String code =
                    ar.cause() instanceof WebhookVerificationException
                        ? ((WebhookVerificationException) ar.cause()).code()
                        : "webhook_unverifiable";
                ctx.response()
                    .setStatusCode(ar.cause() instanceof WebhookVerificationException ? 401 : 503)
                    .putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"" + code + "\"}");
                return;
              }
              VerifiedWebhook webhook = ar.result();
              if (webhook.duplicate()) {
                ctx.response().setStatusCode(200).end();
                return;
              }
              ctx.put(KEY, webhook);
              // your handler failed it (5xx, or a failure the router answers with 500): forget
              // it, so that the gateway's retry reaches your handler again
              ctx.addHeadersEndHandler(
                  v -> {
                    if (ctx.response().getStatusCode() >= 500) {
                      verifier.forget(webhook);
                    }
                  });
              ctx.next();
            });
  }
}
