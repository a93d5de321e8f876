package io.scenebank.openapi;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The contract's lint: it must load into the validator the gateway uses (which checks it against
 * the OpenAPI 3.1 schema), follow the house rules, and every example in it must be valid. Run by
 * the build (process-test-classes), so an invalid contract fails the build even with -DskipTests.
 */
public final class ContractLint {

  private final Contract contract;
  private final JsonObject document;
  private final List<String> violations = new ArrayList<>();

  private ContractLint(Contract contract) {
    this.contract = contract;
    this.document = contract.document();
  }

  public static void main(String[] args) throws Exception {
    Contract contract = Contract.fromFile(Path.of(args[0]));
    List<String> violations = check(contract);
    if (!violations.isEmpty()) {
      violations.forEach(v -> System.err.println("contract: " + v));
      throw new IllegalStateException(violations.size() + " contract violation(s); see above");
    }
    System.out.println("contract: OK (" + operationCount(contract) + " operations)");
  }

  static int operationCount(Contract contract) {
    int[] count = {0};
    Contract.forEachOperation(contract.document(), (key, op) -> count[0]++);
    return count[0];
  }

  /** All violations, empty when the contract is good. */
  public static List<String> check(Contract contract) throws Exception {
    ContractLint lint = new ContractLint(contract);
    lint.loadsIntoValidator();
    lint.operations();
    lint.noFloatingPoint(lint.document, "");
    lint.patternsEndAnchored(lint.document, "");
    lint.examples(lint.document, "", "", new ContractSchemas(contract));
    return lint.violations;
  }

