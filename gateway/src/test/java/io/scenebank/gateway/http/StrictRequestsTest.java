package io.scenebank.gateway.http;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.SignedRequest;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signed requests that a lenient edge used to accept or answer with a 500: each is refused with a
 * clear problem before it reaches an operation.
 */
class StrictRequestsTest {

  static TestApp app;

  @BeforeAll
  static void app() {
    app = TestApp.create(SignatureAlgorithm.ED25519, "care", "merchants");
  }

  private static String consent(String name, String ref) {
    return new JsonObject()
        .put(
            "patient",
            new JsonObject()
                .put("id_number", "999999199001010011")
                .put("name", name)
                .put("phone", "13800000011"))
        .put("hospital_patient_ref", ref)
        .put("requested_limit", new JsonObject().put("amount", 500000).put("currency", "CNY"))
        .encode();
  }

  private static Http.Response postConsent(String body) {
    return app.request("POST", "/v1/care/consents").body(body).send();
  }

  @Test
  void aValidConsent_isStillAccepted() {
    assertThat(postConsent(consent("张三", "P-1")).status()).isEqualTo(201);
  }

  @Test
  void nulAndControlCharacters_areValidationFailures_notServerErrors() {
    JsonObject nul = assertProblem(postConsent(consent("\u0000", "P-2")), 400, "validation_failed");
    assertThat(nul.getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/patient/name");
    assertProblem(postConsent(consent("张三", "P-3\n")), 400, "validation_failed");
    assertProblem(postConsent(consent("张三", "P-3\r\n")), 400, "validation_failed");
  }

  @Test
  void lenientJson_isMalformed() {
    String good = consent("张三", "P-4");
    assertProblem(postConsent("/* hi */" + good), 400, "malformed_json");
    assertProblem(postConsent("\uFEFF" + good), 400, "malformed_json");
    String duplicate = good.replace("{\"patient\"", "{\"hospital_patient_ref\":\"X\",\"patient\"");
    assertProblem(postConsent(duplicate), 400, "malformed_json");
  }

  @Test
  void otherContentTypes_areUnsupported() {
    for (String type : List.of("application/jsonx", "application/json; charset=utf-16")) {
      Http.Response response =
          app.request("POST", "/v1/care/consents")
              .body(consent("张三", "P-5"))
              .afterSigning(h -> h.put("Content-Type", type))
              .send();
      assertProblem(response, 415, "unsupported_media_type");
    }
  }

  @Test
  void badQueryValues_areValidationFailures() {
    for (String query :
        List.of(
            "limit=%2010",
            "limit=1e3",
            "limit=10&limit=20",
            "created_gte=2026-11-23T10%3A15%3A30",
            "hospital_patient_ref=P%00")) {
      Http.Response response = app.request("GET", "/v1/care/consents?" + query).send();
      assertProblem(response, 400, "validation_failed");
    }
    Http.Response good = app.request("GET", "/v1/care/consents?limit=10").send();
    assertThat(good.status()).as(good.body()).isEqualTo(200);
  }

  @Test
  void dotSegmentsInThePath_areRefused_notRoutedElsewhere() {
    for (String path :
        List.of(
            "/v1/merchants/mch_0123456789abcdef/statements/%2e%2e",
            "/v1/merchants/mch_0123456789abcdef/statements/..",
            "/v1/care/consents/%2fx",
            "/v1//care/consents")) {
      assertProblem(app.request("GET", path).send(), 400, "validation_failed");
    }
  }

  @Test
  void aSecondSignatureLine_isRefused_notIgnored() {
    for (String header : List.of("Signature", "Signature-Input")) {
      SignedRequest request = app.request("GET", "/v1/care/consents");
      List<String> headers = new ArrayList<>(List.of(request.headers()));
      headers.add(header);
      headers.add("sig1=:AAAA:");
      Http.Response response =
          new Http(app.gateway().port())
              .send("GET", "/v1/care/consents", null, headers.toArray(new String[0]));
      assertProblem(response, 401, "signature_input_invalid");
    }
  }

  @Test
  void badPercentEncoding_isAValidationFailure() throws Exception {
    String target = "/v1/care/consents?limit=%zz";
    String[] headers = app.request("GET", target).headers();
    StringBuilder raw = new StringBuilder("GET " + target + " HTTP/1.1\r\n");
    raw.append("Host: 127.0.0.1:").append(app.gateway().port()).append("\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      raw.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    String answer = exchange(raw.append("Connection: close\r\n\r\n").toString());
    assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"validation_failed\"");
    assertThat(answer).contains("percent-encoding").contains("Signature:");
  }

  @Test
  void httpLayerRefusals_areSignedProblems() throws Exception {
    String longQuery =
        exchange(
            "GET /v1/care/consents?q="
                + "a".repeat(10_000)
                + " HTTP/1.1\r\n"
                + "Host: localhost\r\nConnection: close\r\n\r\n");
    assertThat(longQuery).matches("(?s)HTTP/1\\.[01] 414 .*").contains("\"code\":\"uri_too_long\"");
    String bigHeaders =
        exchange(
            "GET /v1/care/consents HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Big: "
                + "b".repeat(60_000)
                + "\r\nConnection: close\r\n\r\n");
    assertThat(bigHeaders)
        .startsWith("HTTP/1.1 431")
        .contains("\"code\":\"headers_too_large\"")
        .contains("Signature:");
  }

  private String exchange(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", app.gateway().port())) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aRequestWithoutHost_isAProblem() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", app.gateway().port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /v1/care/consents HTTP/1.1\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json");
      assertThat(answer).contains("\"code\":\"validation_failed\"").contains("Signature:");
    }
  }
}
