package io.scenebank.sdk.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenebank.sdk.AuthenticationException;
import io.scenebank.sdk.RateLimitException;
import io.scenebank.sdk.ServerException;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.jose.Jws;
import io.scenebank.sdk.signing.Signer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Access tokens by {@code client_credentials} with {@code private_key_jwt}: a client assertion
 * signed by the app's key. A token is reused until a minute before it expires.
 */
final class TokenSource {

  static final Duration ASSERTION_LIFETIME = Duration.ofSeconds(120);
  private static final Duration REFRESH_BEFORE = Duration.ofSeconds(60);

  private final HttpClient http;
  private final URI baseUri;
  private final String clientId;
  private final Signer signer;
  private final List<String> scopes;
  private final Duration timeout;
  private String token;
  private Instant expiresAt = Instant.EPOCH;
  private CompletableFuture<String> pending;

  TokenSource(
      HttpClient http,
      URI baseUri,
      String clientId,
      Signer signer,
      List<String> scopes,
      Duration timeout) {
    this.http = http;
    this.baseUri = baseUri;
    this.clientId = clientId;
    this.signer = signer;
    this.scopes = List.copyOf(scopes);
    this.timeout = timeout;
  }

  /**
   * The same, without blocking: a valid token at once, or the one fetch in flight (sent with {@code
   * HttpClient.sendAsync}).
   */
  synchronized CompletableFuture<String> tokenAsync() {
    if (valid()) {
      return CompletableFuture.completedFuture(token);
    }
    if (pending != null) {
      return pending;
    }
    Instant now = Instant.now();
    CompletableFuture<String> fetch =
        http.sendAsync(request(now), HttpResponse.BodyHandlers.ofByteArray())
            .handle(
                (response, failure) -> {
                  if (failure != null) {
                    throw ConnectionFailures.sendFailed(
                        "the token endpoint", baseUri.resolve("/oauth2/token"), null, failure);
                  }
                  synchronized (this) {
                    accept(response, now);
                    return token;
                  }
                });
    pending = fetch;
    fetch.whenComplete(
        (t, e) -> {
          synchronized (this) {
            if (pending == fetch) {
              pending = null;
            }
          }
        });
    return fetch;
  }

  /** Forgets the token (the gateway refused it). */
  synchronized void invalidate() {
    token = null;
  }

  private boolean valid() {
    return token != null && !Instant.now().plus(REFRESH_BEFORE).isAfter(expiresAt);
  }

  /** The token request: client credentials with a fresh client assertion. */
  private HttpRequest request(Instant now) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", signer.algorithm().jwsName());
    header.put("kid", signer.keyId());
    header.put("typ", "JWT");
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", clientId);
    claims.put("sub", clientId);
    claims.put("aud", baseUri.toString());
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", now.plus(ASSERTION_LIFETIME).getEpochSecond());
    claims.put("jti", HttpSignatures.newNonce());
    String assertion = Jws.sign(header, claims, signer);
    StringBuilder form =
        new StringBuilder("grant_type=client_credentials")
            .append("&client_assertion_type=")
            .append(encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"))
            .append("&client_assertion=")
            .append(encode(assertion));
    if (!scopes.isEmpty()) {
      form.append("&scope=").append(encode(String.join(" ", scopes)));
    }
    return HttpRequest.newBuilder(baseUri.resolve("/oauth2/token"))
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
        .build();
  }

  /** Keeps the token of a 200 answer; throws the typed exception of any other. */
  private void accept(HttpResponse<byte[]> response, Instant now) {
    JsonNode body = readTree(response.body());
    String requestId = response.headers().firstValue("X-Request-Id").orElse(null);
    int status = response.statusCode();
    if (status == 200 && body.hasNonNull("access_token")) {
      token = body.get("access_token").asText();
      expiresAt = now.plusSeconds(body.path("expires_in").asLong(0));
      return;
    }
    if (status == 429) {
      throw new RateLimitException(
          "the token endpoint's rate limit is reached",
          "rate_limited",
          requestId,
          response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L));
    }
    if (status >= 500) {
      throw new ServerException(
          "the token endpoint failed (" + status + ")", "server_error", requestId, status, null);
    }
    String error = body.path("error").asText("token_refused");
    throw new AuthenticationException(
        "no access token: " + error + ": " + body.path("error_description").asText(""),
        error,
        requestId,
        status,
        null);
  }

  private static JsonNode readTree(byte[] body) {
    try {
      return Mapper.MAPPER.readTree(body);
    } catch (IOException e) {
      return Mapper.MAPPER.createObjectNode();
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "TokenSource{clientId="
        + clientId
        + ", token="
        + (token == null ? "none" : "<hidden>")
        + "}";
  }
}
