package io.scenebank.gateway.bills.connector;

import io.vertx.core.Future;

/** What a connector sends as {@code Authorization} to a biller's system, for each call. */
public interface BillerCredentials {

  /** The header's value ({@code Bearer ...}), or null to send none. */
  Future<String> authorization();

  /** No credentials. */
  static BillerCredentials none() {
    return () -> Future.succeededFuture(null);
  }

  /** A fixed bearer token (a value from the gateway's environment). */
  static BillerCredentials bearer(String token) {
    String header = token == null ? null : "Bearer " + token;
    return () -> Future.succeededFuture(header);
  }
}
