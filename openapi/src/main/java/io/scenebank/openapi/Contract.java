package io.scenebank.openapi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The v1 API contract ({@code openapi/scenebank.yaml}): the single description of the API that the
 * gateway routes and validates from, the SDK generates its models from and the docs render from.
 */
public final class Contract {

  /** Where the contract lives on the classpath. */
  public static final String RESOURCE = "/io/scenebank/openapi/scenebank.yaml";

  static final Set<String> UNCHECKED_FORMATS = Set.of("uri", "uri-reference", "email");

  static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private final JsonObject document;

  private Contract(JsonObject document) {
    this.document = document;
  }

  /** The contract packaged with this module. */
  public static Contract fromClasspath() {
    try (InputStream in = Contract.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("contract not found on the classpath: " + RESOURCE);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Contract fromFile(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses YAML (or JSON) text. Scalars keep the JSON meaning: dates stay strings and only {@code
   * true}/{@code false} are booleans (YAML 1.1 would turn an enum value {@code NO} into false).
   */
  public static Contract parse(String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(16 * 1024 * 1024);
    Yaml parser =
        new Yaml(
            new SafeConstructor(options),
            new Representer(new DumperOptions()),
            new DumperOptions(),
            options,
            new JsonScalars());
    Object root = parser.load(yaml);
    if (!(root instanceof Map)) {
      throw new IllegalArgumentException("the contract is not a YAML mapping");
    }
    return new Contract((JsonObject) toJson(root));
  }

  /** A copy of the whole document as written. */
  public JsonObject document() {
    return document.copy();
  }

  /**
   * A copy adapted to what the request validator (vertx-openapi) supports: media types it does not
   * know ({@code application/problem+json} and {@code text/csv} responses, {@code
   * application/x-www-form-urlencoded} request bodies) are removed. Responses are not validated by
   * the router, and the operations whose request body is removed here validate it themselves (see
   * {@link #selfValidatedOperations()}).
   */
  public JsonObject forValidator() {
    JsonObject copy = document.copy();
    forEachOperation(
        copy,
        (key, operation) -> {
          JsonObject body = operation.getJsonObject("requestBody");
          if (body != null && dropUnsupported(body)) {
            operation.remove("requestBody");
          }
          JsonObject responses = operation.getJsonObject("responses", new JsonObject());
          for (String status : responses.fieldNames()) {
            dropUnsupported(responses.getJsonObject(status));
          }
        });
    JsonObject shared =
        copy.getJsonObject("components", new JsonObject())
            .getJsonObject("responses", new JsonObject());
    for (String name : shared.fieldNames()) {
      dropUnsupported(shared.getJsonObject(name));
    }
    copy.remove("webhooks");
    anchorPatterns(copy);
    return copy;
  }

  /**
   * Gives every schema {@code pattern} the meaning JSON Schema gives it (ECMA-262, where {@code $}
   * is the end of the input) in Java's regular expressions, where {@code $} also matches before a
   * final line terminator — so that {@code "ORD-1\n"} does not pass {@code ^[A-Z0-9-]+$}. A {@code
   * $} that ends the pattern becomes {@code \z}; the contract lint keeps {@code $} out of every
   * other place.
   */
  static void anchorPatterns(Object node) {
    // fieldNames() is live: iterate over a copy, as a format may be removed
    if (node instanceof JsonObject object) {
      for (String name : new ArrayList<>(object.fieldNames())) {
        visit(object, name);
      }
    } else if (node instanceof JsonArray array) {
      array.forEach(Contract::anchorPatterns);
    }
  }

  private static void visit(JsonObject object, String name) {
    Object value = object.getValue(name);
    if ("pattern".equals(name) && value instanceof String pattern) {
      object.put(name, anchored(pattern));
    } else if ("format".equals(name) && UNCHECKED_FORMATS.contains(value)) {
      object.remove(name);
    } else {
      anchorPatterns(value);
    }
  }

  static String anchored(String pattern) {
    boolean escaped = pattern.endsWith("\\$") && !pattern.endsWith("\\\\$");
    return pattern.endsWith("$") && !escaped
        ? pattern.substring(0, pattern.length() - 1) + "\\z"
        : pattern;
  }

  /** Operation ids whose request body the router cannot validate, so their handlers do. */
  public List<String> selfValidatedOperations() {
    List<String> ids = new ArrayList<>();
    forEachOperation(
        document,
        (key, operation) -> {
          JsonObject content = operation.getJsonObject("requestBody", new JsonObject());
          JsonObject types = content.getJsonObject("content", new JsonObject());
          if (types.fieldNames().stream().anyMatch(t -> !MediaType.isMediaTypeSupported(t))) {
            ids.add(operation.getString("operationId"));
          }
        });
    return ids;
  }

  /** Loads the contract into vertx-openapi, which also checks it against the OpenAPI schema. */
  public Future<OpenAPIContract> load(Vertx vertx) {
    return OpenAPIContract.from(vertx, forValidator());
  }

  /** Visits every operation as ("METHOD /path", operation object). */
  public static void forEachOperation(JsonObject document, BiConsumer<String, JsonObject> visitor) {
    JsonObject paths = document.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (HTTP_METHODS.contains(method)) {
          visitor.accept(method.toUpperCase() + " " + path, item.getJsonObject(method));
        }
      }
    }
  }

  /** Removes unsupported media types; true if none is left. */
  private static boolean dropUnsupported(JsonObject holder) {
    JsonObject content = holder.getJsonObject("content");
    if (content == null) {
      return false;
    }
    for (String type : new ArrayList<>(content.fieldNames())) {
      if (!MediaType.isMediaTypeSupported(type)) {
        content.remove(type);
      }
    }
    if (content.isEmpty()) {
      holder.remove("content");
      return true;
    }
    return false;
  }

  private static Object toJson(Object yaml) {
    if (yaml instanceof Map<?, ?> map) {
      JsonObject json = new JsonObject();
      map.forEach((k, v) -> json.put(String.valueOf(k), toJson(v)));
      return json;
    }
    if (yaml instanceof List<?> list) {
      JsonArray json = new JsonArray();
      list.forEach(v -> json.add(toJson(v)));
      return json;
    }
    return yaml;
  }

  /** YAML 1.2 core scalars: no timestamps, no yes/no/on/off booleans. */
  private static final class JsonScalars extends Resolver {
    private static final Pattern BOOLEAN =
        Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");

    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOLEAN, "tTfF", 10);
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<");
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }
}
