package io.scenebank.gateway.operator;

import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.http.Responses;
import io.scenebank.gateway.ledger.LedgerCheck;
import io.scenebank.gateway.security.ClientRegistry;
import io.scenebank.gateway.security.SigningKeys;
import io.scenebank.gateway.support.Page;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.ext.web.RoutingContext;

/**
 * The bank's operators (scope {@code operator}): organisations, their apps and keys, and the
 * rotation of the gateway's own signing keys; the ledger consistency check.
 */
public final class OperatorApi {

  private final ClientRegistry registry;
  private final SigningKeys signingKeys;
  private final LedgerCheck ledgerCheck;

  public OperatorApi(ClientRegistry registry, SigningKeys signingKeys, LedgerCheck ledgerCheck) {
    this.registry = registry;
    this.signingKeys = signingKeys;
    this.ledgerCheck = ledgerCheck;
  }

  public void register(Operations operations) {
    operations
        .add("createOrganisation", this::createOrganisation)
        .add("listOrganisations", this::listOrganisations)
        .add("createApp", this::createApp)
        .add("listApps", this::listApps)
        .add("registerAppKey", this::registerAppKey)
        .add("listAppKeys", this::listAppKeys)
        .add("revokeAppKey", this::revokeAppKey)
        .add("rotateSigningKey", this::rotateSigningKey)
        .add("checkLedger", this::checkLedger);
  }

  private void checkLedger(RoutingContext ctx) {
    ledgerCheck.run().onSuccess(check -> Responses.json(ctx, 200, check)).onFailure(ctx::fail);
  }

  private void createOrganisation(RoutingContext ctx) {
    registry
        .createOrganisation(ctx.body().asJsonObject())
        .onSuccess(org -> Responses.json(ctx, 201, org))
        .onFailure(ctx::fail);
  }

  private void listOrganisations(RoutingContext ctx) {
    registry
        .listOrganisations(Page.request(ctx, "organisations"))
        .onSuccess(page -> Responses.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  private void createApp(RoutingContext ctx) {
    registry
        .createApp(ctx.pathParam("organisation_id"), ctx.body().asJsonObject())
        .onSuccess(app -> Responses.json(ctx, 201, app))
        .onFailure(ctx::fail);
  }

  private void listApps(RoutingContext ctx) {
    String org = ctx.pathParam("organisation_id");
    registry
        .listApps(org, Page.request(ctx, "apps:" + org))
        .onSuccess(page -> Responses.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  private void registerAppKey(RoutingContext ctx) {
    String clientId = ctx.pathParam("client_id");
    registry
        .app(clientId)
        .compose(app -> registry.registerKey(clientId, ctx.body().asJsonObject()))
        .onSuccess(key -> Responses.json(ctx, 201, key))
        .onFailure(ctx::fail);
  }

  private void listAppKeys(RoutingContext ctx) {
    String clientId = ctx.pathParam("client_id");
    registry
        .app(clientId)
        .compose(app -> registry.listKeys(clientId, Page.request(ctx, "keys:" + clientId)))
        .onSuccess(page -> Responses.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  private void revokeAppKey(RoutingContext ctx) {
    var body = ctx.body().asJsonObject();
    registry
        .revokeKey(
            ctx.pathParam("client_id"),
            ctx.pathParam("key_id"),
            body == null ? null : body.getString("reason"),
            false)
        .onSuccess(key -> Responses.json(ctx, 200, key))
        .onFailure(ctx::fail);
  }

  private void rotateSigningKey(RoutingContext ctx) {
    SignatureAlgorithm algorithm =
        SignatureAlgorithm.fromHttpName(ctx.body().asJsonObject().getString("algorithm"))
            .orElseThrow();
    signingKeys
        .rotate(algorithm)
        .onSuccess(key -> Responses.json(ctx, 201, key))
        .onFailure(ctx::fail);
  }
}
