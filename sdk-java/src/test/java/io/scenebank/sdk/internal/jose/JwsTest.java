package io.scenebank.sdk.internal.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.internal.Base64Url;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.scenebank.sdk.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JwsTest {

  private static Map<String, Object> claims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", "app_1");
    claims.put("sub", "app_1");
    claims.put("aud", "https://sandbox.scenebank.example");
    claims.put("exp", 1795400430L);
    claims.put("jti", "j-1");
    return claims;
  }

  private static Map<String, Object> header(String typ) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", typ);
    return header;
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void sign_thenParseAndVerify_roundTrips(SignatureAlgorithm algorithm) {
    GeneratedKey key = Keys.generate(algorithm, "kid-" + algorithm.jwsName());

    Jws jws = Jws.parse(Jws.sign(header("JWT"), claims(), key.signer()));

    assertThat(jws.header())
        .containsEntry("alg", algorithm.jwsName())
        .containsEntry("kid", "kid-" + algorithm.jwsName())
        .containsEntry("typ", "JWT");
    assertThat(jws.claims()).containsEntry("iss", "app_1").containsEntry("exp", 1795400430);
    assertThat(jws.algorithm()).isEqualTo(algorithm);
    assertThat(jws.keyId()).contains("kid-" + algorithm.jwsName());
    assertThat(jws.verify(key.publicJwk())).isTrue();
    assertThat(jws.verify(Keys.generate(algorithm, "other").publicJwk())).isFalse();
  }

  @Test
  void verify_withKeyOfAnotherAlgorithm_isFalse() {
    GeneratedKey ed = Keys.generate(SignatureAlgorithm.ED25519, "k");
    Jws jws = Jws.parse(Jws.sign(null, claims(), ed.signer()));

    assertThat(jws.verify(Keys.generate(SignatureAlgorithm.SM2_SM3, "k").publicJwk())).isFalse();
  }

  @Test
  void verify_whenPayloadOrSignatureTampered_isFalse() {
    GeneratedKey key = Keys.generate(SignatureAlgorithm.ECDSA_P256_SHA256, "k");
    String[] parts = Jws.sign(null, claims(), key.signer()).split("\\.");
    Map<String, Object> changed = claims();
    changed.put("sub", "app_2");
    String otherPayload =
        Base64Url.encode(
            io.scenebank.sdk.internal.Json.write(changed).getBytes(StandardCharsets.UTF_8));
    byte[] signature = Base64Url.decode(parts[2]);
    signature[10] ^= 1;

    assertThat(Jws.parse(parts[0] + "." + otherPayload + "." + parts[2]).verify(key.publicJwk()))
        .isFalse();
    assertThat(
            Jws.parse(parts[0] + "." + parts[1] + "." + Base64Url.encode(signature))
                .verify(key.publicJwk()))
        .isFalse();
  }

  @Test
  void sign_whenHeaderNamesOtherAlg_throws() {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "ES256");

    assertThatThrownBy(
            () ->
                Jws.sign(header, claims(), Keys.generate(SignatureAlgorithm.ED25519, "k").signer()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** RFC 8037 Appendix A.4: Ed25519 signing is deterministic and reproduces the published JWS. */
  @Test
  void rfc8037Example_signatureIsReproducedAndVerifies() {
    byte[] seed = Base64Url.decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A");
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getEncoder()
                .encodeToString(concat(Hex.decode("302e020100300506032b657004220420"), seed))
            + "\n-----END PRIVATE KEY-----\n";
    Signer signer = Keys.signerFromPem(pem, null);
    String signingInput = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
    String published =
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    byte[] signature = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));

    assertThat(Base64Url.encode(signature)).isEqualTo(published);
    assertThat(signer.keyId()).isEqualTo("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    PublicJwk jwk =
        PublicJwk.parse(
            "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
                + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");
    assertThat(jwk.verify(signingInput.getBytes(StandardCharsets.US_ASCII), signature)).isTrue();
    // its payload is text, not a JSON object: tokens of this API refuse that
    assertThatThrownBy(() -> Jws.parse(signingInput + "." + published))
        .isInstanceOf(JwsException.class)
        .hasMessageContaining("payload");
  }

  /** RFC 7515 Appendix A.3: the published ES256 JWS (raw r||s) verifies. */
  @Test
  void rfc7515EcdsaExample_publishedJwsVerifies() {
    String compact =
        "eyJhbGciOiJFUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    PublicJwk key =
        PublicJwk.parse(
            "{\"kty\":\"EC\",\"crv\":\"P-256\","
                + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
                + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}");

    Jws jws = Jws.parse(compact);

    assertThat(jws.claims()).containsEntry("iss", "joe").containsEntry("exp", 1300819380);
    assertThat(jws.verify(key)).isTrue();
  }

  @Test
  void parse_whenAlgNone_isRefused() {
    String payload = Base64Url.encode("{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> Jws.parse("eyJhbGciOiJub25lIn0." + payload + "."))
        .isInstanceOf(JwsException.class);
    assertThatThrownBy(() -> Jws.parse(token("{\"alg\":\"none\"}", payload, "AAAA")))
        .isInstanceOf(JwsException.class)
        .hasMessageContaining("alg none");
    assertThatThrownBy(() -> Jws.parse(token("{\"alg\":\"NONE\"}", payload, "AAAA")))
        .hasMessageContaining("alg none");
  }

  @Test
  void parse_whenFeatureOrAlgorithmRefused_throwsWithReason() {
    String payload = Base64Url.encode("{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> Jws.parse(token("{\"alg\":\"HS256\"}", payload, "AAAA")))
        .hasMessageContaining("unsupported JWS alg HS256");
    assertThatThrownBy(
            () ->
                Jws.parse(
                    token("{\"alg\":\"EdDSA\",\"b64\":false,\"crit\":[\"b64\"]}", payload, "AAAA")))
        .hasMessageContaining("crit");
    assertThatThrownBy(() -> Jws.parse(token("{\"alg\":\"EdDSA\",\"b64\":false}", payload, "AAAA")))
        .hasMessageContaining("b64");
    assertThatThrownBy(() -> Jws.parse(token("{\"typ\":\"JWT\"}", payload, "AAAA")))
        .hasMessageContaining("no alg");
  }

  @Test
  void parse_whenMalformed_throws() {
    String header = Base64Url.encode("{\"alg\":\"EdDSA\"}".getBytes(StandardCharsets.UTF_8));
    String payload = Base64Url.encode("{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8));

    for (String bad :
        new String[] {
          "",
          "a.b",
          header + "." + payload,
          header + "." + payload + ".AAAA.AAAA",
          header + "." + payload + ".",
          header + "." + payload + ".AA==",
          header + "." + payload + ".AA+/",
          "!!!." + payload + ".AAAA",
          token("{\"alg\":\"EdDSA\"", payload, "AAAA"),
          token("{\"alg\":\"EdDSA\",\"alg\":\"ES256\"}", payload, "AAAA"),
          header + "." + Base64Url.encode("[1]".getBytes(StandardCharsets.UTF_8)) + ".AAAA",
          header + "." + Base64Url.encode("{} x".getBytes(StandardCharsets.UTF_8)) + ".AAAA",
        }) {
      assertThatThrownBy(() -> Jws.parse(bad)).as(bad).isInstanceOf(JwsException.class);
    }
    assertThatThrownBy(() -> Jws.parse(null)).isInstanceOf(JwsException.class);
  }

  private static String token(String headerJson, String payload, String signature) {
    return Base64Url.encode(headerJson.getBytes(StandardCharsets.UTF_8))
        + "."
        + payload
        + "."
        + signature;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
