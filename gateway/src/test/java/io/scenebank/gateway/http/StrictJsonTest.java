package io.scenebank.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one JSON parser of request bodies, without a gateway. */
class StrictJsonTest {

  private static Object parse(String text) throws StrictJson.Refused {
    return StrictJson.parse(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static StrictJson.Refused refusal(byte[] bytes) {
    try {
      StrictJson.parse(Buffer.buffer(bytes));
    } catch (StrictJson.Refused refused) {
      return refused;
    }
    throw new AssertionError("accepted: " + new String(bytes, StandardCharsets.UTF_8));
  }

  private static StrictJson.Refused refusal(String text) {
    return refusal(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void wellFormedJson_isReadAsVertxReadsIt() throws Exception {
    String text = "{\"a\":{\"b\":[1,9007199254740993,\"张三 😀\",true,null]},\"c\":\"x\"}";
    assertThat(parse(text)).isEqualTo(new JsonObject(text));
  }

  @Test
  void commentsDuplicateKeysAndTrailingValues_areMalformed() {
    assertThat(refusal("{\"a\":1 /* no */}").pointer()).isNull();
    assertThat(refusal("{\"a\":1,\"a\":2}").getMessage()).contains("Duplicate field 'a'");
    assertThat(refusal("{\"a\":1}{\"b\":2}").getMessage()).contains("more than one");
    assertThat(refusal("").getMessage()).contains("empty");
  }

  @Test
  void byteOrderMarkAndOtherEncodings_areRefused() {
    assertThat(refusal("\uFEFF{\"a\":1}").getMessage()).contains("byte-order mark");
    assertThat(refusal("{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_16LE)).pointer()).isNull();
    assertThat(
            refusal(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}).getMessage())
        .contains("not UTF-8");
  }

  @Test
  void controlCharactersAndLoneSurrogates_areRefusedAtTheirPointer() {
    assertThat(refusal("{\"patient\":{\"name\":\"\\u0000\"}}").pointer())
        .isEqualTo("/patient/name");
    assertThat(refusal("{\"ref\":\"ORD-1\\n\"}").pointer()).isEqualTo("/ref");
    assertThat(refusal("{\"m\":{\"k\\u0007\":\"v\"}}").pointer()).isEqualTo("/m/k\u0007");
    assertThat(refusal("{\"a\":[\"ok\",\"\\ud800\"]}").pointer()).isEqualTo("/a/1");
    assertThat(refusal("{\"a\":\"\\u0085\"}").pointer()).isEqualTo("/a");
  }

  @Test
  void depthAndSize_areBounded() {
    String deep = "[".repeat(StrictJson.MAX_DEPTH + 1) + "]".repeat(StrictJson.MAX_DEPTH + 1);
    assertThat(refusal(deep).getMessage()).contains("deeper");
    StringBuilder wide = new StringBuilder("{");
    for (int i = 0; i < 80_000; i++) {
      wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
    }
    assertThat(refusal(wide.append('}').toString()).getMessage()).contains("values");
  }

  @Test
  void contentType_isApplicationJsonWithAtMostUtf8() {
    assertThat(ContractValidationHandler.isJson("application/json")).isTrue();
    assertThat(ContractValidationHandler.isJson("application/json; charset=UTF-8")).isTrue();
    assertThat(ContractValidationHandler.isJson("application/jsonx")).isFalse();
    assertThat(ContractValidationHandler.isJson("application/json; charset=utf-16")).isFalse();
    assertThat(ContractValidationHandler.isJson("text/json")).isFalse();
    assertThatThrownBy(() -> parse("{")).isInstanceOf(StrictJson.Refused.class);
  }
}
