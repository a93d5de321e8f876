package io.scenebank.sdk.internal.httpsig;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.Signer;
import io.scenebank.sdk.testing.Rfc9421Keys;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples of RFC 9421 (Appendix B.2, B.3 and §2.4) for the algorithms Scenebank supports:
 * exact signature bases, the published signatures verified, and the deterministic Ed25519 one
 * reproduced. RSA-PSS and ECDSA are randomized, so their published signatures are only verified.
 */
class Rfc9421ExamplesTest {

  private static final String REQUEST_DIGEST =
      "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";
  private static final String RESPONSE_DIGEST =
      "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:";

  private static final PublicJwk RSA_PSS =
      Keys.publicJwkFromPem(Rfc9421Keys.RSA_PSS_PUBLIC, "test-key-rsa-pss");
  private static final PublicJwk ECC_P256 = PublicJwk.parse(Rfc9421Keys.ECC_P256_JWK);
  private static final PublicJwk ED25519 = PublicJwk.parse(Rfc9421Keys.ED25519_JWK);

  /** The test-request of Appendix B.2, plus any extra header lines. */
  private static BasicMessage.Builder testRequest() {
    return Message.request("POST", "https://example.com/foo?param=Value&Pet=dog")
        .header("Host", "example.com")
        .header("Date", "Tue, 20 Apr 2021 02:07:55 GMT")
        .header("Content-Type", "application/json")
        .header("Content-Digest", REQUEST_DIGEST)
        .header("Content-Length", "18");
  }

  /** The test-response of Appendix B.2. */
  private static BasicMessage.Builder testResponse() {
    return Message.response(200, null)
        .header("Date", "Tue, 20 Apr 2021 02:07:56 GMT")
        .header("Content-Type", "application/json")
        .header("Content-Digest", RESPONSE_DIGEST)
        .header("Content-Length", "23");
  }

  private static String base(Message message, String signatureInputMember) {
    SignatureInput input =
        SignatureInput.parseField(signatureInputMember).values().iterator().next();
    return SignatureBase.build(input.components(), input.signatureParamsValue(), message);
  }

  @Test
  void contentDigests_ofTestMessages_matchTheirBodies() {
    assertThat(ContentDigest.check(REQUEST_DIGEST, bytes("{\"hello\": \"world\"}")))
        .isEqualTo(ContentDigest.Result.OK);
    assertThat(ContentDigest.check(RESPONSE_DIGEST, bytes("{\"message\": \"good dog\"}")))
        .isEqualTo(ContentDigest.Result.OK);
  }

  @Test
  void b21_minimalRsaPss_baseMatchesAndPublishedSignatureVerifies() {
    String input =
        "sig-b21=();created=1618884473;keyid=\"test-key-rsa-pss\";nonce=\"b3k2pp5k7z-50gnwp.yemd\"";
    String signature =
        "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:";
    Message message = testRequest().build();

    assertThat(base(message, input))
        .isEqualTo(
            "\"@signature-params\": ();created=1618884473;keyid=\"test-key-rsa-pss\""
                + ";nonce=\"b3k2pp5k7z-50gnwp.yemd\"");
    assertVerifies(testRequest(), input, signature, "sig-b21", RSA_PSS);
  }

  @Test
  void b22_selectiveRsaPss_baseMatchesAndPublishedSignatureVerifies() {
    String input =
        "sig-b22=(\"@authority\" \"content-digest\" \"@query-param\";name=\"Pet\")"
            + ";created=1618884473;keyid=\"test-key-rsa-pss\";tag=\"header-example\"";
    String signature =
        "sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw==:";

    assertThat(base(testRequest().build(), input))
        .isEqualTo(
            String.join(
                "\n",
                "\"@authority\": example.com",
                "\"content-digest\": " + REQUEST_DIGEST,
                "\"@query-param\";name=\"Pet\": dog",
                "\"@signature-params\": (\"@authority\" \"content-digest\" \"@query-param\""
                    + ";name=\"Pet\");created=1618884473;keyid=\"test-key-rsa-pss\""
                    + ";tag=\"header-example\""));
    assertVerifies(testRequest(), input, signature, "sig-b22", RSA_PSS);
  }

