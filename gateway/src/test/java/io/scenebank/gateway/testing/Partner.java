package io.scenebank.gateway.testing;

import static io.scenebank.gateway.testing.ContractAssert.assertResponseMatches;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A partner app on the shared test gateway, calling the API over signed HTTP; every successful
 * answer is checked against the contract.
 */
public class Partner {

  private final TestApp app;

  public Partner(String... scopes) {
    this(TestApp.create(SignatureAlgorithm.ED25519, scopes));
  }

  /** A partner calling as an existing app (on any gateway). */
  public Partner(TestApp app) {
    this.app = app;
  }

  public TestApp app() {
    return app;
  }

  public static JsonObject money(long amount) {
    return new JsonObject().put("amount", amount).put("currency", "CNY");
  }

  public Http.Response post(String path, JsonObject body) {
    return post(path, body, UUID.randomUUID().toString());
  }

  public Http.Response post(String path, JsonObject body, String idempotencyKey) {
    return app.request("POST", path).idempotencyKey(idempotencyKey).body(body.encode()).send();
  }

  public Http.Response get(String path) {
    return app.request("GET", path).send();
  }

  public JsonObject ok(String operationId, int status, Http.Response response) {
    assertThat(response.status()).as("%s: %s", operationId, response.body()).isEqualTo(status);
    return assertResponseMatches(operationId, response);
  }

  public JsonObject advanceSeconds(long seconds) {
    return ok(
        "advanceClock",
        200,
        post("/v1/sandbox/clock/advance", new JsonObject().put("seconds", seconds)));
  }

  public JsonObject advanceDays(int days) {
    return advanceSeconds(days * 86_400L);
  }

  public JsonArray events(String type) {
    return ok("listEvents", 200, get("/v1/events?limit=100&type=" + type)).getJsonArray("data");
  }

  /** The operator's ledger check: balanced, nothing listed. */
  public static void assertLedgerBalanced() {
    Http.Response response = TestApp.operator().request("GET", "/v1/operator/ledger/check").send();
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonObject check = assertResponseMatches("checkLedger", response);
    assertThat(check.getJsonArray("discrepancies")).as(check.encode()).isEmpty();
    assertThat(check.getBoolean("balanced")).isTrue();
  }
}
