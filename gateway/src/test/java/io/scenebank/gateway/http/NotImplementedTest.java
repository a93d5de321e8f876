package io.scenebank.gateway.http;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.openapi.Contract;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of the contract that has no handler yet answers a valid request with {@code 501
 * not_implemented} — never 404, never an empty 200. The requests are built from the contract's own
 * examples, so they also prove those examples pass the gateway's validation.
 */
class NotImplementedTest {

  /** Operations with handlers; the rest of the contract must answer 501. */
  static final Set<String> IMPLEMENTED =
      Set.of(
          "getLiveness",
          "getReadiness",
          "getAuthorizationServerMetadata",
          "getJwks",
          "createToken",
          "introspectToken",
          "revokeToken",
          "signUp",
          "listClientKeys",
          "registerClientKey",
          "revokeClientKey",
          "createOrganisation",
          "listOrganisations",
          "createApp",
          "listApps",
          "registerAppKey",
          "listAppKeys",
          "revokeAppKey",
          "rotateSigningKey",
          "createWebhookEndpoint",
          "listWebhookEndpoints",
          "getWebhookEndpoint",
          "updateWebhookEndpoint",
          "deleteWebhookEndpoint",
          "listEvents",
          "getEvent",
          "listEventDeliveries",
          "redeliverEvent",
          "sendTestWebhook",
          "createConsent",
          "listConsents",
          "getConsent",
          "openCreditLine",
          "listCreditLines",
          "getCreditLine",
          "closeCreditLine",
          "createEncounter",
          "listEncounters",
          "getEncounter",
          "cancelEncounter",
          "createCharge",
          "listCharges",
          "voidCharge",
          "settleEncounter",
          "getSettlement",
          "createCareRefund",
          "listCareRefunds",
          "listDebts",
          "getDebt",
          "createRepayment",
          "listRepayments",
          "decideConsent",
          "getClock",
          "advanceClock",
          "listFixtures",
          "checkLedger",
          "listBillers",
          "getBiller",
          "inquireBills",
          "createBillPayment",
          "listBillPayments",
          "getBillPayment",
          "getBillReceipt",
          "createMandate",
          "listMandates",
          "getMandate",
          "cancelMandate",
          "issueBill",
          "setBillerFault",
          "createBiller",
          "updateBiller");

  static TestApp app;

  @BeforeAll
  static void app() {
    app = TestApp.create(SignatureAlgorithm.ED25519, TestApp.ALL_SCOPES.toArray(String[]::new));
  }

  record Call(String operationId, String method, String path, String contentType, String body) {
    @Override
    public String toString() {
      return operationId;
    }
  }

  static Stream<Call> unimplementedOperations() {
    JsonObject doc = Contract.fromClasspath().document();
    List<Call> calls = new ArrayList<>();
    Contract.forEachOperation(
        doc,
        (key, op) -> {
          String id = op.getString("operationId");
          if (IMPLEMENTED.contains(id)) {
            return;
          }
          String method = key.substring(0, key.indexOf(' '));
          String path = key.substring(key.indexOf(' ') + 1);
          StringBuilder query = new StringBuilder();
          for (Object p : op.getJsonArray("parameters", new JsonArray())) {
            JsonObject param = resolve(doc, (JsonObject) p);
            Object example = example(param);
            if ("path".equals(param.getString("in"))) {
              path = path.replace("{" + param.getString("name") + "}", String.valueOf(example));
            } else if ("query".equals(param.getString("in"))
                && param.getBoolean("required", false)) {
              query.append(query.length() == 0 ? '?' : '&');
              query.append(param.getString("name")).append('=').append(example);
            }
          }
          String contentType = null;
          String body = null;
          JsonObject content =
              resolve(doc, op.getJsonObject("requestBody", new JsonObject()))
                  .getJsonObject("content", new JsonObject());
          if (content.containsKey("application/json")) {
            contentType = "application/json";
            body = String.valueOf(mediaExample(doc, content.getJsonObject("application/json")));
          } else if (content.containsKey("application/x-www-form-urlencoded")) {
            contentType = "application/x-www-form-urlencoded";
            body =
                form(mediaExample(doc, content.getJsonObject("application/x-www-form-urlencoded")));
          }
          calls.add(new Call(id, method, path + query, contentType, body));
        });
    List<String> all = new ArrayList<>();
    Contract.forEachOperation(doc, (key, op) -> all.add(op.getString("operationId")));
    assertThat(all).containsAll(IMPLEMENTED);
    assertThat(calls).hasSize(all.size() - IMPLEMENTED.size());
    return calls.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unimplementedOperations")
  void operationWithoutHandler_answers501(Call call) {
    Http.Response response;
    if (call.path().startsWith("/v1/")) {
      response = app.request(call.method(), call.path()).body(call.body()).send();
    } else {
      String[] headers =
          call.contentType() == null
              ? new String[0]
              : new String[] {"Content-Type", call.contentType()};
      response =
          new Http(TestGateway.shared().port())
              .send(call.method(), call.path(), call.body(), headers);
    }

    JsonObject problem = assertProblem(response, 501, "not_implemented");
    assertThat(problem.getString("detail")).contains(call.operationId());
  }

  private static Object example(JsonObject param) {
    if (param.containsKey("example")) {
      return param.getValue("example");
    }
    JsonArray examples = param.getJsonObject("schema", new JsonObject()).getJsonArray("examples");
    assertThat(examples).as("parameter %s has an example", param.getString("name")).isNotNull();
    return examples.getValue(0);
  }

  private static Object mediaExample(JsonObject doc, JsonObject media) {
    if (media.containsKey("example")) {
      return media.getValue("example");
    }
    JsonObject examples = media.getJsonObject("examples");
    assertThat(examples).as("request body example in %s", media).isNotNull();
    String first = examples.fieldNames().iterator().next();
    return resolve(doc, examples.getJsonObject(first)).getValue("value");
  }

  private static String form(Object fields) {
    StringBuilder sb = new StringBuilder();
    ((JsonObject) fields)
        .forEach(
            e -> {
              if (sb.length() > 0) {
                sb.append('&');
              }
              sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                  .append('=')
                  .append(URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8));
            });
    return sb.toString();
  }

  private static JsonObject resolve(JsonObject doc, JsonObject node) {
    String ref = node.getString("$ref");
    return ref == null ? node : (JsonObject) JsonPointer.from(ref.substring(1)).queryJson(doc);
  }
}
