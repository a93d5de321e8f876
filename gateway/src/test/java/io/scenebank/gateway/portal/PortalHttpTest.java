package io.scenebank.gateway.portal;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestGateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The portal over plain HTTP: content types, headers, redirects, and 404 for everything else. */
class PortalHttpTest {

  static Http http;

  @BeforeAll
  static void gateway() {
    http = new Http(TestGateway.shared().port());
  }

  @Test
  void portalRoot_isTheIndexPage_asHtml() {
    Http.Response response = http.get("/portal/");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(response.body()).contains("<title>Scenebank developer portal");
    assertThat(response.header("content-security-policy"))
        .isEqualTo(PortalRoutes.CONTENT_SECURITY_POLICY);
    // public pages may be cached, revalidated by their entity tag; the API's answers never are
    assertThat(response.header("cache-control")).isEqualTo("no-cache");
    assertThat(response.header("etag")).matches("\"[A-Za-z0-9_-]{22}\"");
    assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
    assertThat(response.header("x-frame-options")).isEqualTo("DENY");
    assertThat(response.header("referrer-policy")).isEqualTo("no-referrer");
    assertThat(response.header("x-request-id")).isNotBlank();
    assertThat(http.get("/portal/index.html").body()).isEqualTo(response.body());
  }

  @Test
  void assets_haveTheirContentTypes() {
    assertThat(http.get("/portal/assets/portal.css").contentType())
        .isEqualTo("text/css; charset=utf-8");
    assertThat(http.get("/portal/assets/js/console.js").contentType())
        .isEqualTo("text/javascript; charset=utf-8");
    assertThat(http.get("/portal/assets/favicon.svg").contentType()).isEqualTo("image/svg+xml");
    for (String page : new String[] {"signup", "console", "signatures"}) {
      Http.Response response = http.get("/portal/" + page + ".html");
      assertThat(response.status()).as(page).isEqualTo(200);
      assertThat(response.contentType()).as(page).isEqualTo("text/html; charset=utf-8");
    }
  }

  @Test
  void reference_isServedFromTheOpenapiJar() {
    Http.Response response = http.get("/portal/reference.html");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(response.body()).contains("data-operation-id=\"createConsent\"");
  }

  @Test
  void rootAndPortal_redirectToThePortal() {
    for (String path : new String[] {"/", "/portal"}) {
      Http.Response response = http.get(path);
      assertThat(response.status()).as(path).isEqualTo(302);
      assertThat(response.header("location")).as(path).isEqualTo("/portal/");
    }
  }

  @Test
  void head_answersHeadersOnly() {
    Http.Response response = http.send("HEAD", "/portal/", null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.header("content-security-policy")).isNotBlank();
  }

  @Test
  void unknownPortalPaths_are404Problems() {
    for (String path :
        new String[] {
          "/portal/x",
          "/portal/nothing.html",
          "/portal/assets/",
          "/portal/assets/js",
          "/portal/.hidden.html",
          "/portal/Index.HTML",
          "/portal/assets/portal.css.map"
        }) {
      assertProblem(http.get(path), 404, "not_found");
    }
    // a path that climbs out of the portal is refused before routing, whatever it would reach
    for (String path :
        new String[] {
          "/portal/../pom.xml",
          "/portal/%2e%2e/io/scenebank/openapi/scenebank.yaml",
          "/portal/..%2fdb/migration/index.txt"
        }) {
      assertProblem(http.get(path), 400, "validation_failed");
    }
  }

  @Test
  void otherMethods_areNotAllowed() {
    assertProblem(http.post("/portal/index.html", "{}"), 405, "method_not_allowed");
  }

  @Test
  void unknownRoutesOutsideThePortal_stay404Problems() {
    assertProblem(http.get("/nothing-here"), 404, "not_found");
    assertProblem(http.get("/portalx"), 404, "not_found");
  }

  @Test
  void anUnchangedPage_answers304WithoutABody_andAChangedTagGetsThePage() {
    String etag = http.get("/portal/reference.html").header("etag");

    Http.Response unchanged = http.get("/portal/reference.html", "If-None-Match", etag);
    assertThat(unchanged.status()).isEqualTo(304);
    assertThat(unchanged.body()).isEmpty();
    assertThat(unchanged.header("etag")).isEqualTo(etag);

    Http.Response changed = http.get("/portal/reference.html", "If-None-Match", "\"other\"");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.body()).contains("data-operation-id=\"createConsent\"");
  }

  @Test
  void pagesAreGzipped_forClientsThatAcceptIt_withTheirOwnTag() throws Exception {
    java.net.http.HttpResponse<byte[]> plain = reference(null);
    java.net.http.HttpResponse<byte[]> zipped = reference("br;q=1, gzip;q=0.8");
    java.net.http.HttpResponse<byte[]> refused = reference("gzip;q=0");

    assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
    assertThat(refused.headers().firstValue("content-encoding")).isEmpty();
    assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(zipped.headers().firstValue("vary")).hasValue("Accept-Encoding");
    assertThat(zipped.headers().firstValue("etag").orElseThrow())
        .isNotEqualTo(plain.headers().firstValue("etag").orElseThrow());
    // the reference is large: compressed, it is a fraction of its size
    assertThat(zipped.body().length).isLessThan(plain.body().length / 4);
    try (java.util.zip.GZIPInputStream in =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))) {
      assertThat(in.readAllBytes()).isEqualTo(plain.body());
    }
  }

  /** The reference page's bytes as sent, with this {@code Accept-Encoding} (or none). */
  private static java.net.http.HttpResponse<byte[]> reference(String acceptEncoding)
      throws Exception {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(
                "http://localhost:" + TestGateway.shared().port() + "/portal/reference.html"));
    if (acceptEncoding != null) {
      request.header("Accept-Encoding", acceptEncoding);
    }
    return java.net.http.HttpClient.newHttpClient()
        .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void theContract_isServedAsWritten_andAsJson() {
    Http.Response yaml = http.get("/portal/openapi.yaml");
    assertThat(yaml.status()).isEqualTo(200);
    assertThat(yaml.contentType()).isEqualTo("application/yaml; charset=utf-8");
    assertThat(yaml.body()).isEqualTo(readContract());

    Http.Response json = http.get("/portal/openapi.json");
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.contentType()).isEqualTo("application/json");
    assertThat(json.json()).isEqualTo(io.scenebank.openapi.Contract.fromClasspath().document());

    Http.Response generators = http.get("/portal/openapi-generators.json");
    assertThat(generators.status()).isEqualTo(200);
    assertThat(generators.json())
        .isEqualTo(
            io.scenebank.openapi.GeneratorVariant.of(
                io.scenebank.openapi.Contract.fromClasspath().document()));
  }

  private static String readContract() {
    try (java.io.InputStream in =
        io.scenebank.openapi.Contract.class.getResourceAsStream(
            io.scenebank.openapi.Contract.RESOURCE)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void apiAnswers_stayNoStore() {
    assertThat(http.get("/health/live").header("cache-control")).isEqualTo("no-store");
  }
}
