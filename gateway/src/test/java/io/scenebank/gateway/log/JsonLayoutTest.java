package io.scenebank.gateway.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.LogCapture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class JsonLayoutTest {

  private static final Logger LOG = LoggerFactory.getLogger(JsonLayoutTest.class);

  @Test
  void doLayout_writesOneJsonObjectPerLine_withFieldsAndEscapes() {
    try (LogCapture logs = new LogCapture()) {
      LOG.atWarn()
          .addKeyValue("status", 413)
          .addKeyValue("path", "/v1/\"quoted\"\n")
          .log("line one\nline \u0001two");

      String line = logs.lines().get(0);
      assertThat(line).endsWith("\n");
      assertThat(line.strip()).doesNotContain("\n");
      JsonObject json = new JsonObject(line);
      assertThat(json.getString("level")).isEqualTo("WARN");
      assertThat(json.getString("logger")).isEqualTo(JsonLayoutTest.class.getName());
      assertThat(json.getString("msg")).isEqualTo("line one\nline \u0001two");
      assertThat(json.getInteger("status")).isEqualTo(413);
      assertThat(json.getString("path")).isEqualTo("/v1/\"quoted\"\n");
      assertThat(json.getString("ts")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      assertThat(json.containsKey("request_id")).isFalse();
    }
  }

  @Test
  void doLayout_whenAnExceptionIsLogged_addsClassMessageAndStack() {
    try (LogCapture logs = new LogCapture()) {
      LOG.error("failed", new IllegalStateException("outer", new RuntimeException("inner")));

      JsonObject error = new JsonObject(logs.lines().get(0)).getJsonObject("error");
      assertThat(error.getString("class")).isEqualTo("java.lang.IllegalStateException");
      assertThat(error.getString("message")).isEqualTo("outer");
      assertThat(error.getString("stack"))
          .contains("\tat io.scenebank.gateway.log.JsonLayoutTest")
          .contains("Caused by: java.lang.RuntimeException: inner");
    }
  }
}
