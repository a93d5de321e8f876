package io.scenebank.sdk;

import java.net.URI;
import java.util.Objects;

/** Where the gateway is: the sandbox, production, or a custom URL (e.g. a local gateway). */
public final class Environment {

  /** The bank's sandbox: signs exactly like production. */
  public static final Environment SANDBOX =
      new Environment(URI.create("https://sandbox.scenebank.example"));

  /** Production. */
  public static final Environment PRODUCTION =
      new Environment(URI.create("https://api.scenebank.example"));

  private final URI baseUri;

  private Environment(URI baseUri) {
    this.baseUri = baseUri;
  }

  /**
   * A gateway at a custom base URL: scheme and host (and port), no path, e.g. {@code
   * http://localhost:8080}. It must be the gateway's issuer URL, which request signatures cover.
   */
  public static Environment custom(String baseUrl) {
    URI uri = URI.create(Objects.requireNonNull(baseUrl, "baseUrl").replaceAll("/+$", ""));
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
        || uri.getHost() == null
        || (uri.getPath() != null && !uri.getPath().isEmpty())) {
      throw new IllegalArgumentException(
          "the base URL must be http(s)://host[:port] without a path: " + baseUrl);
    }
    return new Environment(uri);
  }

  /** The base URL, which is also the OAuth issuer. */
  public URI baseUri() {
    return baseUri;
  }

  @Override
  public String toString() {
    return baseUri.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Environment && ((Environment) o).baseUri.equals(baseUri);
  }

  @Override
  public int hashCode() {
    return baseUri.hashCode();
  }
}
