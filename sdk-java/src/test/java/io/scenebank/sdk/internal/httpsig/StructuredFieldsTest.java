package io.scenebank.sdk.internal.httpsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StructuredFieldsTest {

  @Test
  void parseDictionary_withAllBareItemTypes_readsValuesAndParameters() {
    Map<String, StructuredFields.Member> dictionary =
        StructuredFields.parseDictionary(
            "a=1, b=-2.5, c=\"x \\\"y\\\" \\\\z\", d=tok/en:1, e=:AQID:, f=?0, g;p=1;q, *h=(1 \"two\");l=3");

    assertThat(item(dictionary, "a").value()).isEqualTo(1L);
    assertThat(item(dictionary, "b").value()).isEqualTo(new BigDecimal("-2.5"));
    assertThat(item(dictionary, "c").value()).isEqualTo("x \"y\" \\z");
    assertThat(item(dictionary, "d").value()).isEqualTo(StructuredFields.Token.of("tok/en:1"));
    assertThat(((StructuredFields.ByteSequence) item(dictionary, "e").value()).bytes())
        .containsExactly(1, 2, 3);
    assertThat(item(dictionary, "f").value()).isEqualTo(false);
    assertThat(item(dictionary, "g").value()).isEqualTo(true);
    assertThat(item(dictionary, "g").parameters()).containsEntry("p", 1L).containsEntry("q", true);
    StructuredFields.InnerList list = (StructuredFields.InnerList) dictionary.get("*h");
    assertThat(list.items()).extracting(StructuredFields.Item::value).containsExactly(1L, "two");
    assertThat(list.parameters()).containsEntry("l", 3L);
  }

  @Test
  void serializeDictionary_ofParsedValue_isCanonical() {
    String parsedAndSerialized =
        StructuredFields.serializeDictionary(
            StructuredFields.parseDictionary(
                "  a=1 ,\tb=?1;x=?1, c=( \"s\"  tok );p=\"v\", d=1.500, e=:AQID:  "));

    assertThat(parsedAndSerialized).isEqualTo("a=1, b;x, c=(\"s\" tok);p=\"v\", d=1.5, e=:AQID:");
  }

  @Test
  void parseDictionary_withDuplicateKey_lastValueWinsInFirstPosition() {
    assertThat(
            StructuredFields.serializeDictionary(StructuredFields.parseDictionary("a=1, b=2, a=3")))
        .isEqualTo("a=3, b=2");
  }

  @Test
  void parseDictionary_ofEmptyValue_isEmpty() {
    assertThat(StructuredFields.parseDictionary("   ")).isEmpty();
  }

  @Test
  void parseList_readsItemsAndInnerLists() {
    List<StructuredFields.Member> list = StructuredFields.parseList("sugar, (tea rum);x, 3");

    assertThat(StructuredFields.serializeList(list)).isEqualTo("sugar, (tea rum);x, 3");
  }

  @Test
  void serializeItem_escapesStringsAndRoundsDecimals() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("key", "sig1");
    parameters.put("req", true);

    assertThat(StructuredFields.serializeItem(StructuredFields.Item.of("a\"b\\c", parameters)))
        .isEqualTo("\"a\\\"b\\\\c\";key=\"sig1\";req");
    assertThat(StructuredFields.serializeItem(StructuredFields.Item.of(new BigDecimal("2.0005"))))
        .isEqualTo("2.0");
    assertThat(StructuredFields.serializeItem(StructuredFields.Item.of(42))).isEqualTo("42");
  }

  @Test
  void item_withValueOutsideTheModel_isRefused() {
    assertThatThrownBy(() -> StructuredFields.Item.of(1_000_000_000_000_000L))
        .isInstanceOf(SignatureFormatException.class);
    assertThatThrownBy(() -> StructuredFields.Item.of("tab\there"))
        .isInstanceOf(SignatureFormatException.class);
    assertThatThrownBy(() -> StructuredFields.Item.of(new Object()))
        .isInstanceOf(SignatureFormatException.class);
    assertThatThrownBy(() -> StructuredFields.Token.of("1abc"))
        .isInstanceOf(SignatureFormatException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a=1,",
        "a=1,,b=2",
        "A=1",
        "a=1 b=2",
        "a=\"unterminated",
        "a=\"bad \\n escape\"",
        "a=:not base64!:",
        "a=:AQID",
        "a=?2",
        "a=(1 2",
        "a=(1,2)",
        "a=1234567890123456",
        "a=1.2345",
        "a=1.",
        "a=-",
        "a=é",
        "a=1;B=2",
        "a=@b",
        "a=(1)x",
      })
  void parseDictionary_whenMalformed_throwsFormatErrorWithMessage(String value) {
    assertThatThrownBy(() -> StructuredFields.parseDictionary(value))
        .isInstanceOf(SignatureFormatException.class)
        .hasMessageNotContaining("null");
  }

  @Test
  void parseItem_withTrailingCharacters_throwsFormatError() {
    assertThatThrownBy(() -> StructuredFields.parseItem("\"a\" b"))
        .isInstanceOf(SignatureFormatException.class);
  }

  private static StructuredFields.Item item(
      Map<String, StructuredFields.Member> dictionary, String key) {
    return (StructuredFields.Item) dictionary.get(key);
  }
}
