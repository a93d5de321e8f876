package io.scenebank.gateway.sandbox;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.http.Responses;
import io.scenebank.gateway.security.ClientRegistry;
import io.scenebank.gateway.security.RateLimiter;
import io.scenebank.gateway.support.Times;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Supplier;

/**
 * Self-service sandbox signup ({@code POST /sandbox/signup}, public): an organisation, an app with
 * every partner scope, and a key — the caller's public key, or a key pair generated here whose
 * private key is returned this once and never stored. Only in sandbox mode.
 */
public final class SignupApi {

  /** Every scope a partner can have; operator is the bank's own. */
  public static final List<String> PARTNER_SCOPES =
      List.of("care", "bills", "payments", "merchants", "canteen", "events", "sandbox");

  private final Pool pool;
  private final ClientRegistry registry;
  private final RateLimiter perAddress;
  private final Supplier<String> issuer;
  private final Mode mode;

  public SignupApi(
      Pool pool,
      ClientRegistry registry,
      RateLimiter perAddress,
      Supplier<String> issuer,
      Mode mode) {
    this.pool = pool;
    this.registry = registry;
    this.perAddress = perAddress;
    this.issuer = issuer;
    this.mode = mode;
  }

  public void register(Operations operations) {
    operations.add("signUp", this::signUp);
  }

  private void signUp(RoutingContext ctx) {
    if (!mode.sandbox()) {
      ctx.fail(Problem.notFound("Signup exists only in the sandbox."));
      return;
    }
    perAddress.acquire("signup:" + ctx.request().remoteAddress().hostAddress());
    JsonObject request = ctx.body().asJsonObject();
    SignatureAlgorithm algorithm =
        SignatureAlgorithm.fromHttpName(request.getString("algorithm")).orElseThrow();
    JsonObject publicKey = request.getJsonObject("public_key");
    // generating a key (RSA above all) takes long enough to stall an event loop: off it
    Future<GeneratedKey> keyPair =
        publicKey == null
            ? ctx.vertx().executeBlocking(() -> Keys.generate(algorithm, null), false)
            : Future.succeededFuture(null);
    keyPair
        .compose(generated -> create(request, algorithm, publicKey, generated))
        .onSuccess(result -> Responses.json(ctx, 201, result))
        .onFailure(ctx::fail);
  }

  private Future<JsonObject> create(
      JsonObject request,
      SignatureAlgorithm algorithm,
      JsonObject publicKey,
      GeneratedKey generated) {
    JsonObject jwk =
        publicKey != null
            ? publicKey
            : new JsonObject(new java.util.LinkedHashMap<>(generated.publicJwk().toMap()));
    return pool.withTransaction(
        tx ->
            registry
                .createOrganisation(
                    tx,
                    new JsonObject()
                        .put("name", request.getString("organisation_name"))
                        .put("type", "OTHER")
                        .put("contact_email", request.getString("email")))
                .compose(
                    org ->
                        // one organisation per address: a second signup is 409
                        // email_already_registered (the primary key, even for two at once)
                        tx.preparedQuery(
                                "INSERT INTO sandbox_signups (email, organisation_id)"
                                    + " VALUES (lower($1), $2)")
                            .execute(
                                io.vertx.sqlclient.Tuple.of(
                                    request.getString("email"), org.getString("id")))
                            .map(org))
                .compose(
                    org ->
                        registry.createApp(
                            tx,
                            org.getString("id"),
                            request.getString("app_name"),
                            PARTNER_SCOPES,
                            new JsonObject()))
                .compose(
                    app ->
                        registry
                            .registerKey(
                                tx,
                                app.clientId(),
                                new JsonObject()
                                    .put("public_jwk", jwk)
                                    .put("algorithm", algorithm.httpName()))
                            .map(key -> result(app, key, generated))));
  }

  private JsonObject result(ClientRegistry.App app, JsonObject key, GeneratedKey generated) {
    JsonObject json =
        new JsonObject()
            .put("object", "sandbox_signup")
            .put("organisation_id", app.organisationId())
            .put("client_id", app.clientId())
            .put("key_id", key.getString("kid"))
            .put("algorithm", key.getString("algorithm"));
    if (generated != null) {
      json.put("private_key_pem", generated.privateKeyPem());
    }
    return json.put("scopes", new JsonArray(PARTNER_SCOPES))
        .put("token_endpoint", issuer.get() + "/oauth2/token")
        .put("issuer", issuer.get())
        .put("livemode", false)
        .put("created_at", Times.format(OffsetDateTime.now()));
  }
}
