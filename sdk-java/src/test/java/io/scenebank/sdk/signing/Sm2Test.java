package io.scenebank.sdk.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * {@code sm2-sm3}: the signature example of GM/T 0003.5-2012 / GB/T 32918.5-2017 Annex A (SM2
 * recommended curve sm2p256v1, user ID 1234567812345678, message "message digest"), and
 * interoperability with OpenSSL 3.
 */
class Sm2Test {

  static final String GMT_D = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8";
  static final String GMT_X = "CfnfMR5UIaFQ3X0WHkvFxnIXn60YM_wHa7CP81bzUCA";
  static final String GMT_Y = "zOpJDOJndaUtxupxjMGqYArtBfvzXghKZjL2By2prRM";
  static final String GMT_THUMBPRINT = "lgVsnVqdKsFLJ2q4y2l6gACWaCOEQcWQb1t30j4Q6fU";
  static final String GMT_K = "59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21";
  static final String GMT_Z = "B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3";
  static final String GMT_E = "F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640";
  static final String GMT_R = "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3";
  static final String GMT_S = "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA";
  static final byte[] MESSAGE = "message digest".getBytes(StandardCharsets.US_ASCII);

  /** A key generated with `openssl genpkey -algorithm SM2` (OpenSSL 3.0), PKCS#8. */
  static final String OPENSSL_PRIVATE =
      String.join(
          "\n",
          "-----BEGIN PRIVATE KEY-----",
          "MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQglFbOwzdUICf3zxVE",
          "Qm/e7UhHHSkjhjoEF17XWcjPlhyhRANCAAS9ds1e3incfSk+vP98/CIfMiijt3BI",
          "2Ok3C3Aeyyje9bkQgzEPCDCVou8ljlVBE0wH1vHqVK2y2XcldR4XkoC8",
          "-----END PRIVATE KEY-----");

  /** The same key as `openssl ec` writes it (SEC 1 with the label SM2 PRIVATE KEY). */
  static final String OPENSSL_SEC1 =
      String.join(
          "\n",
          "-----BEGIN SM2 PRIVATE KEY-----",
          "MHcCAQEEIJRWzsM3VCAn988VREJv3u1IRx0pI4Y6BBde11nIz5YcoAoGCCqBHM9V",
          "AYItoUQDQgAEvXbNXt4p3H0pPrz/fPwiHzIoo7dwSNjpNwtwHsso3vW5EIMxDwgw",
          "laLvJY5VQRNMB9bx6lStstl3JXUeF5KAvA==",
          "-----END SM2 PRIVATE KEY-----");

  /** Its public key, `openssl pkey -pubout`. */
  static final String OPENSSL_PUBLIC =
      String.join(
          "\n",
          "-----BEGIN PUBLIC KEY-----",
          "MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAEvXbNXt4p3H0pPrz/fPwiHzIoo7dw",
          "SNjpNwtwHsso3vW5EIMxDwgwlaLvJY5VQRNMB9bx6lStstl3JXUeF5KAvA==",
          "-----END PUBLIC KEY-----");

  static final String OPENSSL_MESSAGE =
      "scenebank interop: openssl 3 SM2 with SM3 and distid 1234567812345678";

  /**
   * `openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:1234567812345678` over {@link
   * #OPENSSL_MESSAGE} (DER).
   */
  static final String OPENSSL_SIGNATURE =
      "MEYCIQCjuKjqNt1XdJHlBaQ2D5g2K70DWbfl0XMqewoGbHgsxwIhAK7JdI+Lq8SzG1ErYR3g+TxiagBYzM+urAfp3oVnQihY";

  private static PublicJwk gmtKey() {
    return PublicJwkTest.ecJwk("SM2", GMT_X, GMT_Y, "gmt");
  }

  private static byte[] der(String r, String s) throws Exception {
    ASN1EncodableVector vector = new ASN1EncodableVector();
    vector.add(new ASN1Integer(new BigInteger(r, 16)));
    vector.add(new ASN1Integer(new BigInteger(s, 16)));
    return new DERSequence(vector).getEncoded("DER");
  }

  @Test
  void verify_publishedGmtSignature_isValid() throws Exception {
    assertThat(gmtKey().verify(MESSAGE, der(GMT_R, GMT_S))).isTrue();
  }

  @Test
  void verify_publishedGmtSignature_onTamperedMessageOrWithSwappedValues_isFalse()
      throws Exception {
    assertThat(
            gmtKey()
                .verify("message digesT".getBytes(StandardCharsets.US_ASCII), der(GMT_R, GMT_S)))
        .isFalse();
    assertThat(gmtKey().verify(MESSAGE, der(GMT_S, GMT_R))).isFalse();
    byte[] rawRs = Hex.decode(GMT_R + GMT_S);
    assertThat(gmtKey().verify(MESSAGE, rawRs)).as("r||s is not the wire encoding").isFalse();
  }