  private void loadsIntoValidator() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      contract
          .load(vertx)
          .toCompletionStage()
          .toCompletableFuture()
          .handle(
              (ok, failure) -> {
                if (failure != null) {
                  Throwable cause = failure.getCause() == null ? failure : failure.getCause();
                  violations.add(
                      "does not load into the validator: " + failure.getMessage() + " / " + cause);
                }
                return null;
              })
          .get(60, TimeUnit.SECONDS);
    } finally {
      vertx.close().await();
    }
  }

  private void operations() {
    Set<String> ids = new HashSet<>();
    Contract.forEachOperation(
        document,
        (key, op) -> {
          String id = op.getString("operationId");
          if (id == null || !id.matches("[a-z][A-Za-z0-9]*")) {
            violations.add(key + ": operationId missing or not lowerCamelCase");
          } else if (!ids.add(id)) {
            violations.add(key + ": duplicate operationId " + id);
          }
          if (op.getString("summary", "").isBlank()) {
            violations.add(key + ": no summary");
          }
          if (op.getJsonArray("tags", new JsonArray()).isEmpty()) {
            violations.add(key + ": no tags");
          }
          if (!declaresProblems(op)) {
            violations.add(key + ": no application/problem+json error response");
          }
          String path = key.substring(key.indexOf(' ') + 1);
          JsonArray security = op.getJsonArray("security", document.getJsonArray("security"));
          boolean isPublic = security == null || security.isEmpty();
          if (path.startsWith("/v1/")) {
            if (isPublic) {
              violations.add(key + ": /v1 operations need the oauth2 security requirement");
            }
            requireHeader(key, op, "Signature-Input");
            requireHeader(key, op, "Signature");
            if (key.startsWith("POST ")) {
              requireHeader(key, op, "Idempotency-Key");
            }
            if (op.containsKey("requestBody")) {
              requireHeader(key, op, "Content-Digest");
            }
          }
          for (Object p : op.getJsonArray("parameters", new JsonArray())) {
            JsonObject param = resolve((JsonObject) p);
            Object type = param.getJsonObject("schema", new JsonObject()).getValue("type");
            if (!"string".equals(type) && !"integer".equals(type) && !"boolean".equals(type)) {
              violations.add(
                  key
                      + ": parameter "
                      + param.getString("name")
                      + " must be a string, integer or boolean");
            }
          }
          JsonObject json =
              resolve(op.getJsonObject("requestBody", new JsonObject()))
                  .getJsonObject("content", new JsonObject())
                  .getJsonObject("application/json");
          if (json != null) {
            JsonObject schema = resolve(json.getJsonObject("schema", new JsonObject()));
            if ("object".equals(schema.getValue("type"))
                && !Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
              violations.add(key + ": request body must set additionalProperties: false");
            }
          }
        });
  }

  private boolean declaresProblems(JsonObject op) {
    JsonObject responses = op.getJsonObject("responses", new JsonObject());
    for (String status : responses.fieldNames()) {
      if (status.startsWith("2")) {
        continue;
      }
      JsonObject content = resolve(responses.getJsonObject(status)).getJsonObject("content");
      if (content != null
          && (content.containsKey("application/problem+json")
              || content.containsKey("application/json"))) {
        return true;
      }
    }
    return false;
  }

  private void requireHeader(String key, JsonObject op, String name) {
    for (Object p : op.getJsonArray("parameters", new JsonArray())) {
      JsonObject param = resolve((JsonObject) p);
      if ("header".equals(param.getString("in"))
          && name.equalsIgnoreCase(param.getString("name"))) {
        if (!param.getBoolean("required", false)) {
          violations.add(key + ": header " + name + " must be required");
        }
        return;
      }
    }
    violations.add(key + ": header parameter " + name + " is missing");
  }

  /** Amounts are integer minor units: the contract has no floating-point numbers at all. */
  private void noFloatingPoint(Object node, String pointer) {
    if (node instanceof JsonObject object) {
      Object type = object.getValue("type");
      if ("number".equals(type) || (type instanceof JsonArray a && a.contains("number"))) {
        violations.add(pointer + ": type number (money and counts are integers)");
      }
      for (String field : object.fieldNames()) {
        noFloatingPoint(object.getValue(field), pointer + "/" + escape(field));
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        noFloatingPoint(array.getValue(i), pointer + "/" + i);
      }
    }
  }

  /**
   * A {@code $} in a pattern may only end it (where the validator reads it as the end of the input,
   * see {@code Contract.anchorPatterns}); elsewhere Java would let it match before a final newline.
   */
  private void patternsEndAnchored(Object node, String pointer) {
    if (node instanceof JsonObject object) {
      for (String field : object.fieldNames()) {
        Object value = object.getValue(field);
        if (field.equals("pattern") && value instanceof String pattern) {
          String body =
              pattern.endsWith("$") ? pattern.substring(0, pattern.length() - 1) : pattern;
          if (body.replace("\\$", "").contains("$")) {
            violations.add(pointer + "/pattern: '$' before the end of " + pattern);
          }
        } else {
          patternsEndAnchored(value, pointer + "/" + escape(field));
        }
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        patternsEndAnchored(array.getValue(i), pointer + "/" + i);
      }
    }
  }

  /** Every example, wherever it is, must be valid against the schema it illustrates. */
  private void examples(Object node, String pointer, String key, ContractSchemas schemas) {
    // in a map of names (properties, responses, ...) "example" is a name, not the keyword
    boolean namesMap = key.equals("properties") || key.equals("patternProperties");
    if (node instanceof JsonObject object) {
      if (!namesMap && !pointer.startsWith("/components/examples")) {
        checkExamples(object, pointer, schemas);
      }
      for (String field : object.fieldNames()) {
        if (!namesMap && (field.equals("example") || field.equals("examples"))) {
          continue;
        }
        examples(object.getValue(field), pointer + "/" + escape(field), field, schemas);
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        examples(array.getValue(i), pointer + "/" + i, "", schemas);
      }
    }
  }

  private void checkExamples(JsonObject object, String pointer, ContractSchemas schemas) {
    boolean hasSchema = object.getValue("schema") instanceof JsonObject;
    String schemaPointer = hasSchema ? pointer + "/schema" : pointer;
    if (object.containsKey("example")) {
      report(pointer + "/example", schemas.errors(schemaPointer, object.getValue("example")));
    }
    Object examples = object.getValue("examples");
    if (examples instanceof JsonArray array && !hasSchema) {
      for (int i = 0; i < array.size(); i++) {
        report(pointer + "/examples/" + i, schemas.errors(schemaPointer, array.getValue(i)));
      }
    } else if (examples instanceof JsonObject named && hasSchema) {
      for (String name : named.fieldNames()) {
        JsonObject example = resolve(named.getJsonObject(name));
        if (example.containsKey("value")) {
          report(
              pointer + "/examples/" + escape(name),
              schemas.errors(schemaPointer, example.getValue("value")));
        }
      }
    }
  }

  private void report(String where, List<String> errors) {
    for (String error : errors) {
      violations.add("example " + where + " is invalid: " + error);
    }
  }

  private JsonObject resolve(JsonObject node) {
    String ref = node.getString("$ref");
    if (ref == null) {
      return node;
    }
    if (!ref.startsWith("#/")) {
      violations.add("non-local $ref " + ref);
      return new JsonObject();
    }
    Object target = JsonPointer.from(ref.substring(1)).queryJson(document);
    if (!(target instanceof JsonObject object)) {
      violations.add("dangling $ref " + ref);
      return new JsonObject();
    }
    return resolve(object);
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
