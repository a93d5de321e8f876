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
import java.util.concurrent.CompletableFuture;

/**
 * The gateway's public keys (its JWKS), cached; fetched again when a response names a key the cache
 * does not know (after a rotation), but at most every 10 seconds.
 */
public final class GatewayKeys {

  private static final String KEYS = "the gateway's keys";
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
    if (key == null && mayRefresh(kid)) {
      HttpResponse<byte[]> response;
      try {
        response = http.send(request(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw ConnectionFailures.sendFailed(KEYS, jwksUri, null, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiConnectionException("interrupted", "interrupted", null, 0, e);
      }
      keys = parse(response);
      key = keys.get(kid);
    }
    return found(kid, key);
  }

  /** The same, without blocking: the JWKS is fetched with {@code HttpClient.sendAsync}. */
  public CompletableFuture<PublicJwk> keyAsync(String kid) {
    synchronized (this) {
      PublicJwk key = keys.get(kid);
      if (key != null || !mayRefresh(kid)) {
        try {
          return CompletableFuture.completedFuture(found(kid, key));
        } catch (RuntimeException unknown) {
          return CompletableFuture.failedFuture(unknown);
        }
      }
    }
    return http.sendAsync(request(), HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw ConnectionFailures.sendFailed(KEYS, jwksUri, null, failure);
              }
              Map<String, PublicJwk> next = parse(response);
              synchronized (this) {
                keys = next;
              }
              return found(kid, next.get(kid));
            });
  }

  /** An unknown kid refreshes the keys at most once a minute. */
  private boolean mayRefresh(String kid) {
    Long lastMiss = missed.get(kid);
    if (lastMiss != null && System.nanoTime() - lastMiss <= MIN_REFRESH_NANOS) {
      return false;
    }
    if (missed.size() > 1000) {
      missed.clear();
    }
    missed.put(kid, System.nanoTime());
    return true;
  }

  private static PublicJwk found(String kid, PublicJwk key) {
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

  private HttpRequest request() {
    return HttpRequest.newBuilder(jwksUri).timeout(timeout).GET().build();
  }

  private static Map<String, PublicJwk> parse(HttpResponse<byte[]> response) {
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
    return next;
  }
}
