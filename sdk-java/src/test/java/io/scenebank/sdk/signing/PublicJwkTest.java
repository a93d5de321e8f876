package io.scenebank.sdk.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublicJwkTest {

  /** RFC 7638 §3.1: the example RSA key and its thumbprint. */
  static final String RFC7638_N =
      "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

  /** RFC 8037 Appendix A.2: the example Ed25519 public key. */
  static final String RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

  private static final String P256_X = "qIVYZVLCrPZHGHjP17CTW0_-D9Lfw0EkjqF7xB4FivA";
  private static final String P256_Y = "Mc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F0";

  @Test
  void thumbprint_ofRfc7638Example_matchesPublishedValue() {
    PublicJwk jwk =
        PublicJwk.parse(
            "{\"kty\":\"RSA\",\"n\":\"" + RFC7638_N + "\",\"e\":\"AQAB\",\"kid\":\"2011-04-29\"}");

    assertThat(jwk.thumbprint()).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    assertThat(jwk.algorithm()).isEqualTo(SignatureAlgorithm.RSA_PSS_SHA512);
    assertThat(jwk.keyId()).isEqualTo("2011-04-29");
  }

  @Test
  void thumbprint_ofRfc8037Example_matchesPublishedValue() {
    PublicJwk jwk =
        PublicJwk.parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + RFC8037_X + "\"}");

    assertThat(jwk.thumbprint()).isEqualTo("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    assertThat(jwk.keyId()).isNull();
  }

  @Test
  void thumbprint_ofSm2Key_usesTheEcMembers() {
    PublicJwk sm2 = ecJwk("SM2", Sm2Test.GMT_X, Sm2Test.GMT_Y, null);

    // {"crv":"SM2","kty":"EC","x":...,"y":...} hashed with SHA-256, computed independently
    assertThat(sm2.thumbprint()).isEqualTo(Sm2Test.GMT_THUMBPRINT);
    assertThat(sm2.algorithm()).isEqualTo(SignatureAlgorithm.SM2_SM3);
  }

  @Test
  void toMap_hasPublicMembersKidAndJwsAlg() {
    PublicJwk jwk = PublicJwk.parse(ecJson("P-256", P256_X, P256_Y, "k1"));

    assertThat(jwk.toMap())
        .containsExactly(
            Map.entry("kty", "EC"),
            Map.entry("crv", "P-256"),
            Map.entry("x", P256_X),
            Map.entry("y", P256_Y),
            Map.entry("kid", "k1"),
            Map.entry("alg", "ES256"));
    assertThat(PublicJwk.parse(jwk.toJson())).isEqualTo(jwk);
    assertThat(jwk.toString()).contains(P256_X);
  }

  @Test
  void parse_whenAlgAgrees_isAccepted() {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("kty", "OKP");
    members.put("crv", "Ed25519");
    members.put("x", RFC8037_X);
    members.put("alg", "EdDSA");
    members.put("use", "sig");
    members.put("key_ops", java.util.List.of("verify"));

    assertThat(PublicJwk.parse(members).algorithm()).isEqualTo(SignatureAlgorithm.ED25519);
  }

  @Test
  void parse_whenPrivateMemberPresent_isRefused() {
    String withD =
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\""
            + RFC8037_X
            + "\",\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\"}";

    assertThatThrownBy(() -> PublicJwk.parse(withD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("private member \"d\"");
  }

  @Test
  void parse_whenRsaModulusShorterThan2048Bits_isRefused() {
    // the first 128 bytes of the RFC 7638 modulus, made odd: a 1024-bit modulus
    String shortN =
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_B"
            + "JECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGk";

    assertThatThrownBy(
            () -> PublicJwk.parse("{\"kty\":\"RSA\",\"n\":\"" + shortN + "\",\"e\":\"AQAB\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 2048");
  }

  @Test
  void parse_whenPointNotOnCurve_isRefused() {
    String otherY = "Nc4nN9LTDOBhfoUeg8Ye9WedFRhnZXZJA12Qp0zZ6F0";

    assertThatThrownBy(() -> PublicJwk.parse(ecJson("P-256", P256_X, otherY, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid public key on the P-256 curve");
    // a valid P-256 point is not on the SM2 curve
    assertThatThrownBy(() -> PublicJwk.parse(ecJson("SM2", P256_X, P256_Y, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SM2");
  }

  @Test
  void parse_whenEd25519KeyIsNotAPoint_isRefused() {
    // y = 2^255 - 1 is not a canonical field element
    String notAPoint = "_________________________________________38";

    assertThatThrownBy(
            () ->
                PublicJwk.parse(
                    "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + notAPoint + "\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Ed25519");
  }

  @Test
  void parse_whenKindUnsupportedOrMalformed_isRefusedWithClearMessage() {
    assertRefused("{\"kty\":\"oct\",\"k\":\"AAAA\"}", "private member \"k\"");
    assertRefused("{\"kty\":\"oct\"}", "unsupported JWK kty \"oct\"");
    assertRefused("{\"crv\":\"Ed25519\",\"x\":\"" + RFC8037_X + "\"}", "no \"kty\"");
    assertRefused(
        "{\"kty\":\"OKP\",\"crv\":\"Ed448\",\"x\":\"" + RFC8037_X + "\"}", "unsupported OKP curve");
    assertRefused(ecJson("P-384", P256_X, P256_Y, null), "unsupported EC curve \"P-384\"");
    assertRefused(
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + RFC8037_X + "=\"}", "base64url");
    assertRefused("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"}", "3 bytes");
    assertRefused(
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + RFC8037_X + "\",\"kid\":7}",
        "\"kid\" is not a string");
    assertRefused(
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + RFC8037_X + "\",\"alg\":\"ES256\"}",
        "does not match");
    assertRefused(
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + RFC8037_X + "\",\"use\":\"enc\"}",
        "\"use\"");
    assertRefused("{\"kty\":\"RSA\",\"n\":\"AA" + RFC7638_N + "\",\"e\":\"AQAB\"}", "minimal");
    assertRefused("[1,2]", "JSON object");
    assertRefused("{\"kty\":\"OKP\",\"kty\":\"EC\"}", "JSON object");
  }

  @Test
  void verify_whenSignatureGarbledOrEmpty_isFalseNotException() {
    GeneratedKey key = Keys.generate(SignatureAlgorithm.ED25519, "k");
    byte[] message = "m".getBytes(StandardCharsets.UTF_8);

    assertThat(key.publicJwk().verify(message, new byte[0])).isFalse();
    assertThat(key.publicJwk().verify(message, new byte[200])).isFalse();
    assertThat(key.publicJwk().verify(message, null)).isFalse();
    assertThat(key.publicJwk().verify(null, key.signer().sign(message))).isFalse();
  }

  private static void assertRefused(String json, String messagePart) {
    assertThatThrownBy(() -> PublicJwk.parse(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(messagePart);
  }

  static String ecJson(String crv, String x, String y, String kid) {
    return "{\"kty\":\"EC\",\"crv\":\""
        + crv
        + "\",\"x\":\""
        + x
        + "\",\"y\":\""
        + y
        + "\""
        + (kid == null ? "" : ",\"kid\":\"" + kid + "\"")
        + "}";
  }

  static PublicJwk ecJwk(String crv, String x, String y, String kid) {
    return PublicJwk.parse(ecJson(crv, x, y, kid));
  }
}
