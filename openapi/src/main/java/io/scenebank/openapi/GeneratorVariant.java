package io.scenebank.openapi;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The contract as code generators for other languages can take it (run at build time into this
 * module's jar; the gateway serves it as {@code /portal/openapi-generators.json}).
 *
 * <p>The one difference: the top-level {@code webhooks} (OpenAPI 3.1) are left out.
 * openapi-generator 7.x turns them into an API class that does not compile (TypeScript) or parse
 * (Python), and a partner's code receives webhooks rather than calling them. Their payload, the
 * {@code Event} schema, stays in {@code components}, so generated clients still have the model to
 * parse a delivery with after verifying its signature. Everything else is the contract as written.
 */
public final class GeneratorVariant {

  /** Where the variant is on the classpath. */
  public static final String RESOURCE = "/io/scenebank/openapi/scenebank-generators.json";

  static final String NOTE =
      "\n\n> This is the generator variant of the contract: the `webhooks` section is left out"
          + " (openapi-generator 7.x cannot generate it); the `Event` schema in `components` is"
          + " the payload of every webhook. The full contract is `openapi.yaml`.";

  private GeneratorVariant() {}

  /** The variant of a contract document. */
  public static JsonObject of(JsonObject contract) {
    JsonObject variant = contract.copy();
    variant.remove("webhooks");
    JsonObject info = variant.getJsonObject("info");
    info.put("description", info.getString("description", "") + NOTE);
    return variant;
  }

  /** {@code GeneratorVariant <contract.yaml> <output.json>}. */
  public static void main(String[] args) throws IOException {
    JsonObject variant = of(Contract.fromFile(Path.of(args[0])).document());
    Path out = Path.of(args[1]);
    Files.createDirectories(out.getParent());
    Files.writeString(out, variant.encodePrettily(), StandardCharsets.UTF_8);
  }
}
