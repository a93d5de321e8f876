package io.scenebank.gateway.bills.connector;

import io.scenebank.gateway.events.UrlPolicy;
import io.scenebank.gateway.metrics.GatewayMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The HTTP/JSON connectors of the billers, one per biller and configuration, sharing one HTTP
 * client; each biller keeps its circuit breaker across calls. Credentials are looked up by the name
 * the biller's definition gives ({@code credentials_ref}), never stored in the directory.
 */
public final class HttpConnectors {

  /** The prefix of every environment variable that may hold a biller's credentials. */
  public static final String SECRET_PREFIX = "SCENEBANK_BILLER_SECRET_";

  /** Consecutive failures that open a biller's circuit. */
  static final int FAILURE_THRESHOLD = 5;

  /** How long an open circuit fails fast before a trial call. */
  static final Duration OPEN_FOR = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final HttpClient client;
  private final UrlPolicy urls;
  private final Function<String, String> secrets;
  private final Map<String, BillerConnector> connectors = new ConcurrentHashMap<>();
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final GatewayMetrics metrics;
  private final List<ClientCredentialsToken> tokenClients = new CopyOnWriteArrayList<>();

  /**
   * @param secrets looks a credential up by name (the environment, in the gateway)
   */
  public HttpConnectors(
      Vertx vertx, UrlPolicy urls, Function<String, String> secrets, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.urls = urls;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    this.secrets = secrets;
  }

  /** The connector for a biller's connector configuration (with its {@code biller_id}). */
  public BillerConnector connector(JsonObject config) {
    String billerId = config.getString("biller_id");
    return connectors.compute(
        billerId + "|" + config.encode(),
        (key, existing) -> existing != null ? existing : create(billerId, config));
  }

  private BillerConnector create(String billerId, JsonObject config) {
    CircuitBreaker breaker =
        breakers.computeIfAbsent(
            billerId,
            id -> {
              CircuitBreaker created = new CircuitBreaker(id, FAILURE_THRESHOLD, OPEN_FOR);
              metrics.breaker(
                  id,
                  () ->
                      switch (created.state()) {
                        case CLOSED -> 0;
                        case HALF_OPEN -> 1;
                        case OPEN -> 2;
                      });
              return created;
            });
    return new HttpJsonConnector(
        vertx,
        client,
        URI.create(config.getString("base_url")),
        urls,
        credentials(billerId, config),
        Duration.ofMillis(config.getInteger("timeout_ms", 5000)),
        config.getInteger("max_retries", 2),
        breaker,
        metrics);
  }

  /**
   * A fixed token ({@code credentials_ref}), OAuth 2.0 client credentials ({@code oauth2}: tokens
   * from the biller's token endpoint, one client per biller and configuration), or nothing.
   */
  private BillerCredentials credentials(String billerId, JsonObject config) {
    JsonObject oauth2 = config.getJsonObject("oauth2");
    if (oauth2 != null) {
      String scope = oauth2.getString("scope");
      ClientCredentialsToken tokens =
          new ClientCredentialsToken(
              vertx,
              urls,
              urls.check(oauth2.getString("token_url")),
              oauth2.getString("client_id"),
              secret(oauth2.getString("client_secret_ref")),
              scope == null ? List.of() : List.of(scope.split(" ")),
              Duration.ofMillis(config.getInteger("timeout_ms", 5000)));
      tokenClients.add(tokens);
      return tokens;
    }
    String ref = config.getString("credentials_ref");
    return ref == null ? BillerCredentials.none() : BillerCredentials.bearer(secret(ref));
  }

  /**
   * Only variables named for billers can be sent to a biller: a definition naming anything else
   * (the master key, the database URL) gets no credentials at all.
   */
  private String secret(String ref) {
    if (!ref.startsWith(SECRET_PREFIX) || ref.length() == SECRET_PREFIX.length()) {
      throw new IllegalArgumentException(
          "credentials_ref must name a variable starting with " + SECRET_PREFIX);
    }
    return secrets.apply(ref);
  }

  public void close() {
    tokenClients.forEach(ClientCredentialsToken::close);
    client.close();
  }
}