  @Test
  void b23_fullCoverageRsaPss_baseMatchesAndPublishedSignatureVerifies() {
    String input =
        "sig-b23=(\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" \"content-type\""
            + " \"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-rsa-pss\"";
    String signature =
        "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:";

    assertThat(base(testRequest().build(), input))
        .isEqualTo(
            String.join(
                "\n",
                "\"date\": Tue, 20 Apr 2021 02:07:55 GMT",
                "\"@method\": POST",
                "\"@path\": /foo",
                "\"@query\": ?param=Value&Pet=dog",
                "\"@authority\": example.com",
                "\"content-type\": application/json",
                "\"content-digest\": " + REQUEST_DIGEST,
                "\"content-length\": 18",
                "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@query\" \"@authority\""
                    + " \"content-type\" \"content-digest\" \"content-length\")"
                    + ";created=1618884473;keyid=\"test-key-rsa-pss\""));
    assertVerifies(testRequest(), input, signature, "sig-b23", RSA_PSS);
  }

  @Test
  void b24_responseEcdsaP256_baseMatchesAndPublishedSignatureVerifies() {
    String input =
        "sig-b24=(\"@status\" \"content-type\" \"content-digest\" \"content-length\")"
            + ";created=1618884473;keyid=\"test-key-ecc-p256\"";
    String signature =
        "sig-b24=:wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw==:";

    assertThat(base(testResponse().build(), input))
        .isEqualTo(
            String.join(
                "\n",
                "\"@status\": 200",
                "\"content-type\": application/json",
                "\"content-digest\": " + RESPONSE_DIGEST,
                "\"content-length\": 23",
                "\"@signature-params\": (\"@status\" \"content-type\" \"content-digest\""
                    + " \"content-length\");created=1618884473;keyid=\"test-key-ecc-p256\""));
    assertVerifies(testResponse(), input, signature, "sig-b24", ECC_P256);
  }

  @Test
  void b26_ed25519_signingReproducesThePublishedSignature() {
    String input =
        "sig-b26=(\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\""
            + " \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"";
    String signature =
        "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:";
    String expectedBase =
        String.join(
            "\n",
            "\"date\": Tue, 20 Apr 2021 02:07:55 GMT",
            "\"@method\": POST",
            "\"@path\": /foo",
            "\"@authority\": example.com",
            "\"content-type\": application/json",
            "\"content-length\": 18",
            "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\""
                + " \"content-type\" \"content-length\");created=1618884473"
                + ";keyid=\"test-key-ed25519\"");
    Signer signer = Keys.signerFromPem(Rfc9421Keys.ED25519_PRIVATE, "test-key-ed25519");
    SignatureSpec spec =
        SignatureSpec.builder()
            .label("sig-b26")
            .components("date", "@method", "@path", "@authority", "content-type", "content-length")
            .created(1618884473L)
            .build();

    CreatedSignature created = HttpSignatures.sign(testRequest().build(), spec, signer);

    assertThat(created.signatureBase()).isEqualTo(expectedBase);
    assertThat(created.signatureInputHeader()).isEqualTo(input);
    assertThat(created.signatureHeader()).isEqualTo(signature);
    assertVerifies(testRequest(), input, signature, "sig-b26", ED25519);
    assertThat(Keys.publicJwkFromPem(Rfc9421Keys.ED25519_PUBLIC, "test-key-ed25519"))
        .isEqualTo(ED25519);
  }

