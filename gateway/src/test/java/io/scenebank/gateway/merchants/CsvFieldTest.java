package io.scenebank.gateway.merchants;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A statement's field never splits its row or its columns, whatever was stored. */
class CsvFieldTest {

  @Test
  void plainValues_areWrittenAsTheyAre() {
    assertThat(Statements.csvField("ORD-1")).isEqualTo("ORD-1");
    assertThat(Statements.csvField(null)).isEmpty();
  }

  @Test
  void lineBreaksCommasAndQuotes_areQuoted() {
    assertThat(Statements.csvField("ORD-1\n")).isEqualTo("\"ORD-1\n\"");
    assertThat(Statements.csvField("a\r\nb")).isEqualTo("\"a\r\nb\"");
    assertThat(Statements.csvField("a,b")).isEqualTo("\"a,b\"");
    assertThat(Statements.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
  }
}
