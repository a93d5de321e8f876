package io.scenebank.sdk.internal.httpsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HttpSignaturesTest {

  private static final Map<SignatureAlgorithm, GeneratedKey> KEYS =
      new EnumMap<>(SignatureAlgorithm.class);

  private static final byte[] BODY = "{\"amount\":100}".getBytes(StandardCharsets.UTF_8);

  @BeforeAll
  static void generateKeys() {
    for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
      KEYS.put(algorithm, Keys.generate(algorithm, "key-" + algorithm.httpName()));
    }
  }

  private static BasicMessage.Builder request() {
    return Message.request("POST", "https://api.scenebank.example/v1/payments?limit=20")
        .header("Authorization", "Bearer token")
        .header("Content-Digest", ContentDigest.header(ContentDigest.SHA_256, BODY))
        .header("Idempotency-Key", "k-1");
  }

  private static SignatureSpec requestSpec() {
    return SignatureSpec.builder()
        .components("@method", "@target-uri", "authorization", "content-digest", "idempotency-key")
        .created(1795400130L)
        .nonce("Qm9va2luZ05vbmNlMDAwMQ")
        .includeAlg(true)
        .tag("scenebank")
        .build();
  }

  private static Message signed(BasicMessage.Builder message, CreatedSignature signature) {
    return message
        .header("Signature-Input", signature.signatureInputHeader())
        .header("Signature", signature.signatureHeader())
        .build();
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void verify_whenSignedRequestUnchanged_isValid(SignatureAlgorithm algorithm) {
    GeneratedKey key = KEYS.get(algorithm);
    CreatedSignature created = HttpSignatures.sign(request().build(), requestSpec(), key.signer());

    SignatureVerification result =
        HttpSignatures.verify(signed(request(), created), "sig1", key.publicJwk());

    assertThat(result.status()).as(result.detail()).isEqualTo(SignatureVerification.Status.VALID);
    assertThat(created.signatureInputHeader())
        .contains(";alg=\"" + algorithm.httpName() + "\"")
        .contains(";keyid=\"key-" + algorithm.httpName() + "\"");
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void verify_whenCoveredHeaderChanged_isSignatureInvalid(SignatureAlgorithm algorithm) {
    GeneratedKey key = KEYS.get(algorithm);
    CreatedSignature created = HttpSignatures.sign(request().build(), requestSpec(), key.signer());
    BasicMessage.Builder tampered =
        Message.request("POST", "https://api.scenebank.example/v1/payments?limit=20")
            .header("Authorization", "Bearer token")
            .header("Content-Digest", ContentDigest.header(ContentDigest.SHA_256, BODY))
            .header("Idempotency-Key", "k-2");

    SignatureVerification result =
        HttpSignatures.verify(signed(tampered, created), "sig1", key.publicJwk());

    assertThat(result.status()).isEqualTo(SignatureVerification.Status.SIGNATURE_INVALID);
  }

  @Test
  void verify_whenOtherKeyOfSameAlgorithm_isSignatureInvalid() {
    CreatedSignature created =
        HttpSignatures.sign(
            request().build(), requestSpec(), KEYS.get(SignatureAlgorithm.ED25519).signer());
    GeneratedKey other = Keys.generate(SignatureAlgorithm.ED25519, "other");

    SignatureVerification result =
        HttpSignatures.verify(signed(request(), created), "sig1", other.publicJwk());

    assertThat(result.status()).isEqualTo(SignatureVerification.Status.SIGNATURE_INVALID);
  }

  @Test
  void verify_whenAlgParameterNamesAnotherAlgorithm_isAlgorithmMismatch() {
    CreatedSignature created =
        HttpSignatures.sign(
            request().build(), requestSpec(), KEYS.get(SignatureAlgorithm.ED25519).signer());

    SignatureVerification result =
        HttpSignatures.verify(
            signed(request(), created),
            "sig1",
            KEYS.get(SignatureAlgorithm.ECDSA_P256_SHA256).publicJwk());

    assertThat(result.status()).isEqualTo(SignatureVerification.Status.ALGORITHM_MISMATCH);
  }

  @Test
  void verify_whenSignatureBytesGarbled_isSignatureInvalid() {
    for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
      GeneratedKey key = KEYS.get(algorithm);
      CreatedSignature created =
          HttpSignatures.sign(request().build(), requestSpec(), key.signer());
      byte[] garbled = created.signature();
      garbled[garbled.length / 2] ^= 0x01;
      Message message =
          request()
              .header("Signature-Input", created.signatureInputHeader())
              .header("Signature", "sig1=:" + Base64.getEncoder().encodeToString(garbled) + ":")
              .build();

      assertThat(HttpSignatures.verify(message, "sig1", key.publicJwk()).status())
          .as(algorithm.httpName())
          .isEqualTo(SignatureVerification.Status.SIGNATURE_INVALID);
      Message truncated =
          request()
              .header("Signature-Input", created.signatureInputHeader())
              .header("Signature", "sig1=:AAEC:")
              .build();
      assertThat(HttpSignatures.verify(truncated, "sig1", key.publicJwk()).status())
          .isEqualTo(SignatureVerification.Status.SIGNATURE_INVALID);
    }
  }

  @Test
  void verify_whenCoveredHeaderMissing_isComponentMissing() {
    GeneratedKey key = KEYS.get(SignatureAlgorithm.ED25519);
    CreatedSignature created = HttpSignatures.sign(request().build(), requestSpec(), key.signer());
    BasicMessage.Builder withoutKey =
        Message.request("POST", "https://api.scenebank.example/v1/payments?limit=20")
            .header("Authorization", "Bearer token")
            .header("Content-Digest", ContentDigest.header(ContentDigest.SHA_256, BODY));

    SignatureVerification result =
        HttpSignatures.verify(signed(withoutKey, created), "sig1", key.publicJwk());

    assertThat(result.status()).isEqualTo(SignatureVerification.Status.COMPONENT_MISSING);
    assertThat(result.detail()).contains("\"idempotency-key\"");
  }

  @Test
  void verify_whenNoSignatureHeaders_isSignatureMissing() {
    SignatureVerification result =
        HttpSignatures.verify(
            request().build(), "sig1", KEYS.get(SignatureAlgorithm.ED25519).publicJwk());

    assertThat(result.status()).isEqualTo(SignatureVerification.Status.SIGNATURE_MISSING);
  }

  @Test
  void verify_whenLabelAbsent_isSignatureMissing() {
    GeneratedKey key = KEYS.get(SignatureAlgorithm.ED25519);
    CreatedSignature created = HttpSignatures.sign(request().build(), requestSpec(), key.signer());

    SignatureVerification result =
        HttpSignatures.verify(signed(request(), created), "sig2", key.publicJwk());

    assertThat(result.status()).isEqualTo(SignatureVerification.Status.SIGNATURE_MISSING);
  }

  @Test
  void verify_whenSignatureInputMalformed_isInputInvalid() {
    Message message =
        request()
            .header("Signature-Input", "sig1=(\"@method\";created=1")
            .header("Signature", "sig1=:AAAA:")
            .build();

    SignatureVerification result =
        HttpSignatures.verify(message, "sig1", KEYS.get(SignatureAlgorithm.ED25519).publicJwk());

    assertThat(result.status()).isEqualTo(SignatureVerification.Status.INPUT_INVALID);
  }

  @Test
  void verify_whenSignatureIsNotByteSequence_isInputInvalid() {
    Message message =
        request()
            .header("Signature-Input", "sig1=(\"@method\");created=1")
            .header("Signature", "sig1=\"not bytes\"")
            .build();

    SignatureVerification result =
        HttpSignatures.verify(message, "sig1", KEYS.get(SignatureAlgorithm.ED25519).publicJwk());

    assertThat(result.status()).isEqualTo(SignatureVerification.Status.INPUT_INVALID);
  }

  @Test
  void verify_whenSeveralSignaturesOnSeveralLines_findsTheLabelledOne() {
    GeneratedKey key = KEYS.get(SignatureAlgorithm.ECDSA_P256_SHA256);
    CreatedSignature created = HttpSignatures.sign(request().build(), requestSpec(), key.signer());
    Message message =
        request()
            .header("Signature-Input", "proxy=(\"@method\");created=1;keyid=\"p\"")
            .header("Signature-Input", created.signatureInputHeader())
            .header("Signature", "proxy=:AAAA:")
            .header("Signature", created.signatureHeader())
            .build();

    assertThat(HttpSignatures.verify(message, "sig1", key.publicJwk()).isValid()).isTrue();
  }

  /**
   * A Scenebank response: {@code "@status" "content-digest" "signature";req;key="sig1"}, verified
   * against the request the client sent.
   */
  @ParameterizedTest
  @EnumSource(
      value = SignatureAlgorithm.class,
      names = {"ED25519", "SM2_SM3"})
  void verify_whenResponseCoversRequestSignature_isValidOnlyForThatRequest(
      SignatureAlgorithm gatewayAlgorithm) {
    GeneratedKey client = KEYS.get(SignatureAlgorithm.ECDSA_P256_SHA256);
    GeneratedKey gateway = KEYS.get(gatewayAlgorithm);
    Message signedRequest =
        signed(request(), HttpSignatures.sign(request().build(), requestSpec(), client.signer()));
    byte[] responseBody = "{\"id\":\"pay_1\"}".getBytes(StandardCharsets.UTF_8);
    SignatureSpec responseSpec =
        SignatureSpec.builder()
            .components("@status", "content-digest")
            .component(
                ComponentIdentifier.of("signature").withFlag("req").withParameter("key", "sig1"))
            .created(1795400131L)
            .includeAlg(true)
            .tag("scenebank")
            .build();
    BasicMessage.Builder response =
        Message.response(201, signedRequest)
            .header("Content-Digest", ContentDigest.header(ContentDigest.SHA_256, responseBody));

    CreatedSignature created =
        HttpSignatures.sign(response.build(), responseSpec, gateway.signer());

    assertThat(created.signatureInputHeader())
        .isEqualTo(
            "sig1=(\"@status\" \"content-digest\" \"signature\";req;key=\"sig1\")"
                + ";created=1795400131;keyid=\"key-"
                + gatewayAlgorithm.httpName()
                + "\";alg=\""
                + gatewayAlgorithm.httpName()
                + "\";tag=\"scenebank\"");
    assertThat(
            HttpSignatures.verify(signed(response, created), "sig1", gateway.publicJwk()).isValid())
        .isTrue();

    // the same response presented as the answer to another request (another nonce) fails
    SignatureSpec otherSpec =
        SignatureSpec.builder()
            .components("@method", "@target-uri", "authorization", "content-digest")
            .created(1795400130L)
            .nonce("AnotherNonce00000002")
            .tag("scenebank")
            .build();
    Message otherRequest =
        signed(request(), HttpSignatures.sign(request().build(), otherSpec, client.signer()));
    BasicMessage.Builder replayed =
        Message.response(201, otherRequest)
            .header("Content-Digest", ContentDigest.header(ContentDigest.SHA_256, responseBody));
    SignatureVerification result =
        HttpSignatures.verify(signed(replayed, created), "sig1", gateway.publicJwk());
    assertThat(result.status()).isEqualTo(SignatureVerification.Status.SIGNATURE_INVALID);
  }

  @Test
  void sign_whenComponentMissing_throwsMissingComponent() {
    SignatureSpec spec =
        SignatureSpec.builder().components("@method", "x-absent").created(1L).build();

    assertThatThrownBy(
            () ->
                HttpSignatures.sign(
                    request().build(), spec, KEYS.get(SignatureAlgorithm.ED25519).signer()))
        .isInstanceOf(MissingComponentException.class)
        .satisfies(
            e -> assertThat(((MissingComponentException) e).component()).isEqualTo("\"x-absent\""));
  }

  @Test
  void specBuilder_whenCreatedNotSet_throws() {
    assertThatThrownBy(() -> SignatureSpec.builder().components("@method").build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void newNonce_isFreshAndMatchesContractSyntax() {
    String first = HttpSignatures.newNonce();

    assertThat(first).matches("[A-Za-z0-9_-]{16,64}");
    assertThat(HttpSignatures.newNonce()).isNotEqualTo(first);
  }
}
