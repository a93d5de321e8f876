package io.scenebank.openapi;

import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks JSON values against the schemas of the contract as written (all media types, including
 * {@code application/problem+json}): the lint checks examples with it and the tests check every
 * response the gateway sends.
 */
public final class ContractSchemas {

  private static final String BASE = "app:///scenebank.json";

  private final JsonObject document;
  private final SchemaRepository repository;
  private final Map<String, String> operations = new HashMap<>();

  public ContractSchemas(Contract contract) {
    this.document = contract.document();
    this.repository =
        SchemaRepository.create(
            new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012)
                .setBaseUri(BASE)
                .setOutputFormat(OutputFormat.Basic));
    repository.dereference(BASE, JsonSchema.of(contract.document()));
    Contract.forEachOperation(
        document,
        (key, operation) -> {
          int space = key.indexOf(' ');
          String pointer =
              "/paths/"
                  + escape(key.substring(space + 1))
                  + "/"
                  + key.substring(0, space).toLowerCase();
          operations.put(operation.getString("operationId"), pointer);
        });
  }

  /**
   * Validates a value against the schema at a JSON pointer into the contract, e.g. {@code
   * /components/schemas/Problem}. Returns the errors, empty when the value is valid.
   */
  public List<String> errors(String schemaPointer, Object value) {
    if (query(schemaPointer) == null) {
      throw new IllegalArgumentException("no schema at " + schemaPointer);
    }
    OutputUnit result = repository.validator(BASE + "#" + schemaPointer).validate(value);
    List<String> errors = new ArrayList<>();
    if (Boolean.TRUE.equals(result.getValid())) {
      return errors;
    }
    if (result.getErrors() == null || result.getErrors().isEmpty()) {
      errors.add(String.valueOf(result.getError()));
    } else {
      for (OutputUnit unit : result.getErrors()) {
        errors.add(unit.getInstanceLocation() + ": " + unit.getError());
      }
    }
    return errors;
  }

  /**
   * Validates a response body against what the contract declares for the operation, status and
   * media type. Fails if the contract declares no such response at all.
   */
  public List<String> responseErrors(
      String operationId, int status, String mediaType, Object body) {
    String pointer = responseSchemaPointer(operationId, status, mediaType);
    if (pointer == null) {
      return List.of(
          "the contract declares no "
              + mediaType
              + " response "
              + status
              + " for operation "
              + operationId);
    }
    return errors(pointer, body);
  }

  /** The pointer to the response schema, or null if the contract declares none. */
  String responseSchemaPointer(String operationId, int status, String mediaType) {
    String operationPointer = operations.get(operationId);
    if (operationPointer == null) {
      throw new IllegalArgumentException("no operation " + operationId);
    }
    JsonObject responses = (JsonObject) query(operationPointer + "/responses");
    String code = String.valueOf(status);
    String range = status / 100 + "XX";
    String chosen =
        responses.containsKey(code)
            ? code
            : responses.containsKey(range)
                ? range
                : responses.containsKey("default") ? "default" : null;
    if (chosen == null) {
      return null;
    }
    String responsePointer = operationPointer + "/responses/" + chosen;
    String ref = responses.getJsonObject(chosen).getString("$ref");
    if (ref != null) {
      responsePointer = ref.substring(1);
    }
    JsonObject content =
        ((JsonObject) query(responsePointer)).getJsonObject("content", new JsonObject());
    return content.containsKey(mediaType)
        ? responsePointer + "/content/" + escape(mediaType) + "/schema"
        : null;
  }

  private Object query(String pointer) {
    return JsonPointer.from(pointer).queryJson(document);
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
