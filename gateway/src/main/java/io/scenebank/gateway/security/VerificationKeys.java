package io.scenebank.gateway.security;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The public JWKs access tokens are verified with, and a way to refresh them. */
public interface VerificationKeys {

  /** The current keys; a new list object whenever they change. */
  List<JsonObject> current();

  /** Reloads the keys (a token named a kid not among them). */
  Future<Void> refresh();
}
