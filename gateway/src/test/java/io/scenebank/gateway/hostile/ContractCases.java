package io.scenebank.gateway.hostile;

import io.scenebank.gateway.hostile.HostileCase.Expect;
import io.scenebank.gateway.hostile.HostileCase.Tamper;
import io.scenebank.openapi.Contract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads every operation under {@code /v1} from the contract and makes its hostile requests: a valid
 * base request (the contract's example body, real ids where the test has them), then one change at
 * a time to a body field, the encoding, a query or path parameter or a header. What the gateway
 * must answer follows from the contract's own rules (its "Conventions": strict JSON, no control
 * characters or unpaired surrogates in any string, whole-value patterns, unknown fields rejected).
 */
final class ContractCases {

  private static final String JSON = "application/json";

  /** The 401 codes the contract lists for a failed signature check. */
  static final String[] SIGNATURE_CODES = {
    "signature_missing",
    "signature_input_invalid",
    "signature_invalid",
    "component_missing",
    "digest_missing",
    "digest_mismatch",
    "created_out_of_window",
    "nonce_missing",
    "nonce_replayed",
    "key_unknown",
    "key_revoked",
    "key_expired",
    "algorithm_not_allowed",
    "token_key_mismatch"
  };

  /** Control characters the contract forbids in any string (U+0000–U+001F, U+007F–U+009F). */
  private static final Map<String, String> CONTROLS = new LinkedHashMap<>();

  static {
    CONTROLS.put("NUL inside", "a\u0000b");
    CONTROLS.put("NUL alone", "\u0000");
    CONTROLS.put("U+0001 inside", "a\u0001b");
    CONTROLS.put("backspace", "a\bb");
    CONTROLS.put("tab", "a\tb");
    CONTROLS.put("ESC", "a\u001bb");
    CONTROLS.put("U+001F", "a\u001fb");
    CONTROLS.put("DEL", "a\u007fb");
    CONTROLS.put("U+0085 NEL", "a\u0085b");
    CONTROLS.put("U+009F", "a\u009fb");
  }

  /** Metadata keys outside {@code [A-Za-z0-9_.-]{1,40}}. */
  private static final Map<String, String> BAD_KEYS = new LinkedHashMap<>();

  static {
    BAD_KEYS.put("empty key", "");
    BAD_KEYS.put("41-char key", "k".repeat(41));
    BAD_KEYS.put("key with space", "a b");
    BAD_KEYS.put("key with trailing \\n", "ab\n");
    BAD_KEYS.put("key with NUL", "a\u0000b");
    BAD_KEYS.put("key with slash", "a/b");
    BAD_KEYS.put("key with colon", "a:b");
    BAD_KEYS.put("key with $", "$where");
    BAD_KEYS.put("cyrillic key", "ключ");
    BAD_KEYS.put("emoji key", "\uD83D\uDE00");
    BAD_KEYS.put("lone surrogate key", "a\ud800");
    BAD_KEYS.put("RTL override key", "a\u202eb");
  }

  private final JsonObject document;
  private final Map<String, String> realIds;
  private final List<HostileCase> cases = new ArrayList<>();
  private final List<String> operations = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();