  @Test
  void b3_proxyEcdsaOverClientCert_baseMatchesAndPublishedSignatureVerifies() {
    String clientCert =
        ":MIIBqDCCAU6gAwIBAgIBBzAKBggqhkjOPQQDAjA6MRswGQYDVQQKDBJMZXQncyBBdXRoZW50aWNhdGUxGzAZBgNVBAMMEkxBIEludGVybWVkaWF0ZSBDQTAeFw0yMDAxMTQyMjU1MzNaFw0yMTAxMjMyMjU1MzNaMA0xCzAJBgNVBAMMAkJDMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8YnXXfaUgmnMtOXU/IncWalRhebrXmckC8vdgJ1p5Be5F/3YC8OthxM4+k1M6aEAEFcGzkJiNy6J84y7uzo9M6NyMHAwCQYDVR0TBAIwADAfBgNVHSMEGDAWgBRm3WjLa38lbEYCuiCPct0ZaSED2DAOBgNVHQ8BAf8EBAMCBsAwEwYDVR0lBAwwCgYIKwYBBQUHAwIwHQYDVR0RAQH/BBMwEYEPYmRjQGV4YW1wbGUuY29tMAoGCCqGSM49BAMCA0gAMEUCIBHda/r1vaL6G3VliL4/Di6YK0Q6bMjeSkC3dFCOOB8TAiEAx/kHSB4urmiZ0NX5r5XarmPk0wmuydBVoU4hBVZ1yhk=:";
    String input =
        "ttrp=(\"@path\" \"@query\" \"@method\" \"@authority\" \"client-cert\")"
            + ";created=1618884473;keyid=\"test-key-ecc-p256\"";
    String signature =
        "ttrp=:xVMHVpawaAC/0SbHrKRs9i8I3eOs5RtTMGCWXm/9nvZzoHsIg6Mce9315T6xoklyy0yzhD9ah4JHRwMLOgmizw==:";
    BasicMessage.Builder proxied =
        Message.request("POST", "https://service.internal.example/foo?param=Value&Pet=dog")
            .header("Host", "service.internal.example")
            .header("Date", "Tue, 20 Apr 2021 02:07:55 GMT")
            .header("Content-Type", "application/json")
            .header("Content-Length", "18")
            .header("Client-Cert", clientCert);

    assertThat(base(proxied.build(), input))
        .isEqualTo(
            String.join(
                "\n",
                "\"@path\": /foo",
                "\"@query\": ?param=Value&Pet=dog",
                "\"@method\": POST",
                "\"@authority\": service.internal.example",
                "\"client-cert\": " + clientCert,
                "\"@signature-params\": (\"@path\" \"@query\" \"@method\" \"@authority\""
                    + " \"client-cert\");created=1618884473;keyid=\"test-key-ecc-p256\""));
    assertVerifies(proxied, input, signature, "ttrp", ECC_P256);
  }

  /** RFC 9421 §2.4: a response covering request components with {@code req}. */
  @Test
  void section24_responseWithReqComponents_baseMatchesAndPublishedSignatureVerifies() {
    String input =
        "reqres=(\"@status\" \"content-digest\" \"content-type\" \"@authority\";req"
            + " \"@method\";req \"@path\";req \"content-digest\";req)"
            + ";created=1618884479;keyid=\"test-key-ecc-p256\"";
    String signature =
        "reqres=:dMT/A/76ehrdBTD/2Xx8QuKV6FoyzEP/I9hdzKN8LQJLNgzU4W767HK05rx1i8meNQQgQPgQp8wq2ive3tV5Ag==:";
    String responseDigest =
        "sha-512=:0Y6iCBzGg5rZtoXS95Ijz03mslf6KAMCloESHObfwnHJDbkkWWQz6PhhU9kxsTbARtY2PTBOzq24uJFpHsMuAg==:";
    BasicMessage.Builder response =
        Message.response(503, testRequest().build())
            .header("Date", "Tue, 20 Apr 2021 02:07:56 GMT")
            .header("Content-Type", "application/json")
            .header("Content-Length", "62")
            .header("Content-Digest", responseDigest);

    assertThat(
            ContentDigest.check(
                responseDigest,
                bytes("{\"busy\": true, \"message\": \"Your call is very important to us\"}")))
        .isEqualTo(ContentDigest.Result.OK);
    assertThat(base(response.build(), input))
        .isEqualTo(
            String.join(
                "\n",
                "\"@status\": 503",
                "\"content-digest\": " + responseDigest,
                "\"content-type\": application/json",
                "\"@authority\";req: example.com",
                "\"@method\";req: POST",
                "\"@path\";req: /foo",
                "\"content-digest\";req: " + REQUEST_DIGEST,
                "\"@signature-params\": (\"@status\" \"content-digest\" \"content-type\""
                    + " \"@authority\";req \"@method\";req \"@path\";req \"content-digest\";req)"
                    + ";created=1618884479;keyid=\"test-key-ecc-p256\""));
    assertVerifies(response, input, signature, "reqres", ECC_P256);
  }

