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
    assertThat(response.header("cache-control")).isEqualTo("no-store");
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
}
