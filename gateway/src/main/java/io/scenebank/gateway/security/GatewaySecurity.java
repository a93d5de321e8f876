package io.scenebank.gateway.security;

import io.scenebank.gateway.http.ApiSecurity;
import io.scenebank.gateway.idempotency.IdempotencyHandler;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** The gateway's {@link ApiSecurity}: the handlers the router puts in front of operations. */
public final class GatewaySecurity implements ApiSecurity {

  private final AccessTokens tokens;
  private final ClientRegistry registry;
  private final Nonces nonces;
  private final RateLimiter perApp;
  private final RateLimiter refusals;
  private final Supplier<String> publicUrl;
  private final Duration window;
  private final ResponseSigner signer;
  private final IdempotencyHandler idempotency;
  private final boolean explain;

  public GatewaySecurity(
      AccessTokens tokens,
      ClientRegistry registry,
      Nonces nonces,
      SigningKeys keys,
      RateLimiter perApp,
      RateLimiter refusals,
      IdempotencyHandler idempotency,
      Supplier<String> publicUrl,
      Duration window,
      boolean explain) {
    this.explain = explain;
    this.tokens = tokens;
    this.registry = registry;
    this.nonces = nonces;
    this.perApp = perApp;
    this.refusals = refusals;
    this.publicUrl = publicUrl;
    this.window = window;
    this.signer = new ResponseSigner(keys, publicUrl);
    this.idempotency = idempotency;
  }

  @Override
  public Handler<RoutingContext> responseSigning() {
    return signer;
  }

  @Override
  public Handler<RoutingContext> authenticator(List<String> scopes) {
    return new RequestAuthenticator(
        tokens, registry, nonces, perApp, refusals, publicUrl, window, scopes, explain);
  }

  @Override
  public Handler<RoutingContext> idempotency(boolean inTransaction) {
    return inTransaction ? idempotency.inTransaction() : idempotency;
  }
}
