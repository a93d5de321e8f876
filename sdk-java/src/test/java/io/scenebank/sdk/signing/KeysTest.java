package io.scenebank.sdk.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.testing.Rfc9421Keys;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeysTest {

  private static final byte[] MESSAGE =
      "\"@method\": POST\n\"@signature-params\": (\"@method\");created=1"
          .getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void generate_signThenVerify_isValidAndTamperedIsNot(SignatureAlgorithm algorithm) {
    GeneratedKey key = Keys.generate(algorithm, "k1");

    byte[] signature = key.signer().sign(MESSAGE);

    assertThat(key.algorithm()).isEqualTo(algorithm);
    assertThat(key.publicJwk().algorithm()).isEqualTo(algorithm);
    assertThat(key.publicJwk().verify(MESSAGE, signature)).isTrue();
    byte[] tampered = MESSAGE.clone();
    tampered[3] ^= 0x20;
    assertThat(key.publicJwk().verify(tampered, signature)).isFalse();
    assertThat(Keys.generate(algorithm, "k2").publicJwk().verify(MESSAGE, signature))
        .as("another key")
        .isFalse();
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void generate_signaturesHaveTheWireEncoding(SignatureAlgorithm algorithm) {
    byte[] signature = Keys.generate(algorithm, "k").signer().sign(MESSAGE);

    switch (algorithm) {
      case ED25519:
      case ECDSA_P256_SHA256:
        assertThat(signature).hasSize(64);
        break;
      case RSA_PSS_SHA512:
        assertThat(signature).hasSize(256);
        break;
      default:
        assertThat(signature[0]).isEqualTo((byte) 0x30);
        assertThat(signature.length).isBetween(8, 72);
    }
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void privateKeyPem_readBack_signsForTheSamePublicKey(SignatureAlgorithm algorithm) {
    GeneratedKey key = Keys.generate(algorithm, "k1");

    Signer signer = Keys.signerFromPem(key.privateKeyPem(), "k1");

    assertThat(key.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(signer.algorithm()).isEqualTo(algorithm);
    assertThat(signer.keyId()).isEqualTo("k1");
    assertThat(Keys.publicJwkFromPem(key.privateKeyPem(), "k1")).isEqualTo(key.publicJwk());
    assertThat(key.publicJwk().verify(MESSAGE, signer.sign(MESSAGE))).isTrue();
  }

  @Test
  void privateKeyPem_ofEd25519_isRfc8410VersionOneForOpenSsl() {
    String pem = Keys.generate(SignatureAlgorithm.ED25519, "k").privateKeyPem();

    // SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING seed } }
    assertThat(Base64.getMimeDecoder().decode(body(pem)))
        .hasSize(48)
        .startsWith(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70);
  }

  @ParameterizedTest
  @EnumSource(
      value = SignatureAlgorithm.class,
      names = {"ED25519", "ECDSA_P256_SHA256", "SM2_SM3"})
  void sign_fromSeveralThreadsAtOnce_everySignatureVerifies(SignatureAlgorithm algorithm)
      throws Exception {
    GeneratedKey key = Keys.generate(algorithm, "k");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        byte[] message = ("message " + i).getBytes(StandardCharsets.US_ASCII);
        results.add(pool.submit(() -> key.publicJwk().verify(message, key.signer().sign(message))));
      }
      for (java.util.concurrent.Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void generate_withoutKeyId_usesTheThumbprint() {
    GeneratedKey key = Keys.generate(SignatureAlgorithm.ED25519, null);

    assertThat(key.keyId()).isEqualTo(key.publicJwk().thumbprint());
    assertThat(key.publicJwk().keyId()).isEqualTo(key.keyId());
    assertThat(Keys.signerFromPem(key.privateKeyPem(), null).keyId()).isEqualTo(key.keyId());
  }

  @Test
  void toString_neverShowsPrivateKey() {
    GeneratedKey key = Keys.generate(SignatureAlgorithm.ECDSA_P256_SHA256, "k1");
    String body = key.privateKeyPem().split("\n")[1];

    assertThat(key.toString()).doesNotContain(body).contains("k1");
    assertThat(key.signer().toString()).doesNotContain(body).contains("ecdsa-p256-sha256");
  }

  @Test
  void generateRsa_3072_signsAndVerifies() {
    GeneratedKey key = Keys.generateRsa("big", 3072);

    assertThat(key.publicJwk().verify(MESSAGE, key.signer().sign(MESSAGE))).isTrue();
    assertThat(key.signer().sign(MESSAGE)).hasSize(384);
    assertThatThrownBy(() -> Keys.generateRsa("k", 1024))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rfc9421TestKeys_readFromPem_matchTheirPublicKeys() {
    assertThat(Keys.publicJwkFromPem(Rfc9421Keys.RSA_PSS_PRIVATE, "test-key-rsa-pss"))
        .as("PKCS#8 with id-RSASSA-PSS")
        .isEqualTo(Keys.publicJwkFromPem(Rfc9421Keys.RSA_PSS_PUBLIC, "test-key-rsa-pss"));
    assertThat(Keys.publicJwkFromPem(Rfc9421Keys.ECC_P256_PRIVATE, "test-key-ecc-p256"))
        .as("SEC 1")
        .isEqualTo(PublicJwk.parse(Rfc9421Keys.ECC_P256_JWK));
    assertThat(Keys.publicJwkFromPem(Rfc9421Keys.ECC_P256_PUBLIC, "test-key-ecc-p256"))
        .isEqualTo(PublicJwk.parse(Rfc9421Keys.ECC_P256_JWK));
    assertThat(Keys.publicJwkFromPem(Rfc9421Keys.ED25519_PRIVATE, "test-key-ed25519"))
        .isEqualTo(PublicJwk.parse(Rfc9421Keys.ED25519_JWK));
    assertThat(Keys.signerFromPem(Rfc9421Keys.RSA_PSS_PRIVATE, null).algorithm())
        .isEqualTo(SignatureAlgorithm.RSA_PSS_SHA512);
  }

  @Test
  void signerFromPem_withEcParametersBlockBeforeKey_skipsIt() {
    String pem =
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
            + Rfc9421Keys.ECC_P256_PRIVATE;

    assertThat(Keys.signerFromPem(pem, "k").algorithm())
        .isEqualTo(SignatureAlgorithm.ECDSA_P256_SHA256);
  }

  @Test
  void signerFromPem_withPkcs1RsaKey_isRead() throws Exception {
    GeneratedKey key = Keys.generate(SignatureAlgorithm.RSA_PSS_SHA512, "k");
    byte[] pkcs8 = Base64.getMimeDecoder().decode(body(key.privateKeyPem()));
    byte[] pkcs1 =
        PrivateKeyInfo.getInstance(pkcs8).parsePrivateKey().toASN1Primitive().getEncoded();
    String pem = pem("RSA PRIVATE KEY", pkcs1);

    assertThat(key.publicJwk().verify(MESSAGE, Keys.signerFromPem(pem, "k").sign(MESSAGE)))
        .isTrue();
  }

  @Test
  void signerFromPem_withRsa1024Key_isRefused() throws Exception {
    RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
    generator.init(
        new RSAKeyGenerationParameters(
            BigInteger.valueOf(65537), new java.security.SecureRandom(), 1024, 80));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    String pem =
        pem(
            "PRIVATE KEY",
            PrivateKeyInfoFactory.createPrivateKeyInfo(pair.getPrivate()).getEncoded("DER"));

    assertThatThrownBy(() -> Keys.signerFromPem(pem, "k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1024 bits is too short");
  }

  @Test
  void signerFromPem_withUnusableInput_isRefusedWithClearMessage() {
    assertRefused(
        String.join(
            "\n",
            "-----BEGIN PRIVATE KEY-----",
            "MEcCAQAwBQYDK2VxBDsEOWlaB8BDhSSxwxnn6p+NhcqtJUm9Cs/QPjU6nkJwp6nI",
            "8kWFMjwz6fIank9PTEXoiawuUy+hoOFWog==",
            "-----END PRIVATE KEY-----"),
        "Ed448");
    assertRefused(Rfc9421Keys.ED25519_PUBLIC, "a public key cannot sign");
    assertRefused(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----",
        "encrypted");
    assertRefused("not a key", "no key in the PEM text");
    assertRefused("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "cannot read");
    assertRefused("-----BEGIN PRIVATE KEY-----\nMC4CAQAw", "malformed PEM");
    assertRefused(Rfc9421Keys.ED25519_PRIVATE + "\n" + Rfc9421Keys.ED25519_PRIVATE, "2 keys");
    assertRefused(null, "missing");
  }

  @Test
  void publicJwkFromPem_withUnsupportedCurve_isRefused() {
    String p384 =
        String.join(
            "\n",
            "-----BEGIN PUBLIC KEY-----",
            "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE4ADcbLe6l1mlnyeo4nw1ccrS73IlHx6n",
            "2tcQJGBpIH/2cQ4ntDjPl7rmN+u4Ej1RMNejZpr96nmapMHoydmyZXjEsvKyK4A0",
            "xbikGRZwr8mGnqQ1IRYZk5gqsq2Ow7Bq",
            "-----END PUBLIC KEY-----");

    assertThatThrownBy(() -> Keys.publicJwkFromPem(p384, "k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported EC curve 1.3.132.0.34");
  }

  @Test
  void signatureAlgorithm_names_lookUpBothWays() {
    for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
      assertThat(SignatureAlgorithm.fromHttpName(algorithm.httpName())).contains(algorithm);
      assertThat(SignatureAlgorithm.fromJwsName(algorithm.jwsName())).contains(algorithm);
    }
    assertThat(SignatureAlgorithm.SM2_SM3.httpName()).isEqualTo("sm2-sm3");
    assertThat(SignatureAlgorithm.SM2_SM3.jwsName()).isEqualTo("SM2SM3");
    assertThat(SignatureAlgorithm.fromHttpName("ED25519")).isEmpty();
    assertThat(SignatureAlgorithm.fromJwsName("none")).isEmpty();
    assertThat(SignatureAlgorithm.fromHttpName(null)).isEmpty();
  }

  private static void assertRefused(String pem, String messagePart) {
    assertThatThrownBy(() -> Keys.signerFromPem(pem, "k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(messagePart);
  }

  private static String body(String pem) {
    return pem.replaceAll("-----[A-Z ]+-----", "").trim();
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }
}
