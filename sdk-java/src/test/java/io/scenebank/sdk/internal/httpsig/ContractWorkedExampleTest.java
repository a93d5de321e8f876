package io.scenebank.sdk.internal.httpsig;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.Signer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The "Worked example (reproducible)" of openapi/scenebank.yaml (info.description): the documented
 * Ed25519 key, Content-Digest, signature base, headers and JWK thumbprint, reproduced exactly.
 */
class ContractWorkedExampleTest {

  static final String DOC_KEY_PEM =
      String.join(
          "\n",
          "-----BEGIN PRIVATE KEY-----",
          "MC4CAQAwBQYDK2VwBCIEIEmKCH2iWhV/IX52LKz/tbgc+GKUYwIMWdJoA9+7FMTb",
          "-----END PRIVATE KEY-----");

  static final String BODY =
      "{\"patient\":{\"id_number\":\"999999199001010011\",\"name\":\"张三\",\"phone\":\"13800000011\"},"
          + "\"hospital_patient_ref\":\"P20261123-0042\","
          + "\"requested_limit\":{\"amount\":500000,\"currency\":\"CNY\"},"
          + "\"metadata\":{\"his_visit_no\":\"MZ20261123-0042\"}}";

  static final String AUTHORIZATION =
      "Bearer eyJhbGciOiJFZERTQSIsImtpZCI6Imd3LWVkMjU1MTktMjAyNi0xMSIsInR5cCI6ImF0K2p3dCJ9"
          + ".eyJpc3MiOiJodHRwczovL3NhbmRib3guc2NlbmViYW5rLmV4YW1wbGUifQ.ZG9jdW1lbnRhdGlvbi1vbmx5";

  static final String DIGEST = "sha-256=:gR+mtjUBRTd2GVoT1ePGvKEj/Y7p96LVPMIKYaKlAaY=:";

  static final String SIGNATURE_INPUT =
      "sig1=(\"@method\" \"@target-uri\" \"authorization\" \"content-digest\" \"idempotency-key\")"
          + ";created=1795400130;keyid=\"doc-ed25519\";nonce=\"Qm9va2luZ05vbmNlMDAwMQ\""
          + ";alg=\"ed25519\";tag=\"scenebank\"";

  static final String SIGNATURE =
      "sig1=:ZhN6SvsryxyhTrlSDYHlnyvlS3k5NaTokrYpopAcO0TYaBbnRo2Ql9OfIcf9+xkLexY5KZcEQo9bZjPVtoJDDw==:";

  static final String BASE =
      String.join(
          "\n",
          "\"@method\": POST",
          "\"@target-uri\": https://sandbox.scenebank.example/v1/care/consents",
          "\"authorization\": " + AUTHORIZATION,
          "\"content-digest\": " + DIGEST,
          "\"idempotency-key\": 8e0f7c52-3d4b-4c1e-9a7f-2b6d5e4c3a21",
          "\"@signature-params\": (\"@method\" \"@target-uri\" \"authorization\""
              + " \"content-digest\" \"idempotency-key\");created=1795400130"
              + ";keyid=\"doc-ed25519\";nonce=\"Qm9va2luZ05vbmNlMDAwMQ\";alg=\"ed25519\""
              + ";tag=\"scenebank\"");

  static BasicMessage.Builder request() {
    return Message.request("POST", "https://sandbox.scenebank.example/v1/care/consents")
        .header("Authorization", AUTHORIZATION)
        .header("Content-Type", "application/json")
        .header("Content-Digest", DIGEST)
        .header("Idempotency-Key", "8e0f7c52-3d4b-4c1e-9a7f-2b6d5e4c3a21");
  }

  @Test
  void contentDigest_ofDocumentedBody_matchesDocument() {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);

    assertThat(ContentDigest.header(ContentDigest.SHA_256, body)).isEqualTo(DIGEST);
    assertThat(ContentDigest.check(DIGEST, body)).isEqualTo(ContentDigest.Result.OK);
  }

  @Test
  void publicJwk_ofDocumentedKey_matchesDocumentedJwkAndThumbprint() {
    PublicJwk jwk = Keys.publicJwkFromPem(DOC_KEY_PEM, "doc-ed25519");
    PublicJwk documented =
        PublicJwk.parse(
            "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
                + "\"x\":\"ncqXQ-qPOchlUXc75JhCu4jalA-WrlF1E3ddMXtG0Hk\",\"kid\":\"doc-ed25519\"}");

    assertThat(jwk).isEqualTo(documented);
    assertThat(jwk.thumbprint()).isEqualTo("2aK1tJIV1uXowJxr-gVMAEcJtSgbQdHBQzQ-Zcq3bWY");
  }

  @Test
  void sign_documentedRequest_reproducesDocumentedBaseAndHeaders() {
    Signer signer = Keys.signerFromPem(DOC_KEY_PEM, "doc-ed25519");
    SignatureSpec spec =
        SignatureSpec.builder()
            .components(
                "@method", "@target-uri", "authorization", "content-digest", "idempotency-key")
            .created(1795400130L)
            .nonce("Qm9va2luZ05vbmNlMDAwMQ")
            .includeAlg(true)
            .tag("scenebank")
            .build();

    CreatedSignature created = HttpSignatures.sign(request().build(), spec, signer);

    assertThat(created.signatureBase()).isEqualTo(BASE);
    assertThat(created.signatureInputHeader()).isEqualTo(SIGNATURE_INPUT);
    assertThat(created.signatureHeader()).isEqualTo(SIGNATURE);
  }

  @Test
  void verify_documentedHeaders_isValid() {
    Message signed =
        request().header("Signature-Input", SIGNATURE_INPUT).header("Signature", SIGNATURE).build();

    SignatureVerification result =
        HttpSignatures.verify(signed, "sig1", Keys.publicJwkFromPem(DOC_KEY_PEM, "doc-ed25519"));

    assertThat(result.isValid()).as(result.detail()).isTrue();
    assertThat(result.signatureBase()).isEqualTo(BASE);
    assertThat(result.input().nonce()).contains("Qm9va2luZ05vbmNlMDAwMQ");
    assertThat(result.input().created()).hasValue(1795400130L);
  }
}
