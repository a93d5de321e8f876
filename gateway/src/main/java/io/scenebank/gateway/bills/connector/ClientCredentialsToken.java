package io.scenebank.gateway.bills.connector;

import io.scenebank.gateway.events.UrlPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Access tokens for a biller's system that wants OAuth 2.0 rather than a fixed token: the client
 * credentials grant (RFC 6749 §4.4) through vertx-auth-oauth2, at the biller's token endpoint. A
 * token is kept until shortly before it expires, and one request at a time fetches the next (calls
 * that need a token meanwhile wait for that one). The token endpoint's address passes the same
 * {@link UrlPolicy} as the biller's own before each fetch.
 */
final class ClientCredentialsToken implements BillerCredentials {

  /** A token is renewed this long before it expires. */
  static final Duration MARGIN = Duration.ofSeconds(30);

  /** How long a token without {@code expires_in} is used. */
  static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final OAuth2Auth oauth2;
  private final URI tokenUrl;
  private final UrlPolicy urls;
  private final List<String> scopes;
  private String header;
  private long renewAt;
  private Future<String> fetching;

  ClientCredentialsToken(
      Vertx vertx,
      UrlPolicy urls,
      URI tokenUrl,
      String clientId,
      String clientSecret,
      List<String> scopes,
      Duration timeout) {
    this.vertx = vertx;
    this.urls = urls;
    this.tokenUrl = tokenUrl;
    this.scopes = List.copyOf(scopes);
    this.oauth2 =
        OAuth2Auth.create(
            vertx,
            new OAuth2Options()
                .setClientId(clientId)
                .setClientSecret(clientSecret)
                .setTokenPath(tokenUrl.toString())
                .setHttpClientOptions(
                    new HttpClientOptions()
                        .setConnectTimeout((int) timeout.toMillis())
                        .setIdleTimeout((int) timeout.toSeconds() + 1)));
  }

  @Override
  public synchronized Future<String> authorization() {
    if (header != null && System.nanoTime() - renewAt < 0) {
      return Future.succeededFuture(header);
    }
    if (fetching == null) {
      fetching = fetch().andThen(ar -> done());
    }
    return fetching;
  }

  private synchronized void done() {
    fetching = null;
  }

  private Future<String> fetch() {
    return vertx
        .executeBlocking(() -> urls.resolve(tokenUrl), false)
        .compose(
            address ->
                oauth2.authenticate(
                    new Oauth2Credentials().setFlow(OAuth2FlowType.CLIENT).setScopes(scopes)))
        .recover(
            e ->
                Future.failedFuture(
                    new BillerException(
                        BillerException.Kind.UNAVAILABLE,
                        // not the endpoint's own words: an error body may echo the credentials
                        "no access token from the biller's token endpoint "
                            + tokenUrl.getHost()
                            + " ("
                            + e.getClass().getSimpleName()
                            + ")")))
        .compose(
            user -> {
              String token = user.principal().getString("access_token");
              if (token == null || token.isBlank()) {
                return Future.failedFuture(
                    new BillerException(
                        BillerException.Kind.MALFORMED,
                        "the biller's token endpoint " + tokenUrl.getHost() + " sent no token"));
              }
              Long expiresIn = user.principal().getLong("expires_in");
              Duration lifetime =
                  expiresIn == null ? DEFAULT_LIFETIME : Duration.ofSeconds(expiresIn);
              synchronized (this) {
                header = "Bearer " + token;
                renewAt = System.nanoTime() + lifetime.minus(MARGIN).toNanos();
                return Future.succeededFuture(header);
              }
            });
  }

  void close() {
    oauth2.close();
  }
}
