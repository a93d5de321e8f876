package io.scenebank.gateway.clients;

import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.http.Responses;
import io.scenebank.gateway.security.ClientRegistry;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Page;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * An app manages its own keys ({@code /v1/client/keys}): register a successor, then revoke the old
 * one. Every call is scoped to the calling app; another app's kid is simply not found.
 */
public final class ClientKeysApi {

  private final ClientRegistry registry;

  public ClientKeysApi(ClientRegistry registry) {
    this.registry = registry;
  }

  public void register(Operations operations) {
    operations
        .add("listClientKeys", this::list)
        .add("registerClientKey", this::registerKey)
        .add("revokeClientKey", this::revoke);
  }

  private void list(RoutingContext ctx) {
    registry
        .listKeys(Call.of(ctx).clientId(), Page.request(ctx, "keys"))
        .onSuccess(page -> Responses.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  private void registerKey(RoutingContext ctx) {
    registry
        .registerKey(Call.of(ctx).clientId(), ctx.body().asJsonObject())
        .onSuccess(key -> Responses.json(ctx, 201, key))
        .onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    registry
        .revokeKey(
            Call.of(ctx).clientId(),
            ctx.pathParam("key_id"),
            body == null ? null : body.getString("reason"),
            true)
        .onSuccess(key -> Responses.json(ctx, 200, key))
        .onFailure(ctx::fail);
  }
}
