package io.scenebank.gateway.testing;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain HTTP client for tests: real requests to a real port, nothing mocked. */
public final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private final String base;

  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** A response: status, headers (first value, lower-case names) and body. */
  public record Response(int status, Map<String, String> headers, String body) {
    public JsonObject json() {
      try {
        return new JsonObject(body);
      } catch (DecodeException e) {
        throw new AssertionError("not a JSON object: " + body, e);
      }
    }

    public String header(String name) {
      return headers.get(name.toLowerCase());
    }

    public String contentType() {
      return header("content-type");
    }
  }

  public Response get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  public Response post(String path, String body, String... headers) {
    return send("POST", path, body, headers);
  }

  /** Sends a request; {@code headers} alternate name, value. */
  public Response send(String method, String path, String body, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    builder.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> response =
          CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      Map<String, String> first = new LinkedHashMap<>();
      response.headers().map().forEach((k, v) -> first.put(k.toLowerCase(), v.get(0)));
      return new Response(response.statusCode(), first, response.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
