package io.scenebank.gateway.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The security steps {@link ApiRouter} puts in front of the operations. */
public interface ApiSecurity {

  /** For every request under /v1, before anything can fail: its response will be signed. */
  Handler<RoutingContext> responseSigning();

  /** For an operation with a security requirement: token, signature, key, scopes, rate limit. */
  Handler<RoutingContext> authenticator(List<String> scopes);

  /**
   * For every POST under /v1, after validation; {@code inTransaction} for an operation that claims
   * its key in its own transaction.
   */
  Handler<RoutingContext> idempotency(boolean inTransaction);
}
