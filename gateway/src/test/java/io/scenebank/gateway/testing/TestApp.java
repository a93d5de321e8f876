package io.scenebank.gateway.testing;

import io.scenebank.gateway.Gateway;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.jose.Jws;
import io.scenebank.sdk.model.CreateAppRequest;
import io.scenebank.sdk.model.CreateOrganisationRequest;
import io.scenebank.sdk.model.JwkInput;
import io.scenebank.sdk.model.RegisterClientKeyRequest;
import io.scenebank.sdk.model.Scope;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.scenebank.sdk.signing.Signer;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A partner app on a test gateway, made through the operator API: its client id and key, an SDK
 * client for it, and raw signed requests for tests that need to get things wrong on purpose.
 */
public final class TestApp {

  public static final List<String> ALL_SCOPES =
      List.of("care", "bills", "payments", "merchants", "canteen", "events", "sandbox", "operator");

  private final Gateway gateway;
  private final String clientId;
  private final GeneratedKey key;

  public TestApp(Gateway gateway, String clientId, GeneratedKey key) {
    this.gateway = gateway;
    this.clientId = clientId;
    this.key = key;
  }

  /** The operator app of the shared gateway. */
  public static TestApp operator() {
    return operatorOf(TestGateway.shared());
  }

  /** The operator app of a gateway started with {@code TestGateway.OPERATOR_KEY}. */
  public static TestApp operatorOf(Gateway gateway) {
    String clientId =
        TestGateway.await(
                gateway
                    .database()
                    .pool()
                    .preparedQuery("SELECT client_id FROM client_keys WHERE thumbprint = $1")
                    .execute(
                        io.vertx.sqlclient.Tuple.of(
                            TestGateway.OPERATOR_KEY.publicJwk().thumbprint())))
            .iterator()
            .next()
            .getString(0);
    return new TestApp(gateway, clientId, TestGateway.OPERATOR_KEY);
  }

  /** A new organisation and app on the shared gateway with these scopes and a new key. */
  public static TestApp create(SignatureAlgorithm algorithm, String... scopes) {
    return createOn(operator(), algorithm, scopes);
  }

  /** A new organisation and app, made by the given operator on its gateway. */
  public static TestApp createOn(
      TestApp operatorApp, SignatureAlgorithm algorithm, String... scopes) {
    ScenebankClient operator = operatorApp.client();
    String org =
        operator
            .operator()
            .createOrganisation(
                new CreateOrganisationRequest()
                    .name("Test hospital " + System.nanoTime())
                    .type(CreateOrganisationRequest.TypeEnum.HOSPITAL)
                    .contactEmail("it@hospital.test"))
            .getId();
    String clientId =
        operator
            .operator()
            .createApp(
                org,
                new CreateAppRequest()
                    .name("HIS")
                    .scopes(
                        Arrays.stream(scopes).map(Scope::fromValue).collect(Collectors.toList())))
            .getId();
    GeneratedKey key = Keys.generate(algorithm, null);
    operator.operator().registerAppKey(clientId, registration(key));
    return new TestApp(operatorApp.gateway(), clientId, key);
  }

  /** A sandbox signup on the given gateway with a key generated here. */
  public static TestApp signUp(Gateway gateway, SignatureAlgorithm algorithm) {
    GeneratedKey key = Keys.generate(algorithm, null);
    JsonObject request =
        new JsonObject()
            .put("organisation_name", "Org " + System.nanoTime())
            .put("email", "it-" + java.util.UUID.randomUUID() + "@org.test")
            .put("app_name", "App")
            .put("algorithm", algorithm.httpName())
            .put("public_key", new JsonObject(new LinkedHashMap<>(key.publicJwk().toMap())));
    Http.Response response =
        new Http(gateway.port())
            .post("/sandbox/signup", request.encode(), "Content-Type", "application/json");
    if (response.status() != 201) {
      throw new AssertionError("signup failed: " + response.body());
    }
    return new TestApp(gateway, response.json().getString("client_id"), key);
  }

  /** The JSON body that registers a key ({@code POST /v1/client/keys}). */
  public static String registrationJson(GeneratedKey key) {
    return new JsonObject()
        .put("public_jwk", new JsonObject(new LinkedHashMap<>(key.publicJwk().toMap())))
        .put("algorithm", key.algorithm().httpName())
        .encode();
  }

  /** The JSON body that registers a new Ed25519 key. */
  public static String newKeyRegistrationJson() {
    return registrationJson(Keys.generate(SignatureAlgorithm.ED25519, null));
  }

  /** The request that registers a generated key. */
  public static RegisterClientKeyRequest registration(GeneratedKey key) {
    return new RegisterClientKeyRequest()
        .publicJwk(
            io.scenebank.sdk.internal.client.Mapper.MAPPER.convertValue(
                key.publicJwk().toMap(), JwkInput.class))
        .algorithm(io.scenebank.sdk.model.SignatureAlgorithm.fromValue(key.algorithm().httpName()));
  }

  public String clientId() {
    return clientId;
  }

  public GeneratedKey key() {
    return key;
  }

  public Gateway gateway() {
    return gateway;
  }

  public ScenebankClient client() {
    return clientWith(key.signer());
  }

  public ScenebankClient clientWith(Signer signer) {
    return ScenebankClient.builder()
        .clientId(clientId)
        .signer(signer)
        .environment(Environment.custom(gateway.issuer()))
        .build();
  }

  /** A client assertion (RFC 7523) signed by {@code signer}, with claims changed as given. */
  public String assertion(Signer signer, Map<String, Object> overrides) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", signer.algorithm().jwsName());
    header.put("kid", signer.keyId());
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", clientId);
    claims.put("sub", clientId);
    claims.put("aud", gateway.issuer());
    claims.put("iat", now);
    claims.put("exp", now + 60);
    claims.put("jti", HttpSignatures.newNonce());
    claims.putAll(overrides);
    claims.values().removeIf(v -> v == null);
    return Jws.sign(header, claims, signer);
  }

  /** The raw token endpoint answer for an assertion. */
  public Http.Response tokenResponse(String assertion, String scope) {
    String form =
        "grant_type=client_credentials&client_assertion_type="
            + URLEncoder.encode(
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
            + "&client_assertion="
            + assertion
            + (scope == null ? "" : "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
    return new Http(gateway.port())
        .post("/oauth2/token", form, "Content-Type", "application/x-www-form-urlencoded");
  }

  private String cachedToken;

  /** An access token for this app's key (fetched once per test app). */
  public synchronized String token() {
    if (cachedToken == null) {
      cachedToken = token(key.signer(), null);
    }
    return cachedToken;
  }

  public String token(Signer signer, String scope) {
    Http.Response response = tokenResponse(assertion(signer, Map.of()), scope);
    if (response.status() != 200) {
      throw new AssertionError("no token: " + response.body());
    }
    return new JsonObject(response.body()).getString("access_token");
  }

  /** A signed request, correct unless the test changes it. */
  public SignedRequest request(String method, String path) {
    return new SignedRequest(this, method, path);
  }
}