  @Test
  void zAndE_ofGmtExample_matchTheContractFormula() {
    // Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A), e = SM3(Z_A || M)
    org.bouncycastle.crypto.params.ECDomainParameters curve = Curves.SM2;
    SM3Digest sm3 = new SM3Digest();
    update(sm3, new byte[] {0x00, (byte) 0x80});
    update(sm3, "1234567812345678".getBytes(StandardCharsets.US_ASCII));
    update(sm3, BigIntegers.asUnsignedByteArray(32, curve.getCurve().getA().toBigInteger()));
    update(sm3, BigIntegers.asUnsignedByteArray(32, curve.getCurve().getB().toBigInteger()));
    update(sm3, BigIntegers.asUnsignedByteArray(32, curve.getG().getAffineXCoord().toBigInteger()));
    update(sm3, BigIntegers.asUnsignedByteArray(32, curve.getG().getAffineYCoord().toBigInteger()));
    update(sm3, Base64.getUrlDecoder().decode(GMT_X));
    update(sm3, Base64.getUrlDecoder().decode(GMT_Y));
    byte[] z = new byte[32];
    sm3.doFinal(z, 0);
    update(sm3, z);
    update(sm3, MESSAGE);
    byte[] e = new byte[32];
    sm3.doFinal(e, 0);

    assertThat(Hex.toHexString(z)).isEqualToIgnoringCase(GMT_Z);
    assertThat(Hex.toHexString(e)).isEqualToIgnoringCase(GMT_E);
  }

  @Test
  void sign_withGmtRandomK_reproducesPublishedRAndS() throws Exception {
    // the signing configuration of Primitives, with the example's k fed in as the "random" bytes
    ECPrivateKeyParameters key = new ECPrivateKeyParameters(new BigInteger(GMT_D, 16), Curves.SM2);
    SM2Signer signer = new SM2Signer(StandardDSAEncoding.INSTANCE, new SM3Digest());
    signer.init(
        true,
        new ParametersWithID(
            new ParametersWithRandom(key, new FixedRandom(Hex.decode(GMT_K))),
            Primitives.SM2_USER_ID));
    signer.update(MESSAGE, 0, MESSAGE.length);

    assertThat(signer.generateSignature()).isEqualTo(der(GMT_R, GMT_S));
  }

  @Test
  void publicJwkFromPem_ofGmtPrivateKey_isThePublishedPublicKey() throws Exception {
    ECPrivateKey sec1 = new ECPrivateKey(256, new BigInteger(GMT_D, 16), GMTObjectId.SM2P256V1);
    String pem =
        "-----BEGIN EC PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(sec1.getEncoded("DER"))
            + "\n-----END EC PRIVATE KEY-----\n";

    PublicJwk jwk = Keys.publicJwkFromPem(pem, "gmt");
    Signer signer = Keys.signerFromPem(pem, "gmt");

    assertThat(jwk).isEqualTo(gmtKey());
    assertThat(signer.algorithm()).isEqualTo(SignatureAlgorithm.SM2_SM3);
    assertThat(gmtKey().verify(MESSAGE, signer.sign(MESSAGE))).isTrue();
  }

  @Test
  void verify_signatureMadeByOpenSsl_isValid() {
    byte[] message = OPENSSL_MESSAGE.getBytes(StandardCharsets.US_ASCII);
    byte[] signature = Base64.getDecoder().decode(OPENSSL_SIGNATURE);

    for (String pem : new String[] {OPENSSL_PUBLIC, OPENSSL_PRIVATE, OPENSSL_SEC1}) {
      PublicJwk jwk = Keys.publicJwkFromPem(pem, "openssl");
      assertThat(jwk.algorithm()).isEqualTo(SignatureAlgorithm.SM2_SM3);
      assertThat(jwk.verify(message, signature)).isTrue();
      assertThat(jwk.verify("tampered".getBytes(StandardCharsets.US_ASCII), signature)).isFalse();
    }
  }

  @Test
  void sign_withOpenSslKey_isVerifiedByItsPublicKey() {
    byte[] message = OPENSSL_MESSAGE.getBytes(StandardCharsets.US_ASCII);
    Signer signer = Keys.signerFromPem(OPENSSL_PRIVATE, "openssl");

    byte[] signature = signer.sign(message);

    assertThat(signature[0]).as("DER SEQUENCE").isEqualTo((byte) 0x30);
    assertThat(signature.length).isBetween(8, 72);
    assertThat(Keys.publicJwkFromPem(OPENSSL_PUBLIC, null).verify(message, signature)).isTrue();
  }

  @Test
  void sign_isRandomized_andEachSignatureVerifies() {
    GeneratedKey key = Keys.generate(SignatureAlgorithm.SM2_SM3, "sm2");
    byte[] first = key.signer().sign(MESSAGE);
    byte[] second = key.signer().sign(MESSAGE);

    assertThat(first).isNotEqualTo(second);
    assertThat(key.publicJwk().verify(MESSAGE, first)).isTrue();
    assertThat(key.publicJwk().verify(MESSAGE, second)).isTrue();
    assertThat(gmtKey().verify(MESSAGE, first)).isFalse();
  }

  private static void update(SM3Digest digest, byte[] bytes) {
    digest.update(bytes, 0, bytes.length);
  }

  /** The curve OID, named for readability. */
  private static final class GMTObjectId {
    static final org.bouncycastle.asn1.ASN1Encodable SM2P256V1 = GMObjectIdentifiers.sm2p256v1;
  }

  /** Returns the given bytes as "random" output: makes SM2's k the example's k. */
  private static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    FixedRandom(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public void nextBytes(byte[] out) {
      System.arraycopy(bytes, 0, out, 0, out.length);
    }
  }
}
