package io.scenebank.gateway.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** An external token issuer's keys, read from its JWKS URL (and again on an unknown kid). */
public final class RemoteJwks implements VerificationKeys {

  private final HttpClient http;
  private final String url;
  private volatile List<JsonObject> keys = List.of();

  public RemoteJwks(Vertx vertx, String url) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000));
    this.url = url;
  }

  @Override
  public List<JsonObject> current() {
    return keys;
  }

  @Override
  public Future<Void> refresh() {
    return http.request(
            new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setTimeout(10_000))
        .compose(request -> request.send())
        .compose(
            response ->
                response.statusCode() == 200
                    ? response.body()
                    : Future.failedFuture(
                        "the JWKS at " + url + " answered " + response.statusCode()))
        .map(
            body -> {
              List<JsonObject> next = new ArrayList<>();
              JsonArray array = body.toJsonObject().getJsonArray("keys", new JsonArray());
              for (Object k : array) {
                JsonObject jwk = (JsonObject) k;
                // vertx-auth-jwt verifies EdDSA, ES256 and PS/RS keys; SM2 keys sign no tokens
                if (!"SM2".equals(jwk.getString("crv"))) {
                  next.add(jwk);
                }
              }
              keys = List.copyOf(next);
              return null;
            });
  }
}