  /**
   * @param realIds ids of resources the test made, by prefix ({@code "cl_"} → a real credit line);
   *     they replace the contract's example ids in paths and bodies
   */
  ContractCases(Contract contract, Map<String, String> realIds) {
    this.document = contract.document();
    this.realIds = realIds;
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      if (!path.startsWith("/v1/")) {
        // not the API of signed app requests: health, OAuth, JWKS, metadata, sandbox signup
        continue;
      }
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (Set.of("get", "put", "post", "delete", "patch").contains(method)) {
          operation(path, method.toUpperCase(), item, item.getJsonObject(method));
        }
      }
    }
  }

  List<HostileCase> cases() {
    return cases;
  }

  List<String> operations() {
    return operations;
  }

  List<String> skipped() {
    return skipped;
  }

  // ---------------------------------------------------------------- operations

  private record Op(
      String id,
      String method,
      boolean operator,
      String pathTemplate,
      Map<String, String> pathValues,
      List<JsonObject> query,
      JsonObject bodySchema,
      Object baseBody) {

    String path(Map<String, String> override) {
      String path = pathTemplate;
      for (Map.Entry<String, String> e : pathValues.entrySet()) {
        String value = override.getOrDefault(e.getKey(), e.getValue());
        path = path.replace("{" + e.getKey() + "}", value);
      }
      return path;
    }

    String path() {
      return path(Map.of());
    }
  }

  private void operation(String path, String method, JsonObject item, JsonObject operation) {
    String id = operation.getString("operationId");
    JsonArray security = operation.getJsonArray("security", document.getJsonArray("security"));
    if (security == null || security.isEmpty() || security.getJsonObject(0).isEmpty()) {
      skipped.add(id + ": not secured, so no signed app request reaches it as such");
      return;
    }
    boolean operator = security.encode().contains("\"operator\"");
    List<JsonObject> parameters = new ArrayList<>();
    for (Object p : item.getJsonArray("parameters", new JsonArray())) {
      parameters.add(resolve((JsonObject) p));
    }
    for (Object p : operation.getJsonArray("parameters", new JsonArray())) {
      parameters.add(resolve((JsonObject) p));
    }
    Map<String, String> pathValues = new LinkedHashMap<>();
    List<JsonObject> query = new ArrayList<>();
    for (JsonObject p : parameters) {
      if ("path".equals(p.getString("in"))) {
        Object example = p.getValue("example");
        if (example == null) {
          example = synth(resolve(p.getJsonObject("schema")), 0);
        }
        pathValues.put(p.getString("name"), realId(String.valueOf(example)));
      } else if ("query".equals(p.getString("in"))) {
        query.add(p);
      }
    }
    JsonObject bodySchema = null;
    Object baseBody = null;
    JsonObject requestBody = operation.getJsonObject("requestBody");
    if (requestBody != null) {
      requestBody = resolve(requestBody);
      JsonObject media = requestBody.getJsonObject("content").getJsonObject(JSON);
      if (media == null) {
        skipped.add(id + ": its body is not JSON, which this suite's body cases assume");
      } else {
        bodySchema = resolve(media.getJsonObject("schema"));
        JsonObject examples = media.getJsonObject("examples");
        if (examples != null && !examples.isEmpty()) {
          JsonObject first =
              resolve(examples.getJsonObject(examples.fieldNames().iterator().next()));
          baseBody = Json.copy(first.getValue("value"));
        } else if (media.containsKey("example")) {
          baseBody = Json.copy(media.getValue("example"));
        } else {
          baseBody = synth(bodySchema, 0);
        }
        baseBody = withRealIds(baseBody);
      }
    }
    Op op = new Op(id, method, operator, path, pathValues, query, bodySchema, baseBody);
    operations.add(id);
    baseline(op);
    if (bodySchema != null) {
      bodyCases(op);
      encodingCases(op);
    }
    queryCases(op);
    pathCases(op);
    headerCases(op);
  }

  // ---------------------------------------------------------------- case builders

  private void add(
      Op op,
      String category,
      String name,
      String target,
      Supplier<byte[]> body,
      String contentType,
      List<String[]> headers,
      EnumSet<Tamper> tamper,
      Expect expect) {
    cases.add(
        new HostileCase(
            op.id(),
            op.operator(),
            category,
            name,
            op.method(),
            target,
            body,
            contentType,
            headers,
            tamper,
            expect));
  }

  private void body(Op op, String category, String name, Object body, Expect expect) {
    add(
        op,
        category,
        name,
        op.path(),
        () -> Json.write(body).getBytes(StandardCharsets.UTF_8),
        JSON,
        List.of(),
        EnumSet.noneOf(Tamper.class),
        expect);
  }

  private void rawBody(
      Op op, String category, String name, byte[] body, String contentType, Expect expect) {
    rawBody(op, category, name, () -> body, contentType, expect);
  }

  private void rawBody(
      Op op,
      String category,
      String name,
      Supplier<byte[]> body,
      String contentType,
      Expect expect) {
    add(
        op,
        category,
        name,
        op.path(),
        body,
        contentType,
        List.of(),
        EnumSet.noneOf(Tamper.class),
        expect);
  }

  private Supplier<byte[]> baseBytes(Op op) {
    Object base = op.baseBody();
    return base == null ? null : () -> Json.write(base).getBytes(StandardCharsets.UTF_8);
  }

  private void baseline(Op op) {
    add(
        op,
        "baseline",
        "the contract's example request",
        op.path(),
        baseBytes(op),
        op.baseBody() == null ? null : JSON,
        List.of(),
        EnumSet.noneOf(Tamper.class),
        Expect.MAY_ACCEPT);
  }

  // ---------------------------------------------------------------- body fields

  private void bodyCases(Op op) {
    for (Object whole : new Object[] {List.of(), "body", 1, true, null}) {
      body(op, "body.type", "whole body is " + Json.write(whole), whole, Expect.validation());
    }
    walk(op, op.bodySchema(), List.of(), op.baseBody(), 0);
  }

  private void walk(Op op, JsonObject schema, List<Object> at, Object value, int depth) {
    if (depth > 6) {
      return;
    }
    String type = schema.getString("type", "");
    String where = at.isEmpty() ? "/" : pointer(at);
    switch (type) {
      case "object" -> objectCases(op, schema, at, value, depth, where);
      case "array" -> arrayCases(op, schema, at, value, depth, where);
      case "string" -> stringCases(op, schema, at, value instanceof String s ? s : null, where);
      case "integer" -> integerCases(op, schema, at, where);
      case "boolean" -> {
        for (Object wrong : new Object[] {"true", 1, null}) {
          set(op, "body.type", where + " = " + Json.write(wrong), at, wrong, Expect.validation());
        }
      }
      default -> {}
    }
  }

  private void objectCases(
      Op op, JsonObject schema, List<Object> at, Object value, int depth, String where) {
    Map<?, ?> map = value instanceof Map<?, ?> m ? m : Map.of();
    if (!at.isEmpty()) {
      for (Object wrong : new Object[] {"x", List.of(), 1, null}) {
        set(op, "body.type", where + " = " + Json.write(wrong), at, wrong, Expect.validation());
      }
    }
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    Object additional = schema.getValue("additionalProperties");
    // the contract's bodies are strict: an undeclared member is refused even without
    // "additionalProperties: false"
    if (Boolean.FALSE.equals(additional) || (!properties.isEmpty() && additional == null)) {
      List<Object> unknown = append(at, "hostile_unknown_field");
      set(op, "body.unknown", where + " has an unknown member", unknown, 1, Expect.validation());
    }
    for (Object required : schema.getJsonArray("required", new JsonArray())) {
      remove(op, where + " without required " + required, append(at, required));
    }
    for (String name : properties.fieldNames()) {
      JsonObject property = resolve(properties.getJsonObject(name));
      Object current = map.get(name);
      Op within = op;
      if (current == null) {
        // an optional member the example leaves out: change it inside a valid value of its own
        current = synth(property, 0);
        if (current instanceof Map<?, ?> || current instanceof List<?>) {
          Object base = put(Json.copy(op.baseBody()), append(at, name), 0, Json.copy(current));
          within =
              new Op(
                  op.id(),
                  op.method(),
                  op.operator(),
                  op.pathTemplate(),
                  op.pathValues(),
                  op.query(),
                  op.bodySchema(),
                  base);
        }
      }
      walk(within, property, append(at, name), current, depth + 1);
    }
    if (additional instanceof JsonObject valueSchema) {
      metadataCases(op, schema, resolve(valueSchema), at, where);
    }
  }

  private void metadataCases(
      Op op, JsonObject schema, JsonObject valueSchema, List<Object> at, String where) {
    for (Map.Entry<String, String> bad : BAD_KEYS.entrySet()) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put(bad.getValue(), "v");
      set(op, "body.metadata", where + " " + bad.getKey(), at, map, Expect.validation());
    }
    Map<String, Object> longest = new LinkedHashMap<>();
    longest.put("k".repeat(40), "v");
    longest.put("a.b-c_D9", "v");
    set(op, "body.metadata", where + " keys at the edge", at, longest, Expect.MAY_ACCEPT);
    Integer maxProperties = schema.getInteger("maxProperties");
    if (maxProperties != null) {
      for (int n : new int[] {maxProperties, maxProperties + 1}) {
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          many.put("k" + i, "v");
        }
        set(
            op,
            "body.bounds",
            where + " with " + n + " members (maxProperties " + maxProperties + ")",
            at,
            many,
            n > maxProperties ? Expect.validation() : Expect.MAY_ACCEPT);
      }
    }
    if ("string".equals(valueSchema.getString("type"))) {
      stringCases(op, valueSchema, append(at, "hostile_key"), "v", where + "/hostile_key");
    }
  }

  private void arrayCases(
      Op op, JsonObject schema, List<Object> at, Object value, int depth, String where) {
    for (Object wrong : new Object[] {"x", Map.of(), 1, null}) {
      set(op, "body.type", where + " = " + Json.write(wrong), at, wrong, Expect.validation());
    }
    JsonObject items = resolve(schema.getJsonObject("items", new JsonObject()));
    Object item =
        value instanceof List<?> l && !l.isEmpty() ? Json.copy(l.get(0)) : synth(items, 0);
    Integer maxItems = schema.getInteger("maxItems");
    Integer minItems = schema.getInteger("minItems");
    if (maxItems != null) {
      set(
          op,
          "body.bounds",
          where + " with maxItems (" + maxItems + ")",
          at,
          copies(item, maxItems),
          Expect.MAY_ACCEPT);
      set(
          op,
          "body.bounds",
          where + " with maxItems+1 (" + (maxItems + 1) + ")",
          at,
          copies(item, maxItems + 1),
          Expect.validation());
    }
    if (minItems != null && minItems > 0) {
      set(
          op,
          "body.bounds",
          where + " with minItems-1 (" + (minItems - 1) + ")",
          at,
          copies(item, minItems - 1),
          Expect.validation());
    }
    walk(op, items, append(at, 0), item, depth + 1);
  }

  private static List<Object> copies(Object item, int n) {
    List<Object> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(Json.copy(item));
    }
    return list;
  }

  private void stringCases(Op op, JsonObject schema, List<Object> at, String value, String where) {
    String v = value != null ? value : "x";
    for (Object wrong : new Object[] {12345, true, null, List.of(v), Map.of("v", v)}) {
      set(op, "body.type", where + " = " + Json.write(wrong), at, wrong, Expect.validation());
    }
    // control characters: forbidden in every string, patterned or not
    for (Map.Entry<String, String> c : CONTROLS.entrySet()) {
      set(op, "body.control", where + " " + c.getKey(), at, c.getValue(), Expect.validation());
    }
    set(op, "body.control", where + " value+NUL", at, v + "\u0000", Expect.validation());
    set(op, "body.newline", where + " value+\\n", at, v + "\n", Expect.validation());
    set(op, "body.newline", where + " value+\\r\\n", at, v + "\r\n", Expect.validation());
    set(op, "body.newline", where + " \\n+value", at, "\n" + v, Expect.validation());
    set(op, "body.newline", where + " value+\\r", at, v + "\r", Expect.validation());
    // unicode edge cases
    set(op, "body.unicode", where + " lone high surrogate", at, v + "\ud800", Expect.validation());
    set(op, "body.unicode", where + " lone low surrogate", at, v + "\udc00", Expect.validation());
    unicode(op, schema, at, where + " U+FFFF", v + "\uffff");
    unicode(op, schema, at, where + " RTL override", v + "\u202e");
    unicode(op, schema, at, where + " 4-byte emoji", v + "\uD83D\uDE00");
    unicode(op, schema, at, where + " zero-width joiner", v + "\u200d");
    // lengths
    Integer min = schema.getInteger("minLength");
    Integer max = schema.getInteger("maxLength");
    if (min != null && min > 0) {
      set(op, "body.bounds", where + " minLength-1", at, "a".repeat(min - 1), Expect.validation());
      set(op, "body.bounds", where + " minLength", at, "a".repeat(min), Expect.MAY_ACCEPT);
    }
    if (max != null) {
      set(op, "body.bounds", where + " maxLength", at, "a".repeat(max), Expect.MAY_ACCEPT);
      set(op, "body.bounds", where + " maxLength+1", at, "a".repeat(max + 1), Expect.validation());
    }
    boolean bounded = max != null || schema.containsKey("pattern") || schema.containsKey("enum");
    set(
        op,
        "body.huge",
        where + " 70,000 chars",
        at,
        "a".repeat(70_000),
        bounded ? Expect.validation() : Expect.MAY_ACCEPT);
    JsonArray values = schema.getJsonArray("enum");
    if (values != null) {
      String first = String.valueOf(values.getValue(0));
      set(op, "body.enum", where + " enum value+space", at, first + " ", Expect.validation());
      set(op, "body.enum", where + " unknown enum value", at, "NOT_A_VALUE", Expect.validation());
      if (!values.contains(first.toLowerCase())) {
        set(
            op,
            "body.enum",
            where + " enum lower case",
            at,
            first.toLowerCase(),
            Expect.validation());
      }
    }
  }

  /** A valid but rare character: refused only if the field's constraints refuse it. */
  private void unicode(Op op, JsonObject schema, List<Object> at, String name, String value) {
    set(
        op,
        "body.unicode",
        name,
        at,
        value,
        allows(schema, value) ? Expect.MAY_ACCEPT : Expect.validation());
  }

  private static boolean allows(JsonObject schema, String value) {
    JsonArray values = schema.getJsonArray("enum");
    if (values != null && !values.contains(value)) {
      return false;
    }
    if (schema.containsKey("const") && !value.equals(schema.getValue("const"))) {
      return false;
    }
    Integer max = schema.getInteger("maxLength");
    if (max != null && value.codePointCount(0, value.length()) > max) {
      return false;
    }
    String format = schema.getString("format");
    if ("date".equals(format) || "date-time".equals(format)) {
      return false;
    }
    String pattern = schema.getString("pattern");
    if (pattern != null) {
      // ECMA-262 "$" is the end of input; in Java it also matches before a final newline
      String java =
          pattern.endsWith("$") ? pattern.substring(0, pattern.length() - 1) + "\\z" : pattern;
      Matcher m = Pattern.compile(java).matcher(value);
      return m.find();
    }
    return true;
  }

  private void integerCases(Op op, JsonObject schema, List<Object> at, String where) {
    for (Object wrong : new Object[] {"1", 1.5, true, null, List.of(1), Map.of()}) {
      set(op, "body.type", where + " = " + Json.write(wrong), at, wrong, Expect.validation());
    }
    Long min = schema.getLong("minimum");
    Long max = schema.getLong("maximum");
    if (min != null) {
      set(op, "body.bounds", where + " minimum-1", at, min - 1, Expect.validation());
      set(op, "body.bounds", where + " minimum", at, min, Expect.MAY_ACCEPT);
    }
    if (max != null) {
      set(op, "body.bounds", where + " maximum", at, max, Expect.MAY_ACCEPT);
      set(op, "body.bounds", where + " maximum+1", at, max + 1, Expect.validation());
      set(
          op,
          "body.bounds",
          where + " 2^63",
          at,
          new Json.Raw("9223372036854775808"),
          Expect.validation());
      set(op, "body.bounds", where + " 1e400", at, new Json.Raw("1e400"), Expect.validation());
    }
  }

  private void set(Op op, String category, String name, List<Object> at, Object value, Expect e) {
    Object base = op.baseBody();
    add(
        op,
        category,
        name,
        op.path(),
        () -> Json.write(put(Json.copy(base), at, 0, value)).getBytes(StandardCharsets.UTF_8),
        JSON,
        List.of(),
        EnumSet.noneOf(Tamper.class),
        e);
  }

  private void remove(Op op, String name, List<Object> at) {
    Object body = Json.copy(op.baseBody());
    Object parent = body;
    for (int i = 0; i < at.size() - 1; i++) {
      parent = child(parent, at.get(i));
      if (parent == null) {
        return;
      }
    }
    if (parent instanceof Map<?, ?> m && m.containsKey(at.get(at.size() - 1))) {
      m.remove(at.get(at.size() - 1));
      body(op, "body.required", name, body, Expect.validation());
    }
  }

  private static Object child(Object parent, Object key) {
    if (parent instanceof Map<?, ?> m) {
      return m.get(key);
    }
    if (parent instanceof List<?> l && key instanceof Integer i && i < l.size()) {
      return l.get(i);
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Object put(Object node, List<Object> at, int i, Object value) {
    if (i == at.size()) {
      return value;
    }
    Object key = at.get(i);
    if (key instanceof Integer index) {
      List<Object> list = node instanceof List<?> l ? (List<Object>) l : new ArrayList<>();
      while (list.size() <= index) {
        list.add(null);
      }
      list.set(index, put(list.get(index), at, i + 1, value));
      return list;
    }
    Map<String, Object> map =
        node instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    map.put((String) key, put(map.get(key), at, i + 1, value));
    return map;
  }

  private static List<Object> append(List<Object> at, Object key) {
    List<Object> next = new ArrayList<>(at);
    next.add(key);
    return next;
  }

  private static String pointer(List<Object> at) {
    StringBuilder sb = new StringBuilder();
    for (Object k : at) {
      sb.append('/').append(k);
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- encodings and structure

  private void encodingCases(Op op) {
    String base = Json.write(op.baseBody());
    byte[] utf8 = base.getBytes(StandardCharsets.UTF_8);
    boolean object = base.startsWith("{") && base.length() > 2;
    rawBody(
        op,
        "encoding",
        "/* comment */ before the body",
        concat("/* c */".getBytes(), utf8),
        JSON,
        Expect.malformed());
    if (object) {
      rawBody(
          op,
          "encoding",
          "/* comment */ inside the object",
          ("{/* c */" + base.substring(1)).getBytes(StandardCharsets.UTF_8),
          JSON,
          Expect.malformed());
      rawBody(
          op,
          "encoding",
          "// comment inside the object",
          ("{// c\n" + base.substring(1)).getBytes(StandardCharsets.UTF_8),
          JSON,
          Expect.malformed());
      String firstMember = firstMember(op.baseBody());
      if (firstMember != null) {
        rawBody(
            op,
            "encoding",
            "duplicate key",
            ("{" + firstMember + "," + base.substring(1)).getBytes(StandardCharsets.UTF_8),
            JSON,
            Expect.malformed());
      }
      rawBody(
          op,
          "encoding",
          "trailing comma",
          (base.substring(0, base.length() - 1) + ",}").getBytes(StandardCharsets.UTF_8),
          JSON,
          Expect.malformed());
      rawBody(
          op,
          "encoding",
          "single-quoted key",
          ("{'hostile':1," + base.substring(1)).getBytes(StandardCharsets.UTF_8),
          JSON,
          Expect.malformed());
      rawBody(
          op,
          "encoding",
          "raw control byte in a string",
          ("{\"hostile\":\"a\u0001b\"," + base.substring(1)).getBytes(StandardCharsets.UTF_8),
          JSON,
          Expect.malformed());
      rawBody(
          op,
          "encoding",
          "raw NUL byte in a string",
          ("{\"hostile\":\"a\u0000b\"," + base.substring(1)).getBytes(StandardCharsets.UTF_8),
          JSON,
          Expect.malformed());
      byte[] invalidUtf8 =
          concat(
              "{\"hostile\":\"a".getBytes(),
              new byte[] {(byte) 0xC3, 0x28},
              ("\"," + base.substring(1)).getBytes(StandardCharsets.UTF_8));
      rawBody(op, "encoding", "invalid UTF-8 in a string", invalidUtf8, JSON, Expect.malformed());
      byte[] overlong =
          concat(
              "{\"hostile\":\"a".getBytes(),
              new byte[] {(byte) 0xC0, (byte) 0xAF},
              ("\"," + base.substring(1)).getBytes(StandardCharsets.UTF_8));
      rawBody(op, "encoding", "overlong UTF-8 in a string", overlong, JSON, Expect.malformed());
      byte[] cesu =
          concat(
              "{\"hostile\":\"a".getBytes(),
              new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
              ("\"," + base.substring(1)).getBytes(StandardCharsets.UTF_8));
      rawBody(
          op, "encoding", "UTF-8-encoded surrogate in a string", cesu, JSON, Expect.malformed());
    }
    rawBody(
        op,
        "encoding",
        "UTF-8 byte-order mark",
        concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8),
        JSON,
        Expect.malformed());
    rawBody(op, "encoding", "UTF-16LE with BOM", utf16(base, true, true), JSON, Expect.malformed());
    rawBody(
        op,
        "encoding",
        "UTF-16BE without BOM",
        utf16(base, false, false),
        JSON,
        Expect.malformed());
    rawBody(
        op,
        "encoding",
        "UTF-32BE",
        base.getBytes(java.nio.charset.Charset.forName("UTF-32BE")),
        JSON,
        Expect.malformed());
    rawBody(
        op,
        "encoding",
        "trailing garbage",
        concat(utf8, " x".getBytes()),
        JSON,
        Expect.malformed());
    rawBody(op, "encoding", "two JSON values", concat(utf8, utf8), JSON, Expect.malformed());
    rawBody(
        op,
        "encoding",
        "empty body",
        new byte[0],
        JSON,
        Expect.refuseAny(Set.of(400), "malformed_json", "validation_failed"));
    Expect unsupported = Expect.refuse(415, "unsupported_media_type");
    rawBody(
        op, "encoding", "Content-Type: application/jsonx", utf8, "application/jsonx", unsupported);
    rawBody(
        op,
        "encoding",
        "Content-Type: application/json; charset=utf-16 (UTF-16 body)",
        utf16(base, false, false),
        "application/json; charset=utf-16",
        unsupported);
    rawBody(
        op,
        "encoding",
        "Content-Type: application/json; charset=utf-16 (UTF-8 body)",
        utf8,
        "application/json; charset=utf-16",
        unsupported);
    rawBody(
        op,
        "encoding",
        "Content-Type: application/json; charset=iso-8859-1",
        utf8,
        "application/json; charset=iso-8859-1",
        unsupported);
    rawBody(op, "encoding", "Content-Type: text/plain", utf8, "text/plain", unsupported);
    rawBody(
        op,
        "encoding",
        "Content-Type: application/x-www-form-urlencoded",
        utf8,
        "application/x-www-form-urlencoded",
        unsupported);
    rawBody(
        op,
        "encoding",
        "Content-Type: application/json-patch+json",
        utf8,
        "application/json-patch+json",
        unsupported);
    rawBody(
        op,
        "encoding",
        "Content-Type: application/json\\u0000",
        utf8,
        "application/json\u0000",
        Expect.refuseAny(Set.of(400, 415), "unsupported_media_type", "validation_failed"));
    rawBody(op, "encoding", "no Content-Type", utf8, null, unsupported);
    rawBody(
        op,
        "encoding",
        "Content-Type: application/json; charset=utf-8",
        utf8,
        "application/json; charset=utf-8",
        Expect.MAY_ACCEPT);
    // structure limits: at most 32 levels, at most 10,000 values
    String member = firstName(op.baseBody());
    for (int depth : new int[] {33, 10_000}) {
      rawBody(
          op,
          "body.nesting",
          "depth " + depth + " (arrays)",
          () ->
              ("{\"" + member + "\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}")
                  .getBytes(StandardCharsets.UTF_8),
          JSON,
          Expect.malformed());
    }
    rawBody(
        op,
        "body.nesting",
        "depth 10,000 (objects)",
        () ->
            ("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)).getBytes(StandardCharsets.UTF_8),
        JSON,
        Expect.malformed());
    String rest = object ? base.substring(1) : "\"x\":0}";
    for (int members : new int[] {10_001, 80_000}) {
      rawBody(
          op,
          "body.unknown",
          members + " unknown members",
          () -> {
            StringBuilder many = new StringBuilder(rest.length() + members * 12);
            many.append('{');
            for (int i = 0; i < members; i++) {
              many.append("\"u").append(i).append("\":0,");
            }
            return many.append(rest).toString().getBytes(StandardCharsets.UTF_8);
          },
          JSON,
          Expect.malformed());
    }
  }

  private static String firstMember(Object body) {
    if (body instanceof Map<?, ?> m && !m.isEmpty()) {
      Map.Entry<?, ?> e = m.entrySet().iterator().next();
      StringBuilder sb = new StringBuilder();
      Json.string(sb, String.valueOf(e.getKey()));
      return sb.append(':').append(Json.write(e.getValue())).toString();
    }
    return null;
  }

  private static String firstName(Object body) {
    if (body instanceof Map<?, ?> m && !m.isEmpty()) {
      return String.valueOf(m.keySet().iterator().next());
    }
    return "a";
  }

  private static byte[] utf16(String text, boolean littleEndian, boolean bom) {
    byte[] bytes =
        text.getBytes(littleEndian ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
    if (!bom) {
      return bytes;
    }
    return concat(
        littleEndian
            ? new byte[] {(byte) 0xFF, (byte) 0xFE}
            : new byte[] {(byte) 0xFE, (byte) 0xFF},
        bytes);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(length);
    for (byte[] p : parts) {
      buffer.put(p);
    }
    return buffer.array();
  }

  // ---------------------------------------------------------------- query

  private void query(Op op, String category, String name, String query, Expect expect) {
    add(
        op,
        category,
        name,
        op.path() + "?" + query,
        baseBytes(op),
        op.baseBody() == null ? null : JSON,
        List.of(),
        EnumSet.noneOf(Tamper.class),
        expect);
  }

  private void queryCases(Op op) {
    for (JsonObject p : op.query()) {
      String name = p.getString("name");
      JsonObject schema = resolve(p.getJsonObject("schema"));
      String type = schema.getString("type");
      Expect invalid = Expect.validation();
      if ("integer".equals(type)) {
        for (String bad :
            new String[] {
              "%2010",
              "%zz",
              "1e3",
              "10%00",
              "%0A10",
              "10%0A",
              "10%0D%0A",
              "1.5",
              "+5",
              "0x10",
              "%EF%BC%91",
              "",
              "99999999999999999999999"
            }) {
          query(op, "query", name + "=" + bad, name + "=" + bad, invalid);
        }
        Long min = schema.getLong("minimum");
        Long max = schema.getLong("maximum");
        if (min != null) {
          query(op, "query", name + "=minimum-1", name + "=" + (min - 1), invalid);
          query(op, "query", name + "=minimum", name + "=" + min, Expect.MAY_ACCEPT);
        }
        if (max != null) {
          query(op, "query", name + "=maximum", name + "=" + max, Expect.MAY_ACCEPT);
          query(op, "query", name + "=maximum+1", name + "=" + (max + 1), invalid);
        }
        continue;
      }
      if (!"string".equals(type)) {
        continue;
      }
      String example = realId(String.valueOf(p.getValue("example", synth(schema, 0))));
      String encoded = java.net.URLEncoder.encode(example, StandardCharsets.UTF_8);
      if ("date-time".equals(schema.getString("format"))) {
        query(op, "query", name + " without offset", name + "=2026-11-23T10%3A15%3A30", invalid);
        query(op, "query", name + " date only", name + "=2026-11-23", invalid);
        query(op, "query", name + " impossible date", name + "=2026-13-45T99%3A99%3A99Z", invalid);
        query(
            op,
            "query",
            name + " with %2B08:00",
            name + "=2026-11-23T10%3A15%3A30%2B08%3A00",
            Expect.MAY_ACCEPT);
      }
      if ("date".equals(schema.getString("format"))) {
        query(op, "query", name + " impossible date", name + "=2026-02-30", invalid);
        query(op, "query", name + " date-time", name + "=2026-11-23T10%3A15%3A30Z", invalid);
      }
      query(op, "query", name + " NUL inside", name + "=" + encoded + "%00x", invalid);
      query(op, "query", name + " NUL at end", name + "=" + encoded + "%00", invalid);
      query(op, "query", name + " NUL alone", name + "=%00", invalid);
      query(op, "query", name + " trailing \\n", name + "=" + encoded + "%0A", invalid);
      query(op, "query", name + " trailing \\r\\n", name + "=" + encoded + "%0D%0A", invalid);
      query(op, "query", name + " ESC", name + "=" + encoded + "%1B", invalid);
      query(op, "query", name + " U+0085", name + "=" + encoded + "%C2%85", invalid);
      query(
          op,
          "query",
          name + " UTF-8-encoded surrogate",
          name + "=" + encoded + "%ED%A0%80",
          invalid);
      query(op, "query", name + " invalid UTF-8", name + "=" + encoded + "%C3%28", invalid);
      query(op, "query", name + " bare %FF", name + "=%FF", invalid);
      query(op, "query", name + " bad escape %zz", name + "=" + encoded + "%zz", invalid);
      Integer max = schema.getInteger("maxLength");
      if (max != null) {
        query(op, "query", name + " maxLength+1", name + "=" + "a".repeat(max + 1), invalid);
      }
      JsonArray values = schema.getJsonArray("enum");
      if (values != null) {
        if (!values.contains(example.toLowerCase())) {
          query(
              op, "query", name + " enum lower case", name + "=" + encoded.toLowerCase(), invalid);
        }
        query(op, "query", name + " enum+space", name + "=" + encoded + "%20", invalid);
      }
      if (schema.containsKey("pattern")
          && !schema.containsKey("enum")
          && !schema.containsKey("format")) {
        String emoji = name + "=" + encoded + "%F0%9F%98%80";
        query(
            op,
            "query",
            name + " 4-byte emoji",
            emoji,
            allows(schema, example + "\uD83D\uDE00") ? Expect.MAY_ACCEPT : invalid);
      }
      if ("cursor".equals(name) && max != null) {
        // a 10 KB query string: refused for its cursor or, earlier, for its length
        query(
            op,
            "header",
            "10 KB query string (cursor)",
            name + "=" + "A".repeat(10_240),
            Expect.refuseAny(
                Set.of(400, 414), "validation_failed", "uri_too_long", "request_uri_too_long"));
      }
    }
  }

  // ---------------------------------------------------------------- path

  private void pathCases(Op op) {
    for (String name : op.pathValues().keySet()) {
      String value = op.pathValues().get(name);
      Expect notThere = Expect.refuseAny(Set.of(400, 404), "validation_failed", "not_found");
      Map<String, Expect> variants = new LinkedHashMap<>();
      variants.put("%2e%2e", notThere);
      variants.put("%2E%2E", notThere);
      variants.put("%2e%2e%2f%2e%2e", notThere);
      variants.put(value + "%2F%2e%2e", notThere);
      variants.put(value + "%2Fx", notThere);
      variants.put("%2F", notThere);
      variants.put(value + "%5C..", Expect.validation());
      variants.put(value + "%00", Expect.validation());
      variants.put("%00", Expect.validation());
      variants.put(
          value.substring(0, Math.max(1, value.length() - 1)) + "%00", Expect.validation());
      variants.put(value + "%0A", Expect.validation());
      variants.put(value + "%0D%0A", Expect.validation());
      variants.put(value + "%20", Expect.validation());
      variants.put(value + "%F0%9F%98%80", Expect.validation());
      variants.put(value + "%ED%A0%80", Expect.validation());
      variants.put(value + "%C3%28", Expect.validation());
      variants.put(value + "%zz", Expect.validation());
      variants.put(value + "x".repeat(300), Expect.validation());
      for (Map.Entry<String, Expect> v : variants.entrySet()) {
        add(
            op,
            "path",
            name
                + "="
                + (v.getKey().length() > 60 ? v.getKey().substring(0, 60) + "…" : v.getKey()),
            op.path(Map.of(name, v.getKey())),
            baseBytes(op),
            op.baseBody() == null ? null : JSON,
            List.of(),
            EnumSet.noneOf(Tamper.class),
            v.getValue());
      }
    }
  }

  // ---------------------------------------------------------------- headers

  private void headerCases(Op op) {
    Supplier<byte[]> body = baseBytes(op);
    String type = body == null ? null : JSON;
    Expect unauthenticated = Expect.refuseAny(Set.of(401), SIGNATURE_CODES);
    for (Tamper t :
        new Tamper[] {
          Tamper.SECOND_SIGNATURE,
          Tamper.SECOND_SIGNATURE_GARBAGE,
          Tamper.SECOND_SIGNATURE_INPUT,
          Tamper.SECOND_SIGNATURE_INPUT_GARBAGE
        }) {
      add(
          op,
          "header",
          "valid then " + t,
          op.path(),
          body,
          type,
          List.of(),
          EnumSet.of(t),
          unauthenticated);
    }
    add(
        op,
        "header",
        "NUL in X-Request-Id",
        op.path(),
        body,
        type,
        List.<String[]>of(new String[] {"X-Request-Id", "req-\u0000-x"}),
        EnumSet.noneOf(Tamper.class),
        Expect.validation());
    add(
        op,
        "header",
        "NUL in an unknown header",
        op.path(),
        body,
        type,
        List.<String[]>of(new String[] {"X-Hostile", "a\u0000b"}),
        EnumSet.noneOf(Tamper.class),
        Expect.refuseAny(Set.of(400), "bad_request", "validation_failed", "header_invalid"));
    add(
        op,
        "header",
        "control character in X-Request-Id",
        op.path(),
        body,
        type,
        List.<String[]>of(new String[] {"X-Request-Id", "req-\u001b-x"}),
        EnumSet.noneOf(Tamper.class),
        Expect.validation());
    List<String[]> big = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      big.add(new String[] {"X-Pad-" + i, "p".repeat(1000)});
    }
    add(
        op,
        "header",
        "60 KB of headers",
        op.path(),
        body,
        type,
        big,
        EnumSet.noneOf(Tamper.class),
        Expect.refuseAny(Set.of(400, 431)));
    add(
        op,
        "header",
        "no Host",
        op.path(),
        body,
        type,
        List.of(),
        EnumSet.of(Tamper.NO_HOST),
        Expect.refuseAny(Set.of(400)));
  }

  // ---------------------------------------------------------------- schema helpers

  private JsonObject resolve(JsonObject node) {
    JsonObject current = node;
    for (int i = 0; i < 20 && current != null && current.containsKey("$ref"); i++) {
      String ref = current.getString("$ref");
      current = (JsonObject) JsonPointer.from(ref.substring(1)).queryJson(document);
    }
    return current == null ? new JsonObject() : current;
  }

  /** A valid value of a schema, as far as its examples and constraints tell. */
  private Object synth(JsonObject schema, int depth) {
    schema = resolve(schema);
    JsonArray examples = schema.getJsonArray("examples");
    if (examples != null && !examples.isEmpty()) {
      return withRealIds(Json.copy(examples.getValue(0)));
    }
    if (schema.containsKey("example")) {
      return withRealIds(Json.copy(schema.getValue("example")));
    }
    if (schema.containsKey("const")) {
      return schema.getValue("const");
    }
    if (schema.containsKey("enum")) {
      return schema.getJsonArray("enum").getValue(0);
    }
    if (schema.containsKey("default")) {
      return Json.copy(schema.getValue("default"));
    }
    switch (schema.getString("type", "string")) {
      case "integer":
        return schema.getLong("minimum", 1L);
      case "boolean":
        return true;
      case "array":
        {
          List<Object> list = new ArrayList<>();
          int n = Math.max(1, schema.getInteger("minItems", 1));
          for (int i = 0; i < n && depth < 6; i++) {
            list.add(synth(schema.getJsonObject("items", new JsonObject()), depth + 1));
          }
          return list;
        }
      case "object":
        {
          Map<String, Object> map = new LinkedHashMap<>();
          JsonObject properties = schema.getJsonObject("properties", new JsonObject());
          for (Object required : schema.getJsonArray("required", new JsonArray())) {
            JsonObject property = properties.getJsonObject((String) required);
            if (property != null && depth < 6) {
              map.put((String) required, synth(property, depth + 1));
            }
          }
          return map;
        }
      default:
        {
          String format = schema.getString("format", "");
          return switch (format) {
            case "date" -> "2026-11-23";
            case "date-time" -> "2026-11-23T10:15:30+08:00";
            case "email" -> "it@hospital.test";
            case "uri" -> "https://example.test/hook";
            default -> "x".repeat(Math.max(1, schema.getInteger("minLength", 1)));
          };
        }
    }
  }

  private static final Pattern ID = Pattern.compile("^([a-z]+_)[A-Za-z0-9]{16,32}$");

  private String realId(String example) {
    Matcher m = ID.matcher(example);
    if (m.matches() && realIds.containsKey(m.group(1))) {
      return realIds.get(m.group(1));
    }
    return example;
  }

  @SuppressWarnings("unchecked")
  private Object withRealIds(Object value) {
    if (value instanceof String s) {
      return realId(s);
    }
    if (value instanceof Map<?, ?> m) {
      ((Map<String, Object>) m).replaceAll((k, v) -> withRealIds(v));
    } else if (value instanceof List<?> l) {
      ((List<Object>) l).replaceAll(this::withRealIds);
    }
    return value;
  }
}
