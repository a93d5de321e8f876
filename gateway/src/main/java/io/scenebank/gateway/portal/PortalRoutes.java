package io.scenebank.gateway.portal;

import io.scenebank.gateway.config.Mode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The developer portal: static pages under {@code /portal/}, read from the classpath folder {@code
 * portal/} only (the gateway's own pages, and {@code portal/reference.html} which the openapi
 * module renders from the contract at build time). Public, no authentication; {@code /} and {@code
 * /portal} redirect to {@code /portal/}.
 *
 * <p>Every page is served with a strict Content-Security-Policy (same origin only, no inline script
 * or style, no framing, Trusted Types), and with the gateway's usual {@code Cache-Control:
 * no-store} and {@code nosniff}. Names are restricted to lower-case letters, digits, {@code .},
 * {@code _} and {@code -} in folders, with a known extension; anything else, and any file not on
 * the classpath, falls through to the gateway's {@code 404} problem.
 */
public final class PortalRoutes {

  /** Where the portal is served. */
  public static final String PREFIX = "/portal/";

  private static final String ROOT = "portal/";

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self';"
          + " connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none';"
          + " frame-ancestors 'none'; object-src 'none'; require-trusted-types-for 'script';"
          + " trusted-types 'none'";

  private static final Pattern NAME =
      Pattern.compile("^(?:[a-z0-9][a-z0-9_-]*/){0,3}[a-z0-9][a-z0-9_.-]*\\.[a-z0-9]{2,5}$");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "json", "application/json",
          "txt", "text/plain; charset=utf-8",
          "woff2", "font/woff2");

  /** Pages for sandbox developers only: production partners keep their keys off web pages. */
  static final java.util.Set<String> SANDBOX_ONLY = java.util.Set.of("signup.html", "console.html");

  private final Mode mode;

  /** Files found, by name. Misses are not cached: names come from requests. */
  private final Map<String, Buffer> cache = new ConcurrentHashMap<>();

  private PortalRoutes(Mode mode) {
    this.mode = mode;
  }

  /**
   * Adds the portal's routes to a router (after the API's routes). In production the signup page
   * and the console are not served.
   */
  public static void mount(Router router, Mode mode) {
    PortalRoutes portal = new PortalRoutes(mode);
    Handler<RoutingContext> toPortal =
        ctx -> ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, PREFIX).end();
    // exact paths (a plain route would also match "/portal/")
    router
        .routeWithRegex("^/(?:portal)?$")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(toPortal);
    router
        .route(PREFIX + "*")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(portal::serve);
  }

  private void serve(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String name = path.length() <= PREFIX.length() ? "index.html" : path.substring(PREFIX.length());
    if (name.endsWith("/")) {
      name = name + "index.html";
    }
    String type = contentType(name);
    if (type == null || (!mode.sandbox() && SANDBOX_ONLY.contains(name))) {
      ctx.next(); // 404 problem
      return;
    }
    String file = name;
    Buffer cached = cache.get(file);
    Future<Optional<Buffer>> content =
        cached != null
            ? Future.succeededFuture(Optional.of(cached))
            : ctx.vertx().executeBlocking(() -> read(file), false);
    content.onComplete(
        result -> {
          if (result.failed()) {
            ctx.fail(result.cause());
            return;
          }
          if (result.result().isEmpty()) {
            ctx.next();
            return;
          }
          Buffer body = result.result().get();
          cache.putIfAbsent(file, body);
          send(ctx, type, body);
        });
  }

  /** The content type of a portal file name, or null if the name is not one the portal serves. */
  static String contentType(String name) {
    if (!NAME.matcher(name).matches() || name.contains("..")) {
      return null;
    }
    String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return TYPES.get(extension);
  }

  private static Optional<Buffer> read(String name) {
    ClassLoader loader = PortalRoutes.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(RoutingContext ctx, String type, Buffer body) {
    MultiMap headers = ctx.response().headers();
    headers.set(HttpHeaders.CONTENT_TYPE, type);
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (ctx.request().method() == HttpMethod.HEAD) {
      headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
      ctx.response().end();
    } else {
      ctx.response().end(body);
    }
  }
}
