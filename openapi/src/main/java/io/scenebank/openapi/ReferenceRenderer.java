package io.scenebank.openapi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the API reference of the developer portal ({@code portal/reference.html}) from the
 * contract, at build time: every operation grouped by tag (method, path, summary, description,
 * security, parameters, request body with its examples, responses with their examples and problem
 * codes), the webhooks, the shared responses and the schemas.
 *
 * <p>Descriptions are rendered from the Markdown subset the contract uses: paragraphs, headings,
 * bullet and numbered lists, tables, fenced code blocks, {@code `code`} and {@code **bold**}.
 * Everything taken from the contract is HTML-escaped; the page has no inline script or style, so it
 * is served under the portal's strict Content-Security-Policy.
 *
 * <p>The build runs {@link #main} in {@code process-classes}, writing {@code
 * target/classes/portal/reference.html} into this module's jar, from which the gateway serves it.
 */
public final class ReferenceRenderer {

  private static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*)$");
  private static final Pattern BULLET = Pattern.compile("^(\\s*)[*-]\\s+(.*)$");
  private static final Pattern ORDERED = Pattern.compile("^(\\s*)\\d+[.)]\\s+(.*)$");
  private static final Pattern TABLE_SEPARATOR =
      Pattern.compile("^\\s*\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?\\s*$");

  private final JsonObject document;
  private final StringBuilder out = new StringBuilder(1 << 21);
  private final Set<String> usedIds = new LinkedHashSet<>();

  private ReferenceRenderer(JsonObject document) {
    this.document = document;
  }

  /**
   * Renders the contract file to an HTML file.
   *
   * @param args the contract ({@code scenebank.yaml}) and the output file ({@code reference.html})
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException(
          "usage: ReferenceRenderer <scenebank.yaml> <output reference.html>");
    }
    Contract contract = Contract.fromFile(Path.of(args[0]));
    String html = render(contract);
    Path target = Path.of(args[1]);
    if (target.getParent() != null) {
      Files.createDirectories(target.getParent());
    }
    Files.writeString(target, html, StandardCharsets.UTF_8);
    System.out.println(
        "API reference: "
            + operationIds(contract.document()).size()
            + " operations rendered to "
            + target);
  }

  /** The reference page of a contract. */
  public static String render(Contract contract) {
    return new ReferenceRenderer(contract.document()).page();
  }

  /** Every operationId of the document: paths first, then webhooks, in document order. */
  public static List<String> operationIds(JsonObject document) {
    List<String> ids = new ArrayList<>();
    for (Map.Entry<String, JsonObject> entry : operations(document, "paths").entrySet()) {
      ids.add(entry.getValue().getString("operationId"));
    }
    for (Map.Entry<String, JsonObject> entry : operations(document, "webhooks").entrySet()) {
      ids.add(entry.getValue().getString("operationId"));
    }
    return ids;
  }

  /** The operations of "paths" or "webhooks" as ("METHOD key", operation), in document order. */
  private static Map<String, JsonObject> operations(JsonObject document, String section) {
    Map<String, JsonObject> operations = new LinkedHashMap<>();
    JsonObject items = document.getJsonObject(section, new JsonObject());
    for (String key : items.fieldNames()) {
      JsonObject item = items.getJsonObject(key);
      for (String method : item.fieldNames()) {
        if (METHODS.contains(method)) {
          operations.put(method.toUpperCase(Locale.ROOT) + " " + key, item.getJsonObject(method));
        }
      }
    }
    return operations;
  }

  // ------------------------------------------------------------------ page

  private String page() {
    JsonObject info = document.getJsonObject("info", new JsonObject());
    String title = info.getString("title", "API") + " reference";
    Map<String, List<Map.Entry<String, JsonObject>>> byTag = operationsByTag();
    Map<String, JsonObject> webhooks = operations(document, "webhooks");

    out.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"io.scenebank.openapi.ReferenceRenderer\">\n")
        .append("<title>")
        .append(escape(title))
        .append(" · Scenebank developer portal</title>\n")
        .append("<link rel=\"icon\" href=\"assets/favicon.svg\" type=\"image/svg+xml\">\n")
        .append("<link rel=\"stylesheet\" href=\"assets/portal.css\">\n")
        .append("</head>\n<body class=\"page-reference\">\n");
    header();
    out.append("<div class=\"reference-layout\">\n");
    toc(byTag, webhooks);
    out.append("<main id=\"main\" class=\"reference\">\n");
    introduction(info);
    security();
    for (Map.Entry<String, List<Map.Entry<String, JsonObject>>> tag : byTag.entrySet()) {
      tagSection(tag.getKey(), tag.getValue());
    }
    webhooksSection(webhooks);
    sharedResponses();
    schemas();
    out.append(
            "<p class=\"generated\">Rendered at build time from <code>openapi/scenebank.yaml</code>")
        .append(" (API version <code>")
        .append(escape(info.getString("version", "")))
        .append("</code>) by <code>ReferenceRenderer</code>. Do not edit by hand.</p>\n")
        .append("</main>\n</div>\n</body>\n</html>\n");
    return out.toString();
  }

  private void header() {
    out.append("<header class=\"site-header\">\n<nav class=\"site-nav\" aria-label=\"Portal\">\n")
        .append("<a class=\"brand\" href=\"index.html\">Scenebank <span>开发者门户</span></a>\n")
        .append("<a href=\"index.html\">Overview 概览</a>\n")
        .append("<a href=\"signup.html\">Sign up 注册</a>\n")
        .append("<a href=\"console.html\">Console 控制台</a>\n")
        .append("<a href=\"signatures.html\">Signatures 签名</a>\n")
        .append("<a href=\"reference.html\" aria-current=\"page\">API reference 接口</a>\n")
        .append("</nav>\n</header>\n");
  }

  private Map<String, List<Map.Entry<String, JsonObject>>> operationsByTag() {
    Map<String, List<Map.Entry<String, JsonObject>>> byTag = new LinkedHashMap<>();
    for (Object tag : document.getJsonArray("tags", new JsonArray())) {
      byTag.put(((JsonObject) tag).getString("name"), new ArrayList<>());
    }
    for (Map.Entry<String, JsonObject> entry : operations(document, "paths").entrySet()) {
      JsonArray tags = entry.getValue().getJsonArray("tags", new JsonArray());
      String tag = tags.isEmpty() ? "Other" : tags.getString(0);
      byTag.computeIfAbsent(tag, t -> new ArrayList<>()).add(entry);
    }
    byTag.values().removeIf(List::isEmpty);
    return byTag;
  }

  private void toc(
      Map<String, List<Map.Entry<String, JsonObject>>> byTag, Map<String, JsonObject> webhooks) {
    out.append("<nav class=\"toc\" aria-label=\"Contents\">\n<p class=\"toc-title\">Contents</p>\n")
        .append("<ul>\n<li><a href=\"#introduction\">Introduction</a></li>\n")
        .append("<li><a href=\"#security\">Security and scopes</a></li>\n");
    for (Map.Entry<String, List<Map.Entry<String, JsonObject>>> tag : byTag.entrySet()) {
      out.append("<li><a href=\"#")
          .append(escape(tagId(tag.getKey())))
          .append("\">")
          .append(escape(tag.getKey()))
          .append("</a>\n<ul>\n");
      for (Map.Entry<String, JsonObject> operation : tag.getValue()) {
        String method = operation.getKey().substring(0, operation.getKey().indexOf(' '));
        out.append("<li><a href=\"#op-")
            .append(escape(operation.getValue().getString("operationId")))
            .append("\"><span class=\"method method-")
            .append(method.toLowerCase(Locale.ROOT))
            .append("\">")
            .append(method)
            .append("</span> ")
            .append(escape(operation.getValue().getString("summary", "")))
            .append("</a></li>\n");
      }
      out.append("</ul></li>\n");
    }
    if (!webhooks.isEmpty()) {
      out.append("<li><a href=\"#webhooks\">Webhooks</a></li>\n");
    }
    out.append("<li><a href=\"#shared-responses\">Shared responses</a></li>\n")
        .append("<li><a href=\"#schemas\">Schemas</a></li>\n</ul>\n</nav>\n");
  }

  private void introduction(JsonObject info) {
    out.append("<section id=\"introduction\" class=\"intro\">\n<h1>")
        .append(escape(info.getString("title", "API")))
        .append(" <span class=\"version\">v")
        .append(escape(info.getString("version", "")))
        .append("</span></h1>\n");
    if (info.getString("summary") != null) {
      out.append("<p class=\"lead\">").append(inline(info.getString("summary"))).append("</p>\n");
    }
    out.append(markdown(info.getString("description", ""), 1, "intro-"));
    JsonObject contact = info.getJsonObject("contact");
    if (contact != null) {
      out.append("<p class=\"contact\">Contact: ").append(escape(contact.getString("name", "")));
      if (contact.getString("email") != null) {
        out.append(" · <code>").append(escape(contact.getString("email"))).append("</code>");
      }
      out.append("</p>\n");
    }
    JsonArray servers = document.getJsonArray("servers", new JsonArray());
    if (!servers.isEmpty()) {
      out.append("<h2 id=\"servers\">Servers</h2>\n<table class=\"servers\">\n")
          .append("<thead><tr><th>URL</th><th>Description</th></tr></thead>\n<tbody>\n");
      for (Object s : servers) {
        JsonObject server = (JsonObject) s;
        out.append("<tr><td><code>")
            .append(escape(server.getString("url", "")))
            .append("</code></td><td>")
            .append(inline(server.getString("description", "")))
            .append("</td></tr>\n");
      }
      out.append("</tbody>\n</table>\n");
    }
    out.append("</section>\n");
  }

  private void security() {
    out.append("<section id=\"security\">\n<h2>Security and scopes</h2>\n");
    JsonObject schemes =
        document
            .getJsonObject("components", new JsonObject())
            .getJsonObject("securitySchemes", new JsonObject());
    for (String name : schemes.fieldNames()) {
      JsonObject scheme = schemes.getJsonObject(name);
      out.append("<h3 id=\"security-")
          .append(escape(slug(name)))
          .append("\"><code>")
          .append(escape(name))
          .append("</code> (")
          .append(escape(scheme.getString("type", "")))
          .append(")</h3>\n")
          .append(markdown(scheme.getString("description", ""), 3, "sec-"));
      JsonObject flows = scheme.getJsonObject("flows", new JsonObject());
      for (String flowName : flows.fieldNames()) {
        JsonObject flow = flows.getJsonObject(flowName);
        out.append("<p>Flow <code>")
            .append(escape(flowName))
            .append("</code>, token URL <code>")
            .append(escape(flow.getString("tokenUrl", "")))
            .append("</code>.</p>\n");
        JsonObject scopes = flow.getJsonObject("scopes", new JsonObject());
        if (!scopes.isEmpty()) {
          out.append("<table class=\"scopes\">\n<thead><tr><th>Scope</th><th>Grants</th></tr>")
              .append("</thead>\n<tbody>\n");
          for (String scope : scopes.fieldNames()) {
            out.append("<tr><td><code>")
                .append(escape(scope))
                .append("</code></td><td>")
                .append(inline(scopes.getString(scope, "")))
                .append("</td></tr>\n");
          }
          out.append("</tbody>\n</table>\n");
        }
      }
    }
    out.append("</section>\n");
  }

  private void tagSection(String tag, List<Map.Entry<String, JsonObject>> operations) {
    out.append("<section class=\"tag\" id=\"").append(escape(tagId(tag))).append("\">\n<h2>");
    out.append(escape(tag)).append("</h2>\n");
    for (Object t : document.getJsonArray("tags", new JsonArray())) {
      JsonObject tagObject = (JsonObject) t;
      if (tag.equals(tagObject.getString("name"))) {
        out.append(markdown(tagObject.getString("description", ""), 2, "tag-"));
      }
    }
    for (Map.Entry<String, JsonObject> operation : operations) {
      String key = operation.getKey();
      int space = key.indexOf(' ');
      operation(key.substring(0, space), key.substring(space + 1), operation.getValue(), false);
    }
    out.append("</section>\n");
  }

  private void webhooksSection(Map<String, JsonObject> webhooks) {
    if (webhooks.isEmpty()) {
      return;
    }
    out.append("<section class=\"tag\" id=\"webhooks\">\n<h2>Webhooks</h2>\n");
    for (Object t : document.getJsonArray("tags", new JsonArray())) {
      JsonObject tagObject = (JsonObject) t;
      if ("Webhooks".equals(tagObject.getString("name"))) {
        out.append(markdown(tagObject.getString("description", ""), 2, "tag-"));
      }
    }
    out.append("<p>The gateway sends each event as a signed <code>POST</code> to your endpoint.")
        .append(" One section per event type:</p>\n<ul class=\"webhook-index\">\n");
    for (Map.Entry<String, JsonObject> entry : webhooks.entrySet()) {
      out.append("<li><a href=\"#op-")
          .append(escape(entry.getValue().getString("operationId")))
          .append("\"><code>")
          .append(escape(entry.getKey().substring(entry.getKey().indexOf(' ') + 1)))
          .append("</code></a></li>\n");
    }
    out.append("</ul>\n");
    for (Map.Entry<String, JsonObject> entry : webhooks.entrySet()) {
      String key = entry.getKey();
      int space = key.indexOf(' ');
      operation(key.substring(0, space), key.substring(space + 1), entry.getValue(), true);
    }
    out.append("</section>\n");
  }

  // ------------------------------------------------------------------ operations

  private void operation(String method, String path, JsonObject operation, boolean webhook) {
    String id = operation.getString("operationId", method + " " + path);
    out.append("<article class=\"operation")
        .append(webhook ? " webhook" : "")
        .append("\" id=\"op-")
        .append(escape(id))
        .append("\" data-operation-id=\"")
        .append(escape(id))
        .append("\">\n<h3><span class=\"method method-")
        .append(method.toLowerCase(Locale.ROOT))
        .append("\">")
        .append(escape(method))
        .append("</span> ");
    if (webhook) {
      out.append(
              "<span class=\"path\">your endpoint</span> <span class=\"event-type\">event <code>")
          .append(escape(path))
          .append("</code></span>");
    } else {
      out.append("<code class=\"path\">").append(escape(path)).append("</code>");
    }
    out.append("</h3>\n<p class=\"summary\">")
        .append(inline(operation.getString("summary", "")))
        .append("</p>\n<p class=\"meta\">operationId <code class=\"operation-id\">")
        .append(escape(id))
        .append("</code>");
    if (operation.getBoolean("deprecated", false)) {
      out.append(" · <strong>deprecated</strong>");
    }
    out.append("</p>\n");
    securityNote(method, path, operation, webhook);
    out.append("<div class=\"description\">\n")
        .append(markdown(operation.getString("description", ""), 3, "d-" + id + "-"))
        .append("</div>\n");
    parameters(operation.getJsonArray("parameters", new JsonArray()));
    requestBody(operation.getJsonObject("requestBody"), webhook);
    responses(operation.getJsonObject("responses", new JsonObject()), webhook);
    out.append("</article>\n");
  }

  private void securityNote(String method, String path, JsonObject operation, boolean webhook) {
    out.append("<p class=\"security-note\">");
    if (webhook) {
      out.append("Sent by the gateway, signed with RFC 9421 (tag <code>scenebank-webhook</code>)")
          .append(": verify it with the keys of <code>GET /oauth2/jwks</code>.");
      out.append("</p>\n");
      return;
    }
    JsonArray security = operation.getJsonArray("security", document.getJsonArray("security"));
    if (security == null || security.isEmpty() || security.getJsonObject(0).isEmpty()) {
      out.append("<span class=\"badge badge-public\">Public</span> No access token")
          .append(path.startsWith("/v1/") ? "." : ", no request signature.");
    } else {
      JsonObject requirement = security.getJsonObject(0);
      List<String> scopes = new ArrayList<>();
      for (String scheme : requirement.fieldNames()) {
        for (Object scope : requirement.getJsonArray(scheme, new JsonArray())) {
          scopes.add(String.valueOf(scope));
        }
      }
      out.append("<span class=\"badge badge-auth\">OAuth 2.0</span> ");
      if (scopes.isEmpty()) {
        out.append("Any valid access token");
      } else {
        out.append(scopes.size() == 1 ? "Scope " : "Scopes ");
        for (int i = 0; i < scopes.size(); i++) {
          out.append(i == 0 ? "" : ", ")
              .append("<code class=\"scope\">")
              .append(escape(scopes.get(i)))
              .append("</code>");
        }
      }
      if (path.startsWith("/v1/")) {
        out.append(" · <span class=\"badge badge-signed\">RFC 9421 signed</span>");
        if ("POST".equals(method)) {
          out.append(" · <code>Idempotency-Key</code> required");
        }
      }
      out.append('.');
    }
    out.append("</p>\n");
  }

  private void parameters(JsonArray parameters) {
    if (parameters.isEmpty()) {
      return;
    }
    out.append("<h4>Parameters</h4>\n<table class=\"parameters\">\n<thead><tr><th>Name</th>")
        .append("<th>In</th><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n");
    for (Object p : parameters) {
      JsonObject parameter = resolve((JsonObject) p);
      JsonObject schema = parameter.getJsonObject("schema", new JsonObject());
      out.append("<tr><td><code>")
          .append(escape(parameter.getString("name", "")))
          .append("</code>")
          .append(
              parameter.getBoolean("required", false)
                  ? " <span class=\"required\">required</span>"
                  : "")
          .append("</td><td>")
          .append(escape(parameter.getString("in", "")))
          .append("</td><td>")
          .append(typeHtml(schema))
          .append("</td><td>")
          .append(markdown(parameter.getString("description", ""), 4, null))
          .append(constraints(schema));
      Object example = parameter.getValue("example");
      if (example != null) {
        out.append("<p class=\"param-example\">Example: <code>")
            .append(escape(String.valueOf(example)))
            .append("</code></p>");
      }
      out.append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n");
  }

  private void requestBody(JsonObject body, boolean webhook) {
    if (body == null) {
      return;
    }
    body = resolve(body);
    out.append("<h4>")
        .append(webhook ? "Payload" : "Request body")
        .append(
            body.getBoolean("required", false) ? " <span class=\"required\">required</span>" : "")
        .append("</h4>\n");
    if (body.getString("description") != null) {
      out.append(markdown(body.getString("description"), 4, null));
    }
    JsonObject content = body.getJsonObject("content", new JsonObject());
    for (String mediaType : content.fieldNames()) {
      JsonObject media = content.getJsonObject(mediaType);
      JsonObject schema = media.getJsonObject("schema", new JsonObject());
      out.append("<p class=\"media\"><code>Content-Type: ")
          .append(escape(mediaType))
          .append("</code> · ")
          .append(typeHtml(schema))
          .append("</p>\n");
      JsonObject resolved = resolve(schema);
      if (!resolved.getJsonObject("properties", new JsonObject()).isEmpty()) {
        propertiesTable(resolved);
      }
      examples(media, mediaType, "request-example");
    }
  }

  private void responses(JsonObject responses, boolean webhook) {
    if (responses.isEmpty()) {
      return;
    }
    out.append("<h4>").append(webhook ? "Your answer" : "Responses").append("</h4>\n");
    for (String status : responses.fieldNames()) {
      JsonObject response = responses.getJsonObject(status);
      String shared = refName(response, "#/components/responses/");
      response = resolve(response);
      String statusClass =
          status.length() == 3 && Character.isDigit(status.charAt(0))
              ? "status-" + status.charAt(0) + "xx"
              : "status-default";
      out.append("<div class=\"response\" data-status=\"")
          .append(escape(status))
          .append("\">\n<p class=\"response-head\"><span class=\"status ")
          .append(statusClass)
          .append("\">")
          .append(escape(status))
          .append("</span>");
      if (shared != null) {
        out.append(" shared response <a href=\"#response-")
            .append(escape(shared))
            .append("\"><code>")
            .append(escape(shared))
            .append("</code></a>");
      }
      out.append("</p>\n").append(markdown(response.getString("description", ""), 4, null));
      List<String> codes = problemCodes(response);
      if (shared != null) {
        // the examples are shown once, under "Shared responses"
        mediaSummary(response);
      } else {
        headersLine(response);
        JsonObject content = response.getJsonObject("content", new JsonObject());
        for (String mediaType : content.fieldNames()) {
          JsonObject media = content.getJsonObject(mediaType);
          out.append("<p class=\"media\"><code>")
              .append(escape(mediaType))
              .append("</code> · ")
              .append(typeHtml(media.getJsonObject("schema", new JsonObject())))
              .append("</p>\n");
          examples(media, mediaType, "response-example");
        }
      }
      if (!codes.isEmpty()) {
        out.append("<p class=\"problem-codes\">Codes: ");
        for (int i = 0; i < codes.size(); i++) {
          out.append(i == 0 ? "" : ", ")
              .append("<code class=\"problem-code\">")
              .append(escape(codes.get(i)))
              .append("</code>");
        }
        out.append("</p>\n");
      }
      out.append("</div>\n");
    }
  }

  private void mediaSummary(JsonObject response) {
    JsonObject content = response.getJsonObject("content", new JsonObject());
    for (String mediaType : content.fieldNames()) {
      out.append("<p class=\"media\"><code>")
          .append(escape(mediaType))
          .append("</code> · ")
          .append(
              typeHtml(content.getJsonObject(mediaType).getJsonObject("schema", new JsonObject())))
          .append("</p>\n");
    }
  }

  private void headersLine(JsonObject response) {
    JsonObject headers = response.getJsonObject("headers", new JsonObject());
    if (headers.isEmpty()) {
      return;
    }
    out.append("<p class=\"headers\">Headers: ");
    int i = 0;
    for (String name : headers.fieldNames()) {
      out.append(i++ == 0 ? "" : ", ").append("<code>").append(escape(name)).append("</code>");
    }
    out.append("</p>\n");
  }

  /** The {@code code} (problem details) or {@code error} (OAuth) of each example, in order. */
  private List<String> problemCodes(JsonObject response) {
    Set<String> codes = new LinkedHashSet<>();
    JsonObject content = response.getJsonObject("content", new JsonObject());
    for (String mediaType : content.fieldNames()) {
      JsonObject media = content.getJsonObject(mediaType);
      for (Object value : exampleValues(media).values()) {
        if (value instanceof JsonObject example) {
          Object code = example.getValue("code");
          if (code == null && example.getValue("error") instanceof String) {
            code = example.getValue("error");
          }
          if (code instanceof String s) {
            codes.add(s);
          }
        }
      }
    }
    return new ArrayList<>(codes);
  }

  private static Map<String, Object> exampleValues(JsonObject media) {
    Map<String, Object> values = new LinkedHashMap<>();
    JsonObject examples = media.getJsonObject("examples", new JsonObject());
    for (String name : examples.fieldNames()) {
      Object example = examples.getValue(name);
      if (example instanceof JsonObject e && e.containsKey("value")) {
        values.put(name, e.getValue("value"));
      }
    }
    if (media.containsKey("example")) {
      values.put("example", media.getValue("example"));
    }
    return values;
  }

  private void examples(JsonObject media, String mediaType, String cssClass) {
    JsonObject examples = media.getJsonObject("examples", new JsonObject());
    Map<String, String> titles = new LinkedHashMap<>();
    for (String name : examples.fieldNames()) {
      Object example = examples.getValue(name);
      if (example instanceof JsonObject e && e.getString("summary") != null) {
        titles.put(name, e.getString("summary"));
      }
    }
    for (Map.Entry<String, Object> entry : exampleValues(media).entrySet()) {
      String name = entry.getKey();
      out.append("<div class=\"example\">\n<p class=\"example-title\">Example <code>")
          .append(escape(name))
          .append("</code>");
      if (titles.containsKey(name)) {
        out.append(": ").append(inline(titles.get(name)));
      }
      out.append("</p>\n<pre class=\"")
          .append(cssClass)
          .append("\" data-example=\"")
          .append(escape(name))
          .append("\"><code>")
          .append(escape(exampleText(entry.getValue(), mediaType)))
          .append("</code></pre>\n</div>\n");
    }
  }

  private static String exampleText(Object value, String mediaType) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof JsonObject object) {
      if (mediaType.equals("application/x-www-form-urlencoded")) {
        StringBuilder form = new StringBuilder();
        for (String name : object.fieldNames()) {
          form.append(form.length() == 0 ? "" : "&")
              .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
              .append('=')
              .append(
                  URLEncoder.encode(String.valueOf(object.getValue(name)), StandardCharsets.UTF_8));
        }
        return form.toString();
      }
      return object.encodePrettily();
    }
    if (value instanceof JsonArray array) {
      return array.encodePrettily();
    }
    return String.valueOf(value);
  }

  // ------------------------------------------------------------------ shared parts

  private void sharedResponses() {
    JsonObject responses =
        document
            .getJsonObject("components", new JsonObject())
            .getJsonObject("responses", new JsonObject());
    out.append("<section id=\"shared-responses\">\n<h2>Shared responses</h2>\n")
        .append("<p>Responses that many operations share, with their examples.</p>\n");
    for (String name : responses.fieldNames()) {
      JsonObject response = resolve(responses.getJsonObject(name));
      out.append("<div class=\"response shared\" id=\"response-")
          .append(escape(name))
          .append("\">\n<h3><code>")
          .append(escape(name))
          .append("</code></h3>\n")
          .append(markdown(response.getString("description", ""), 4, null));
      headersLine(response);
      JsonObject content = response.getJsonObject("content", new JsonObject());
      for (String mediaType : content.fieldNames()) {
        JsonObject media = content.getJsonObject(mediaType);
        out.append("<p class=\"media\"><code>")
            .append(escape(mediaType))
            .append("</code> · ")
            .append(typeHtml(media.getJsonObject("schema", new JsonObject())))
            .append("</p>\n");
        examples(media, mediaType, "response-example");
      }
      out.append("</div>\n");
    }
    out.append("</section>\n");
  }

  private void schemas() {
    JsonObject schemas =
        document
            .getJsonObject("components", new JsonObject())
            .getJsonObject("schemas", new JsonObject());
    out.append("<section id=\"schemas\">\n<h2>Schemas</h2>\n");
    for (String name : schemas.fieldNames()) {
      JsonObject schema = schemas.getJsonObject(name);
      out.append("<div class=\"schema\" id=\"schema-")
          .append(escape(name))
          .append("\">\n<h3><code>")
          .append(escape(name))
          .append("</code> <span class=\"schema-type\">")
          .append(typeHtml(withoutRef(schema)))
          .append("</span></h3>\n")
          .append(markdown(schema.getString("description", ""), 4, null))
          .append(constraints(schema));
      if (!schema.getJsonObject("properties", new JsonObject()).isEmpty()) {
        propertiesTable(schema);
      }
      out.append("</div>\n");
    }
    out.append("</section>\n");
  }

  private static JsonObject withoutRef(JsonObject schema) {
    JsonObject copy = schema.copy();
    copy.remove("$ref");
    return copy;
  }

  private void propertiesTable(JsonObject schema) {
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    Set<String> required = new LinkedHashSet<>();
    for (Object r : schema.getJsonArray("required", new JsonArray())) {
      required.add(String.valueOf(r));
    }
    out.append("<table class=\"properties\">\n<thead><tr><th>Field</th><th>Type</th>")
        .append("<th>Description</th></tr></thead>\n<tbody>\n");
    for (String name : properties.fieldNames()) {
      Object value = properties.getValue(name);
      JsonObject property = value instanceof JsonObject p ? p : new JsonObject();
      String description = property.getString("description");
      if (description == null && property.getString("$ref") != null) {
        description = resolve(property).getString("description", "");
      }
      out.append("<tr><td><code>")
          .append(escape(name))
          .append("</code>")
          .append(required.contains(name) ? " <span class=\"required\">required</span>" : "")
          .append("</td><td>")
          .append(typeHtml(property))
          .append("</td><td>")
          .append(markdown(description == null ? "" : description, 4, null))
          .append(constraints(property))
          .append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n");
    Object additional = schema.getValue("additionalProperties");
    if (Boolean.FALSE.equals(additional)) {
      out.append("<p class=\"strict\">No other fields are accepted.</p>\n");
    }
  }

  /** A short type: a link for a reference, "array of …", the format, the const. */
  private String typeHtml(JsonObject schema) {
    String ref = schema.getString("$ref");
    if (ref != null) {
      String name = ref.substring(ref.lastIndexOf('/') + 1);
      if (ref.startsWith("#/components/schemas/")) {
        return "<a class=\"type-ref\" href=\"#schema-"
            + escape(name)
            + "\"><code>"
            + escape(name)
            + "</code></a>";
      }
      return "<code>" + escape(name) + "</code>";
    }
    Object typeValue = schema.getValue("type");
    String type = typeValue instanceof JsonArray types ? joinTypes(types) : (String) typeValue;
    if (schema.containsKey("const")) {
      return "<code>" + escape(json(schema.getValue("const"))) + "</code>";
    }
    if (type == null) {
      return "<span class=\"type\">any</span>";
    }
    if (type.equals("array")) {
      return "<span class=\"type\">array of</span> "
          + typeHtml(schema.getJsonObject("items", new JsonObject()));
    }
    if (type.equals("object") && schema.getValue("additionalProperties") instanceof JsonObject ap) {
      return "<span class=\"type\">map of</span> " + typeHtml(ap);
    }
    String format = schema.getString("format");
    return "<span class=\"type\">"
        + escape(type)
        + (format != null ? " (" + escape(format) + ")" : "")
        + "</span>";
  }

  private static String joinTypes(JsonArray types) {
    List<String> names = new ArrayList<>();
    types.forEach(t -> names.add(String.valueOf(t)));
    return String.join(" | ", names);
  }

  /** Enum values, pattern, lengths, ranges and defaults of a schema, as one line. */
  private static String constraints(JsonObject schema) {
    List<String> parts = new ArrayList<>();
    JsonArray values = schema.getJsonArray("enum");
    if (values != null) {
      StringBuilder list = new StringBuilder("One of ");
      for (int i = 0; i < values.size(); i++) {
        list.append(i == 0 ? "" : ", ")
            .append("<code>")
            .append(escape(json(values.getValue(i))))
            .append("</code>");
      }
      parts.add(list.toString());
    }
    range(parts, schema, "minLength", "maxLength", "length");
    range(parts, schema, "minimum", "maximum", "value");
    range(parts, schema, "minItems", "maxItems", "items");
    if (schema.getString("pattern") != null) {
      parts.add("pattern <code>" + escape(schema.getString("pattern")) + "</code>");
    }
    if (schema.containsKey("default")) {
      parts.add("default <code>" + escape(json(schema.getValue("default"))) + "</code>");
    }
    if (parts.isEmpty()) {
      return "";
    }
    return "<p class=\"constraints\">" + String.join(" · ", parts) + "</p>";
  }

  private static void range(
      List<String> parts, JsonObject schema, String minName, String maxName, String what) {
    Object min = schema.getValue(minName);
    Object max = schema.getValue(maxName);
    if (min != null && max != null) {
      parts.add(escape(what) + " " + escape(json(min)) + "–" + escape(json(max)));
    } else if (min != null) {
      parts.add(escape(what) + " ≥ " + escape(json(min)));
    } else if (max != null) {
      parts.add(escape(what) + " ≤ " + escape(json(max)));
    }
  }

  private static String json(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof JsonObject o) {
      return o.encode();
    }
    if (value instanceof JsonArray a) {
      return a.encode();
    }
    return String.valueOf(value);
  }

  /** Follows local {@code $ref}s (a few levels at most). */
  private JsonObject resolve(JsonObject object) {
    JsonObject current = object;
    for (int depth = 0; depth < 8 && current.getString("$ref") != null; depth++) {
      String ref = current.getString("$ref");
      if (!ref.startsWith("#/")) {
        return current;
      }
      Object target = document;
      for (String part : ref.substring(2).split("/")) {
        String name = part.replace("~1", "/").replace("~0", "~");
        target = target instanceof JsonObject o ? o.getValue(name) : null;
      }
      if (!(target instanceof JsonObject resolved)) {
        return current;
      }
      current = resolved;
    }
    return current;
  }

  private static String refName(JsonObject object, String prefix) {
    String ref = object.getString("$ref");
    return ref != null && ref.startsWith(prefix) ? ref.substring(prefix.length()) : null;
  }

  private static String tagId(String tag) {
    return "tag-" + slug(tag);
  }

  // ------------------------------------------------------------------ Markdown

  /**
   * Renders the Markdown subset of the contract.
   *
   * @param headingShift added to a heading's level ({@code ##} with 1 becomes {@code h3})
   * @param idPrefix prefix of the headings' ids, or null for headings without id
   */
  String markdown(String text, int headingShift, String idPrefix) {
    if (text == null || text.isBlank()) {
      return "";
    }
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    StringBuilder html = new StringBuilder();
    int i = 0;
    while (i < lines.length) {
      String line = lines[i];
      String trimmed = line.trim();
      if (trimmed.isEmpty()) {
        i++;
        continue;
      }
      if (trimmed.startsWith("```")) {
        int indent = line.indexOf('`');
        String language = trimmed.substring(3).trim();
        StringBuilder code = new StringBuilder();
        i++;
        while (i < lines.length && !lines[i].trim().startsWith("```")) {
          String codeLine = lines[i];
          int strip = 0;
          while (strip < indent && strip < codeLine.length() && codeLine.charAt(strip) == ' ') {
            strip++;
          }
          code.append(codeLine.substring(strip)).append('\n');
          i++;
        }
        i++; // the closing fence
        if (code.length() > 0) {
          code.setLength(code.length() - 1);
        }
        html.append("<pre class=\"code")
            .append(language.isEmpty() ? "" : " language-" + escape(slug(language)))
            .append("\"><code>")
            .append(escape(code.toString()))
            .append("</code></pre>\n");
        continue;
      }
      Matcher heading = HEADING.matcher(trimmed);
      if (heading.matches()) {
        int level = Math.min(6, heading.group(1).length() + headingShift);
        html.append("<h").append(level);
        if (idPrefix != null) {
          html.append(" id=\"")
              .append(escape(uniqueId(idPrefix + slug(heading.group(2)))))
              .append('"');
        }
        html.append('>').append(inline(heading.group(2))).append("</h").append(level).append(">\n");
        i++;
        continue;
      }
      if (trimmed.startsWith("|")
          && i + 1 < lines.length
          && TABLE_SEPARATOR.matcher(lines[i + 1]).matches()) {
        i = table(lines, i, html);
        continue;
      }
      Matcher bullet = BULLET.matcher(line);
      Matcher ordered = ORDERED.matcher(line);
      if (bullet.matches() || ordered.matches()) {
        i = list(lines, i, html, bullet.matches());
        continue;
      }
      StringBuilder paragraph = new StringBuilder(trimmed);
      i++;
      while (i < lines.length && !startsBlock(lines, i)) {
        paragraph.append(' ').append(lines[i].trim());
        i++;
      }
      html.append("<p>").append(inline(paragraph.toString())).append("</p>\n");
    }
    return html.toString();
  }

  private static boolean startsBlock(String[] lines, int i) {
    String line = lines[i];
    String trimmed = line.trim();
    return trimmed.isEmpty()
        || trimmed.startsWith("```")
        || HEADING.matcher(trimmed).matches()
        || BULLET.matcher(line).matches()
        || ORDERED.matcher(line).matches()
        || (trimmed.startsWith("|")
            && i + 1 < lines.length
            && TABLE_SEPARATOR.matcher(lines[i + 1]).matches());
  }

  private int list(String[] lines, int start, StringBuilder html, boolean bullets) {
    Pattern marker = bullets ? BULLET : ORDERED;
    Matcher first = marker.matcher(lines[start]);
    first.matches();
    int indent = first.group(1).length();
    html.append(bullets ? "<ul>\n" : "<ol>\n");
    int i = start;
    while (i < lines.length) {
      Matcher item = marker.matcher(lines[i]);
      if (!item.matches() || item.group(1).length() != indent) {
        break;
      }
      StringBuilder text = new StringBuilder(item.group(2).trim());
      i++;
      while (i < lines.length) {
        String next = lines[i];
        if (next.trim().isEmpty()) {
          break;
        }
        Matcher sameLevel = marker.matcher(next);
        if (sameLevel.matches() && sameLevel.group(1).length() == indent) {
          break;
        }
        if (leadingSpaces(next) <= indent && startsBlock(lines, i)) {
          break;
        }
        text.append(' ').append(next.trim());
        i++;
      }
      html.append("<li>").append(inline(text.toString())).append("</li>\n");
      // a blank line between items keeps the list going
      int peek = i;
      while (peek < lines.length && lines[peek].trim().isEmpty()) {
        peek++;
      }
      if (peek > i && peek < lines.length) {
        Matcher after = marker.matcher(lines[peek]);
        if (after.matches() && after.group(1).length() == indent) {
          i = peek;
        }
      }
    }
    html.append(bullets ? "</ul>\n" : "</ol>\n");
    return i;
  }

  private static int leadingSpaces(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  private int table(String[] lines, int start, StringBuilder html) {
    List<String> head = cells(lines[start]);
    html.append("<table class=\"md-table\">\n<thead><tr>");
    for (String cell : head) {
      html.append("<th>").append(inline(cell)).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    int i = start + 2;
    while (i < lines.length && lines[i].trim().startsWith("|")) {
      html.append("<tr>");
      List<String> row = cells(lines[i]);
      for (int c = 0; c < head.size(); c++) {
        html.append("<td>").append(c < row.size() ? inline(row.get(c)) : "").append("</td>");
      }
      html.append("</tr>\n");
      i++;
    }
    html.append("</tbody>\n</table>\n");
    return i;
  }

  /** The cells of a table row; a pipe inside a code span does not split. */
  private static List<String> cells(String row) {
    String line = row.trim();
    if (line.startsWith("|")) {
      line = line.substring(1);
    }
    if (line.endsWith("|") && !line.endsWith("\\|")) {
      line = line.substring(0, line.length() - 1);
    }
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean code = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '`') {
        code = !code;
      }
      if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '|') {
        cell.append('|');
        i++;
      } else if (c == '|' && !code) {
        cells.add(cell.toString().trim());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString().trim());
    return cells;
  }

  /** Inline Markdown: code spans and bold; everything else escaped. */
  static String inline(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder html = new StringBuilder(text.length() + 16);
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '`') {
        int run = 0;
        while (i + run < text.length() && text.charAt(i + run) == '`') {
          run++;
        }
        int close = closingRun(text, i + run, run);
        if (close >= 0) {
          String code = text.substring(i + run, close);
          if (code.length() > 1 && code.startsWith(" ") && code.endsWith(" ") && !code.isBlank()) {
            code = code.substring(1, code.length() - 1);
          }
          html.append("<code>").append(escape(code)).append("</code>");
          i = close + run;
        } else {
          html.append("`".repeat(run));
          i += run;
        }
        continue;
      }
      if (c == '*' && text.startsWith("**", i)) {
        int close = text.indexOf("**", i + 2);
        if (close > i + 2) {
          html.append("<strong>").append(inline(text.substring(i + 2, close))).append("</strong>");
          i = close + 2;
          continue;
        }
      }
      html.append(escape(String.valueOf(c)));
      i++;
    }
    return html.toString();
  }

  /** The index of the next run of exactly {@code run} backticks from {@code from}, or -1. */
  private static int closingRun(String text, int from, int run) {
    int i = from;
    while (i < text.length()) {
      if (text.charAt(i) == '`') {
        int length = 0;
        while (i + length < text.length() && text.charAt(i + length) == '`') {
          length++;
        }
        if (length == run) {
          return i;
        }
        i += length;
      } else {
        i++;
      }
    }
    return -1;
  }

  private String uniqueId(String id) {
    String candidate = id;
    for (int n = 2; !usedIds.add(candidate); n++) {
      candidate = id + "-" + n;
    }
    return candidate;
  }

  /** Lower-case ASCII letters, digits and dashes; "section" when nothing is left. */
  static String slug(String text) {
    StringBuilder slug = new StringBuilder();
    for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        slug.append(c);
      } else if (slug.length() > 0 && slug.charAt(slug.length() - 1) != '-') {
        slug.append('-');
      }
    }
    while (slug.length() > 0 && slug.charAt(slug.length() - 1) == '-') {
      slug.setLength(slug.length() - 1);
    }
    return slug.length() == 0 ? "section" : slug.toString();
  }

  /** HTML-escapes text for element content and quoted attribute values. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder escaped = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
          };
      if (replacement != null && escaped == null) {
        escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (escaped != null) {
        if (replacement != null) {
          escaped.append(replacement);
        } else {
          escaped.append(c);
        }
      }
    }
    return escaped == null ? text : escaped.toString();
  }
}
