package io.scenebank.gateway.bills.connector;

import io.scenebank.gateway.events.UrlPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  /**
   * @param secrets looks a credential up by name (the environment, in the gateway)
   */
  public HttpConnectors(Vertx vertx, UrlPolicy urls, Function<String, String> secrets) {
    this.vertx = vertx;
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
    String ref = config.getString("credentials_ref");
    CircuitBreaker breaker =
        breakers.computeIfAbsent(
            billerId, id -> new CircuitBreaker(id, FAILURE_THRESHOLD, OPEN_FOR));
    return new HttpJsonConnector(
        vertx,
        client,
        URI.create(config.getString("base_url")),
        urls,
        ref == null ? null : secret(ref),
        Duration.ofMillis(config.getInteger("timeout_ms", 5000)),
        config.getInteger("max_retries", 2),
        breaker);
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
    client.close();
  }
}
