package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.internal.client.Mapper;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * For the tests of the typed calls: a client talking to the {@link FakeGateway} (which signs every
 * answer, so responses go through the SDK's real verification and mapping), with every request it
 * sends recorded as it left the SDK.
 */
abstract class TypedCallsHarness {

  FakeGateway gateway;
  RecordingHttpClient http;
  ScenebankClient client;

  @BeforeEach
  void start() throws IOException {
    gateway = new FakeGateway();
    http = new RecordingHttpClient();
    client =
        ScenebankClient.builder()
            .clientId("app_fakefakefakefake00")
            .signer(Keys.generate(SignatureAlgorithm.ED25519, "k1").signer())
            .environment(Environment.custom(gateway.baseUrl()))
            .httpClient(http)
            .build();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  /** The fake answers the next call with this status and JSON body. */
  void answer(int status, String body) {
    FakeGateway.Answer answer = new FakeGateway.Answer();
    answer.status = status;
    answer.body = body;
    gateway.script.add(answer);
  }

  /** The fake answers the next call with a problem of this status and code. */
  void problem(int status, String code) {
    FakeGateway.Answer answer = new FakeGateway.Answer();
    answer.status = status;
    answer.problemCode = code;
    gateway.script.add(answer);
  }

  /** The only /v1 request sent so far. */
  RecordingHttpClient.Call onlyCall() {
    assertThat(http.calls).hasSize(1);
    return http.calls.get(0);
  }

  /** Asserts a POST with a JSON body, signed over its digest and idempotency key; returns it. */
  static JsonNode postedJson(RecordingHttpClient.Call call) {
    assertThat(call.method).isEqualTo("POST");
    assertThat(call.header("content-type")).isEqualTo("application/json");
    assertThat(call.header("idempotency-key")).isNotBlank();
    assertThat(call.header("signature-input")).contains("\"content-digest\" \"idempotency-key\")");
    return json(call.body);
  }

  static JsonNode json(String json) {
    try {
      return Mapper.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The body without the empty lists and maps the generated models start with (e.g. {@code
   * "metadata":{}}), to compare with what the caller set.
   */
  static JsonNode withoutEmptyContainers(JsonNode body) {
    ObjectNode copy = body.deepCopy();
    List<String> empty = new ArrayList<>();
    copy.fields()
        .forEachRemaining(
            f -> {
              if (f.getValue().isContainerNode() && f.getValue().isEmpty()) {
                empty.add(f.getKey());
              }
            });
    copy.remove(empty);
    return copy;
  }
}
