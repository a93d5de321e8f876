package io.scenebank.gateway.http;

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
 * Every operation of the contract has a handler: its example request (built from the contract's own
 * examples, so this also proves they pass the gateway's validation) is answered by the operation —
 * never {@code 501 not_implemented}, never {@code 400 validation_failed}, never a route miss.
 */
class ContractCoverageTest {

  /**
   * Operator operations whose example would change what other tests share (the gateway's signing
   * keys, the biller directory, organisations); each has its own tests.
   */
  static final Set<String> SHARED_STATE =
      Set.of(
          "rotateSigningKey",
          "createBiller",
          "updateBiller",
          "createOrganisation",
          "createApp",
          "registerAppKey",
          "revokeAppKey");

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

  static Stream<Call> operations() {
    JsonObject doc = Contract.fromClasspath().document();
    List<Call> calls = new ArrayList<>();
    Contract.forEachOperation(
        doc,
        (key, op) -> {
          String id = op.getString("operationId");
          if (SHARED_STATE.contains(id)) {
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
    assertThat(all).containsAll(SHARED_STATE);
    assertThat(calls).hasSize(all.size() - SHARED_STATE.size());
    return calls.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void everyOperation_isHandled_andItsExampleRequestIsValid(Call call) {
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

    assertThat(response.status())
        .as("%s: %s", call.operationId(), response.body())
        .isNotEqualTo(501);
    if (response.status() >= 400) {
      String code = response.json().getString("code", response.json().getString("error"));
      assertThat(code)
          .as("%s: %s", call.operationId(), response.body())
          .isNotIn("validation_failed", "malformed_json", "not_implemented", "method_not_allowed");
      if (response.status() == 404) {
        // an unknown resource of the operation, not an unknown route
        assertThat(response.json().getString("detail"))
            .isNotEqualTo("No such resource or operation.");
      }
    }
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
