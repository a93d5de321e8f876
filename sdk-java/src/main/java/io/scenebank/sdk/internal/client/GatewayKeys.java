package io.scenebank.sdk.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenebank.sdk.ApiConnectionException;
import io.scenebank.sdk.SignatureVerificationException;
import io.scenebank.sdk.signing.PublicJwk;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway's public keys (its JWKS), cached; fetched again when a response names a key the cache
 * does not know (after a rotation), but at most every 10 seconds.
 */
public final class GatewayKeys {

  private static final long MIN_REFRESH_NANOS = Duration.ofSeconds(10).toNanos();

  private final HttpClient http;
  private final URI jwksUri;
  private final Duration timeout;
  private Map<String, PublicJwk> keys = Map.of();
  private final Map<String, Long> missed = new HashMap<>();

  public GatewayKeys(HttpClient http, URI baseUri, Duration timeout) {
    this.http = http;
    this.jwksUri = baseUri.resolve("/oauth2/jwks");
    this.timeout = timeout;
  }

  /** The key with this kid; refreshes the cache once if it is unknown. */
  public synchronized PublicJwk key(String kid) {
    PublicJwk key = keys.get(kid);
    Long lastMiss = missed.get(kid);
    if (key == null && (lastMiss == null || System.nanoTime() - lastMiss > MIN_REFRESH_NANOS)) {
      if (missed.size() > 1000) {
        missed.clear();
      }
      missed.put(kid, System.nanoTime());
      fetch();
      key = keys.get(kid);
    }
    if (key == null) {
      throw new SignatureVerificationException(
          "the response is signed with key " + kid + ", which the gateway does not publish",
          "response_key_unknown",
          null,
          0,
          null);
    }
    return key;
  }

  private void fetch() {
    HttpResponse<byte[]> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(jwksUri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ApiConnectionException(
          ConnectionFailures.describe("the gateway's keys", jwksUri, e),
          "connection_failed",
          null,
          0,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiConnectionException("interrupted", "interrupted", null, 0, e);
    }
    if (response.statusCode() != 200) {
      throw new ApiConnectionException(
          "the gateway's JWKS answered " + response.statusCode(),
          "jwks_unavailable",
          null,
          response.statusCode(),
          null);
    }
    Map<String, PublicJwk> next = new HashMap<>();
    try {
      for (JsonNode jwk : Mapper.MAPPER.readTree(response.body()).path("keys")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> members = Mapper.MAPPER.convertValue(jwk, Map.class);
        try {
          PublicJwk key = PublicJwk.parse(members);
          if (key.keyId() != null) {
            next.put(key.keyId(), key);
          }
        } catch (IllegalArgumentException e) {
          // a key type this SDK does not know: skip it
        }
      }
    } catch (IOException e) {
      throw new ApiConnectionException(
          "the gateway's JWKS is not JSON", "jwks_unavailable", null, 200, e);
    }
    keys = next;
  }
}
