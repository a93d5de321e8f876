package io.scenebank.gateway.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one error type of the gateway: an HTTP status, a stable machine-readable {@code code}, a
 * title and a detail, rendered as RFC 9457 {@code application/problem+json} by {@link
 * ProblemHandler}. Raised with {@code ctx.fail(problem)}; carries no stack trace.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The URI prefix of {@code type}; the rest is the code. */
  public static final String TYPE_PREFIX = "urn:scenebank:problem:";

  /** One specific thing wrong with the request: where (a JSON pointer or parameter) and what. */
  public record FieldError(String pointer, String detail) {}

  private final int status;
  private final String code;
  private final String title;
  private final List<FieldError> errors;
  private final Map<String, String> headers;
  private final Map<String, String> members;

  public Problem(int status, String code, String title, String detail) {
    this(status, code, title, detail, List.of(), Map.of(), Map.of());
  }

  private Problem(
      int status,
      String code,
      String title,
      String detail,
      List<FieldError> errors,
      Map<String, String> headers,
      Map<String, String> members) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
    this.members = Map.copyOf(members);
  }

  public static Problem badRequest(String code, String detail) {
    return new Problem(400, code, "The request is not valid", detail);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "not_found", "Not found", detail);
  }

  public static Problem conflict(String code, String detail) {
    return new Problem(409, code, "Conflict with the current state", detail);
  }

  public static Problem unprocessable(String code, String detail) {
    return new Problem(422, code, "The request cannot be carried out", detail);
  }

  /** The same problem listing what exactly is wrong. */
  public Problem withErrors(List<FieldError> fieldErrors) {
    return new Problem(status, code, title, getMessage(), fieldErrors, headers, members);
  }

  /** The same problem with a response header, e.g. {@code Retry-After}. */
  public Problem withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Problem(status, code, title, getMessage(), errors, more, members);
  }

  /**
   * The same problem with an extension member in its body (RFC 9457 §3.2), e.g. the signature base
   * the sandbox computed; the contract names every member a problem may have.
   */
  public Problem withMember(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(members);
    more.put(name, value);
    return new Problem(status, code, title, getMessage(), errors, headers, more);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The problem+json body. */
  public JsonObject toJson(String instance, String requestId) {
    JsonObject json =
        new JsonObject()
            .put("type", TYPE_PREFIX + code)
            .put("title", title)
            .put("status", status)
            .put("detail", getMessage())
            .put("instance", instance)
            .put("code", code)
            .put("request_id", requestId);
    if (instance == null) {
      json.remove("instance");
    }
    members.forEach(json::put);
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      for (FieldError e : errors) {
        list.add(new JsonObject().put("pointer", e.pointer()).put("detail", e.detail()));
      }
      json.put("errors", list);
    }
    return json;
  }

  @Override
  public String toString() {
    return "Problem{" + status + " " + code + ": " + getMessage() + "}";
  }
}
