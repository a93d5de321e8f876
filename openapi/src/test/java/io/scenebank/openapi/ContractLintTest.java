package io.scenebank.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractLintTest {

  private static final JsonObject DOCUMENT = Contract.fromClasspath().document();

  private static List<String> lint(JsonObject document) throws Exception {
    // JSON is YAML: parse the edited document the way the build parses the file
    return ContractLint.check(Contract.parse(document.encode()));
  }

  private static JsonObject at(JsonObject document, String pointer) {
    return (JsonObject) JsonPointer.from(pointer).queryJson(document);
  }

  @Test
  void check_theRealContract_hasNoViolations() throws Exception {
    assertThat(lint(DOCUMENT.copy())).isEmpty();
  }

  @Test
  void check_whenAnExampleIsInvalid_reportsIt() throws Exception {
    JsonObject doc = DOCUMENT.copy();
    at(doc, "/components/schemas/PatientInput/properties/phone")
        .put("examples", new JsonArray().add("not-a-phone"));

    assertThat(lint(doc))
        .anyMatch(v -> v.contains("PatientInput/properties/phone/examples/0 is invalid"));
  }

  @Test
  void check_whenHouseRulesAreBroken_reportsEachOne() throws Exception {
    JsonObject doc = DOCUMENT.copy();
    JsonObject create = at(doc, "/paths/~1v1~1care~1consents/post");
    create.remove("operationId");
    create.put(
        "parameters",
        new JsonArray(
            create.getJsonArray("parameters").stream()
                .filter(p -> !((JsonObject) p).encode().contains("IdempotencyKey"))
                .toList()));
    at(doc, "/components/schemas/CreateConsentRequest").remove("additionalProperties");
    at(doc, "/components/schemas/Money/properties/amount").put("type", "number");

    List<String> violations = lint(doc);

    assertThat(violations)
        .anyMatch(v -> v.contains("POST /v1/care/consents: operationId missing"))
        .anyMatch(v -> v.contains("header parameter Idempotency-Key is missing"))
        .anyMatch(v -> v.contains("request body must set additionalProperties: false"))
        .anyMatch(v -> v.contains("/components/schemas/Money/properties/amount: type number"));
  }

  @Test
  void check_whenADollarIsNotAtTheEndOfAPattern_reportsIt() throws Exception {
    JsonObject doc = DOCUMENT.copy();
    at(doc, "/components/schemas/PatientInput/properties/phone").put("pattern", "^(1$|2)[0-9]+$");

    assertThat(lint(doc)).anyMatch(v -> v.contains("'$' before the end"));
  }

  @Test
  void forValidator_endsEveryPatternAtTheEndOfTheInput() {
    assertThat(Contract.anchored("^[0-9]{6}$")).isEqualTo("^[0-9]{6}\\z");
    assertThat(Contract.anchored("^https?://")).isEqualTo("^https?://");
    assertThat(Contract.anchored("^a\\$")).isEqualTo("^a\\$");
    List<String> patterns = new ArrayList<>();
    collectPatterns(Contract.fromClasspath().forValidator(), patterns);
    assertThat(patterns).hasSizeGreaterThan(100).noneMatch(p -> p.endsWith("$"));
    assertThat(patterns).contains("^[0-9]{6}\\z");
  }

  private static void collectPatterns(Object node, List<String> out) {
    if (node instanceof JsonObject object) {
      object.forEach(
          e -> {
            if (e.getKey().equals("pattern") && e.getValue() instanceof String p) {
              out.add(p);
            } else {
              collectPatterns(e.getValue(), out);
            }
          });
    } else if (node instanceof JsonArray array) {
      array.forEach(v -> collectPatterns(v, out));
    }
  }

  @Test
  void check_whenTheValidatorCannotLoadIt_reportsWhy() throws Exception {
    JsonObject doc = DOCUMENT.copy();
    at(doc, "/paths/~1v1~1care~1consents~1{consent_id}/get")
        .put("parameters", new JsonArray().add(new JsonObject().put("name", "consent_id")));

    assertThat(lint(doc)).anyMatch(v -> v.startsWith("does not load into the validator"));
  }
}