  /**
   * The request-response example of the RFC's source draft: the response covers the request's
   * signature with {@code "signature";req;key="sig1"}, as Scenebank's responses do.
   */
  @Test
  void reqKeyExample_responseCoveringRequestSignature_baseMatchesAndPublishedSignatureVerifies() {
    String requestSignature =
        ":LAH8BjcfcOcLojiuOBFWn0P5keD3xAOuJRGziCLuD8r5MW9S0RoXXLzLSRfGY/3SF8kVIkHjE13SEFdTo4Af/fJ/Pu9wheqoLVdwXyY/UkBIS1M8Brc8IODsn5DFIrG0IrburbLi0uCc+E2ZIIb6HbUJ+o+jP58JelMTe0QE3IpWINTEzpxjqDf5/Df+InHCAkQCTuKsamjWXUpyOT1Wkxi7YPVNOjW4MfNuTZ9HdbD2Tr65+BXeTG9ZS/9SWuXAc+BZ8WyPz0QRz//ec3uWXd7bYYODSjRAxHqX+S1ag3LZElYyUKaAIjZ8MGOt4gXEwCSLDv/zqxZeWLj/PDkn6w==:";
    Message request =
        testRequest()
            .header(
                "Signature-Input",
                "sig1=(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-length\""
                    + " \"content-type\");created=1618884475;keyid=\"test-key-rsa-pss\"")
            // the example writes two spaces after the field name; the parser ignores them
            .header("Signature", "  sig1=" + requestSignature)
            .build();
    String input =
        "reqres=(\"@status\" \"content-length\" \"content-type\" \"signature\";req;key=\"sig1\""
            + " \"@authority\";req \"@method\";req);created=1618884479;keyid=\"test-key-ecc-p256\"";
    String signature =
        "reqres=:mh17P4TbYYBmBwsXPT4nsyVzW4Rp9Fb8WcvnfqKCQLoMvzOBLD/n32tL/GPW6XE5GAS5bdsg1khK6lBzV1Cx/Q==:";
    BasicMessage.Builder response =
        Message.response(503, request)
            .header("Date", "Tue, 20 Apr 2021 02:07:56 GMT")
            .header("Content-Type", "application/json")
            .header("Content-Length", "62");

    assertThat(base(response.build(), input))
        .isEqualTo(
            String.join(
                "\n",
                "\"@status\": 503",
                "\"content-length\": 62",
                "\"content-type\": application/json",
                "\"signature\";req;key=\"sig1\": " + requestSignature,
                "\"@authority\";req: example.com",
                "\"@method\";req: POST",
                "\"@signature-params\": (\"@status\" \"content-length\" \"content-type\""
                    + " \"signature\";req;key=\"sig1\" \"@authority\";req \"@method\";req)"
                    + ";created=1618884479;keyid=\"test-key-ecc-p256\""));
    assertVerifies(response, input, signature, "reqres", ECC_P256);
  }

  @Test
  void publishedSignature_onAlteredMessage_doesNotVerify() {
    String input =
        "sig-b26=(\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\""
            + " \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"";
    String signature =
        "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:";
    Message altered =
        Message.request("POST", "https://example.com/foo?param=Value&Pet=dog")
            .header("Date", "Tue, 20 Apr 2021 02:07:55 GMT")
            .header("Content-Type", "application/json")
            .header("Content-Length", "19")
            .header("Signature-Input", input)
            .header("Signature", signature)
            .build();

    SignatureVerification result = HttpSignatures.verify(altered, "sig-b26", ED25519);

    assertThat(result.status()).isEqualTo(SignatureVerification.Status.SIGNATURE_INVALID);
  }

  private static void assertVerifies(
      BasicMessage.Builder message, String input, String signature, String label, PublicJwk key) {
    Message signed =
        message.header("Signature-Input", input).header("Signature", signature).build();
    SignatureVerification result = HttpSignatures.verify(signed, label, key);
    assertThat(result.status()).as(result.detail()).isEqualTo(SignatureVerification.Status.VALID);
    Map<String, SignatureInput> parsed = SignatureInput.parseField(input);
    assertThat(parsed.get(label).fieldMember()).isEqualTo(input);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
