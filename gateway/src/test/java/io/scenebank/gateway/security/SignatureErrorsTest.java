package io.scenebank.gateway.security;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In the sandbox a signature that does not verify is answered with what the gateway verified: the
 * signature base it built and the {@code @target-uri} in it, so that a developer can diff them
 * against their own (issue 17). Production stays terse (see ProductionCareTest).
 */
class SignatureErrorsTest {

  private final TestApp app = TestApp.create(SignatureAlgorithm.ED25519, "care");

  @Test
  void aWrongHost_isAnsweredWithTheTargetUriTheGatewayUsed_andItsSignatureBase() {
    String issuer = app.gateway().issuer();
    String wrong = "http://127.0.0.1:" + app.gateway().port();
    Http.Response answer = app.request("GET", "/v1/client/keys").signedFor(wrong).send();

    JsonObject problem = assertProblem(answer, 401, "signature_invalid");
    assertThat(problem.getString("target_uri")).isEqualTo(issuer + "/v1/client/keys");
    assertThat(problem.getString("detail"))
        .contains("SCENEBANK_PUBLIC_URL")
        .contains(issuer + "/v1/client/keys");
    String base = problem.getString("signature_base");
    assertThat(base.lines().toList())
        .startsWith("\"@method\": GET", "\"@target-uri\": " + issuer + "/v1/client/keys");
    assertThat(base).doesNotContain(wrong);
    // the access token is not echoed: its length and hash stand for it
    assertThat(base).doesNotContain(app.token());
    assertThat(base)
        .containsPattern(
            "\"authorization\": Bearer <your token: "
                + app.token().length()
                + " characters, SHA-256 [A-Za-z0-9_-]{43}>");
    assertThat(base.lines().reduce((a, b) -> b).orElseThrow())
        .startsWith("\"@signature-params\": ");
  }

  @Test
  void componentsListedInAnotherOrderThanSigned_showTheOrderTheGatewayVerified() {
    // signed over (@method @target-uri authorization); the Signature-Input then lists them in
    // another order, as a client that builds its base in a different order than it declares
    Http.Response answer =
        app.request("GET", "/v1/client/keys")
            .afterSigning(
                h ->
                    h.put(
                        "Signature-Input",
                        h.get("Signature-Input")
                            .replace(
                                "(\"@method\" \"@target-uri\" \"authorization\")",
                                "(\"authorization\" \"@method\" \"@target-uri\")")))
            .send();

    JsonObject problem = assertProblem(answer, 401, "signature_invalid");
    List<String> lines = problem.getString("signature_base").lines().toList();
    assertThat(lines.get(0)).startsWith("\"authorization\": Bearer <your token: ");
    assertThat(lines.get(1)).isEqualTo("\"@method\": GET");
    assertThat(lines.get(2)).startsWith("\"@target-uri\": ");
  }

  @Test
  void aValidSignature_carriesNoneOfIt() {
    Http.Response answer = app.request("GET", "/v1/client/keys").send();
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).doesNotContain("signature_base");
  }
}
