package io.scenebank.gateway.security;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Who is calling, once the token and the request signature are verified: the app, its organisation,
 * the token's scopes and the key that signed the request.
 */
public record Caller(
    String clientId, String organisationId, Set<String> scopes, String keyId, String algorithm) {

  private static final String KEY = "scenebank.caller";

  public void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** The verified caller, if the request got that far. */
  public static java.util.Optional<Caller> find(RoutingContext ctx) {
    return java.util.Optional.ofNullable(ctx.get(KEY));
  }

  /** The verified caller; only on routes behind the authenticator. */
  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(KEY);
    if (caller == null) {
      throw new IllegalStateException("no authenticated caller on this route");
    }
    return caller;
  }
}
