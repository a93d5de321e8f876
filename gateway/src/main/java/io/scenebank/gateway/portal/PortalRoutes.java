package io.scenebank.gateway.portal;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.support.Digests;
import io.scenebank.openapi.Contract;
import io.scenebank.openapi.GeneratorVariant;
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
 * <p>The contract itself is served as {@code /portal/openapi.yaml} (as written), {@code
 * /portal/openapi.json} (the same document as JSON) and {@code /portal/openapi-generators.json}
 * (what code generators for other languages take: see {@code GeneratorVariant}).
 *
 * <p>Every page is served with a strict Content-Security-Policy (same origin only, no inline script
 * or style, no framing, Trusted Types) and {@code nosniff}. Pages are public and the same for
 * everyone, so unlike the API's answers ({@code no-store}) they may be cached: each carries a
 * strong {@code ETag} and {@code Cache-Control: no-cache} (use the copy after asking whether it
 * changed; an unchanged page answers {@code 304} without a body), and is sent gzip-compressed to
 * clients that accept it (compressed once, when first read). Names are restricted to lower-case
 * letters, digits, {@code .}, {@code _} and {@code -} in folders, with a known extension; anything
 * else, and any file not on the classpath, falls through to the gateway's {@code 404} problem.
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
          "yaml", "application/yaml; charset=utf-8",
          "txt", "text/plain; charset=utf-8",
          "woff2", "font/woff2");

  /** Pages for sandbox developers only: production partners keep their keys off web pages. */
  static final java.util.Set<String> SANDBOX_ONLY = java.util.Set.of("signup.html", "console.html");

  private final Mode mode;

  /** A page as served: its bytes, gzip-compressed bytes and their entity tags. */
  record Page(Buffer body, String etag, Buffer gzip, String gzipEtag) {

    static Page of(byte[] bytes) {
      String hash =
          java.util.Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(Digests.sha256(bytes))
              .substring(0, 22);
      java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream(bytes.length / 3);
      try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
        gz.write(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Page(
          Buffer.buffer(bytes),
          "\"" + hash + "\"",
          Buffer.buffer(zipped.toByteArray()),
          "\"" + hash + "-gzip\"");
    }
  }

  /** Files found, by name. Misses are not cached: names come from requests. */
  private final Map<String, Page> cache = new ConcurrentHashMap<>();

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
    Page cached = cache.get(file);
    Future<Optional<Page>> content =
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
          Page page = result.result().get();
          cache.putIfAbsent(file, page);
          send(ctx, type, page);
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

  private static Optional<Page> read(String name) {
    if (name.equals("guides/index.html")) {
      return Optional.of(Page.of(Guides.index()));
    }
    if (name.startsWith("guides/")) {
      return Guides.page(name).map(Page::of);
    }
    if (name.equals("openapi.json")) {
      return Optional.of(
          Page.of(
              Contract.fromClasspath()
                  .document()
                  .encodePrettily()
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    InputStream in =
        switch (name) {
          case "openapi.yaml" -> Contract.class.getResourceAsStream(Contract.RESOURCE);
          case "openapi-generators.json" ->
              Contract.class.getResourceAsStream(GeneratorVariant.RESOURCE);
          default -> PortalRoutes.class.getClassLoader().getResourceAsStream(ROOT + name);
        };
    try (in) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(Page.of(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(RoutingContext ctx, String type, Page page) {
    MultiMap headers = ctx.response().headers();
    boolean gzip = acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING));
    Buffer body = gzip ? page.gzip() : page.body();
    String etag = gzip ? page.gzipEtag() : page.etag();
    headers.set(HttpHeaders.CACHE_CONTROL, "no-cache");
    headers.set(HttpHeaders.ETAG, etag);
    headers.set(HttpHeaders.VARY, "Accept-Encoding");
    if (gzip) {
      headers.set(HttpHeaders.CONTENT_ENCODING, "gzip");
    }
    headers.set(HttpHeaders.CONTENT_TYPE, type);
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    if (ctx.request().method() == HttpMethod.HEAD) {
      headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
      ctx.response().end();
    } else {
      ctx.response().end(body);
    }
  }

  /** True if {@code Accept-Encoding} lists gzip (or {@code *}) without {@code q=0}. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.trim().split(";");
      String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
      if (!coding.equals("gzip") && !coding.equals("*")) {
        continue;
      }
      boolean refused = false;
      for (int i = 1; i < pieces.length; i++) {
        String parameter = pieces[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (parameter.matches("q=0(\\.0{0,3})?")) {
          refused = true;
        }
      }
      return !refused;
    }
    return false;
  }

  /** True if {@code If-None-Match} names {@code etag} (or is {@code *}). */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
