package io.scenebank.gateway.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.List;
import java.util.Locale;

/**
 * Refuses, before any other work, requests whose shape would let two parts of the gateway read them
 * differently: no {@code Host} (the signature's {@code @authority} would be undefined); a path with
 * dot-segments, encoded slashes or backslashes, empty segments or control characters (the router
 * would normalise it into another operation than the one the signature covered); a query or path
 * that is not valid percent-encoding.
 */
final class RequestShapeHandler implements PlatformHandler {

  /**
   * What the server puts in place of a missing {@code Host} so that the request can be routed, and
   * then refused here with a signed problem (a reserved name, RFC 2606: no client means it).
   */
  static final String MISSING_HOST = "host-missing.invalid";

  private static final List<String> FORBIDDEN_IN_PATH =
      List.of("%2e", "%2f", "%5c", "\\", "//", "/./", "/../", "%00");

  /** Set by the server on a request its HTTP decoder refused; the value is the status to answer. */
  static final String INVALID = "x-scenebank-invalid-request";

  /** Before routing: a request without {@code Host} gets a placeholder, refused below. */
  static HttpServerRequest admit(HttpServerRequest request) {
    request.headers().remove(INVALID);
    if (request.version() != HttpVersion.HTTP_2 && request.getHeader("Host") == null) {
      request.headers().set("Host", MISSING_HOST);
    }
    return request;
  }

  /**
   * A request the HTTP decoder refused (a request line or headers too long, a malformed header):
   * routed like any other so that its answer is a (signed, under /v1) problem, then the connection
   * closes.
   */
  static HttpServerRequest invalid(HttpServerRequest request) {
    admit(request);
    Throwable cause = request.decoderResult().cause();
    String status = "400";
    if (cause instanceof TooLongHttpLineException) {
      status = "414";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = "431";
    }
    request.headers().set(INVALID, status);
    return request;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String invalid = request.getHeader(INVALID);
    if (invalid != null) {
      ctx.response().putHeader("Connection", "close");
      ctx.fail(
          switch (invalid) {
            case "414" ->
                new Problem(
                    414, "uri_too_long", "URI too long", "The request line is longer than 8 KiB.");
            case "431" ->
                new Problem(
                    431,
                    "headers_too_large",
                    "Headers too large",
                    "The request's headers are larger than the gateway accepts.");
            default ->
                Problem.badRequest(
                    "validation_failed", "The request's headers are not well-formed HTTP.");
          });
      return;
    }
    String host = request.getHeader("Host");
    if (host == null
        || host.isBlank()
        || host.equals(MISSING_HOST)
        || request.headers().getAll("Host").size() > 1) {
      ctx.fail(invalid("header:Host", "Send exactly one Host header."));
      return;
    }
    String path = request.path();
    if (path == null || !path.startsWith("/")) {
      ctx.fail(invalid("", "The request target must be an absolute path."));
      return;
    }
    String lower = path.toLowerCase(Locale.ROOT);
    boolean bad =
        lower.endsWith("/.")
            || lower.endsWith("/..")
            || FORBIDDEN_IN_PATH.stream().anyMatch(lower::contains)
            || hasControl(path)
            || !wellEncoded(path);
    if (bad) {
      ctx.fail(
          invalid(
              "",
              "The path must not hold dot-segments, empty segments, encoded slashes or"
                  + " backslashes, control characters or broken percent-escapes."));
      return;
    }
    String query = request.query();
    if (query != null && !(wellEncoded(query) && decodesAsUtf8(query) && !hasControl(query))) {
      ctx.fail(
          invalid(
              "",
              "The query string must be valid percent-encoding of UTF-8, without control"
                  + " characters."));
      return;
    }
    ctx.next();
  }

  /** The percent-escapes of {@code s} decode to well-formed UTF-8 without control characters. */
  private static boolean decodesAsUtf8(String s) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        bytes.write(Integer.parseInt(s, i + 1, i + 3, 16));
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        return false; // a raw non-ASCII character in a request target
      }
    }
    try {
      String decoded =
          java.nio.charset.StandardCharsets.UTF_8
              .newDecoder()
              .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
              .toString();
      return !StrictJson.hasForbiddenCharacter(decoded);
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  /** Every {@code %} starts a two-digit hexadecimal escape. */
  private static boolean wellEncoded(String s) {
    for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
      if (i + 2 >= s.length()
          || Character.digit(s.charAt(i + 1), 16) < 0
          || Character.digit(s.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static Problem invalid(String pointer, String detail) {
    return Problem.badRequest("validation_failed", detail)
        .withErrors(List.of(new Problem.FieldError(pointer, detail)));
  }
}
