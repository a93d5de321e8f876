package io.scenebank.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An answer that could not be signed never leaves: the connection is closed instead. */
class ResponsesFailClosedTest {

  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router
        .get("/signed")
        .handler(
            ctx -> {
              Responses.addStage(ctx, (c, status, type, body) -> Future.succeededFuture());
              Responses.json(ctx, 200, new JsonObject().put("ok", true));
            });
    router
        .get("/unsignable")
        .handler(
            ctx -> {
              Responses.addStage(
                  ctx,
                  (c, status, type, body) ->
                      Future.failedFuture(new IllegalStateException("no signing key")));
              Responses.json(ctx, 200, new JsonObject().put("secret", "balance"));
            });
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aStageThatSucceeds_letsTheAnswerOut() throws Exception {
    assertThat(get("/signed").statusCode()).isEqualTo(200);
  }

  @Test
  void aStageThatFails_closesTheConnectionUnanswered() {
    assertThatThrownBy(() -> get("/unsignable")).isInstanceOf(IOException.class);
  }
}
