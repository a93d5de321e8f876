package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.Merchants;
import io.scenebank.sdk.NotFoundException;
import io.scenebank.sdk.SignatureVerificationException;
import io.scenebank.sdk.VerifiedStatement;
import io.scenebank.sdk.internal.Json;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.scenebank.sdk.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * A reconciliation statement is what the bank reported only through its {@code
 * Statement-Signature}: a JWS with detached payload over the file's exact bytes, signed by a key
 * the gateway publishes (the one its kid names), in an algorithm the gateway signs with, typed as a
 * statement signature. The fake gateway serves the CSV as the real one does: {@code text/csv}, the
 * response itself signed (RFC 9421) over its digest, the statement signed with its own key.
 */
class StatementVerificationTest extends TypedCallsHarness {

  static final String MERCHANT_ID = "mch_8Pz3Kt6QwN2xV7mLr4Bd";
  static final LocalDate NOV_22 = LocalDate.of(2026, 11, 22);

  /** The contract's example statement. */
  static final String CSV =
      "# Scenebank reconciliation statement,merchant=mch_8Pz3Kt6QwN2xV7mLr4Bd,date=2026-11-22,"
          + "currency=CNY,livemode=false\n"
          + "row_type,transaction_id,payment_id,created_at,type,merchant_order_ref,amount,fee,net\n"
          + "PAYMENT,pay_3Mx8Vq2KtN7pR4bLw9Zc,pay_3Mx8Vq2KtN7pR4bLw9Zc,2026-11-22T11:42:05+08:00,"
          + "QR_ORDER,QB20261122-0107,3600,14,3586\n"
          + "REFUND,rfd_4Vn8Qx2KtM7pL3bRw9Zd,pay_3Mx8Vq2KtN7pR4bLw9Zc,2026-11-22T12:10:44+08:00,"
          + "REFUND,QB20261122-0107,-1200,0,-1200\n"
          + "TOTAL,,,,,,242125,925,241200\n";

  static final byte[] BYTES = CSV.getBytes(StandardCharsets.UTF_8);

  /** The {@code typ} the gateway gives its statement signatures. */
  static final String TYPE = "statement+jws";

  static Map<String, Object> header(String alg, String kid) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", alg);
    header.put("kid", kid);
    header.put("typ", TYPE);
    return header;
  }

  /**
   * A JWS with detached payload (RFC 7515 appendix F) put together by hand: any header, over any
   * bytes, signed by any signer (or not): {@code base64url(header) ".." base64url(signature)}.
   */
  static String detached(Map<String, Object> header, byte[] body, Signer signer) {
    String encodedHeader = b64(Json.write(header).getBytes(StandardCharsets.UTF_8));
    String input = encodedHeader + "." + b64(body);
    byte[] signature =
        signer == null ? new byte[0] : signer.sign(input.getBytes(StandardCharsets.US_ASCII));
    return encodedHeader + ".." + b64(signature);
  }

  /** The statement signature as the gateway makes it: its typ, and its key's kid and alg. */
  static String signed(GeneratedKey key, byte[] body) {
    return detached(header(key.algorithm().jwsName(), key.keyId()), body, key.signer());
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The fake gateway answers the download with these bytes and this Statement-Signature. */
  void answerStatement(byte[] body, String statementSignature) {
    FakeGateway.Answer answer = new FakeGateway.Answer();
    answer.bytes = body;
    answer.contentType = "text/csv; charset=utf-8";
    answer.headers.put(
        "Content-Disposition", "attachment; filename=\"statement-" + MERCHANT_ID + "-2026-11-22\"");
    answer.headers.put("X-Request-Id", "req_stmt");
    if (statementSignature != null) {
      answer.headers.put("Statement-Signature", statementSignature);
    }
    gateway.script.add(answer);
  }

  VerifiedStatement download() {
    return client.merchants().downloadStatement(MERCHANT_ID, NOV_22);
  }

  static void assertRefused(ThrowingCallable call, String code, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SignatureVerificationException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  // verified online, with the gateway's published keys

  @Test
  void downloadStatement_signedByTheGatewaysKey_verifies_andKeepsTheExactBytes() {
    String signature = signed(gateway.gatewayKey, BYTES);
    answerStatement(BYTES, signature);

    VerifiedStatement statement = download();

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.toString())
        .isEqualTo("GET /v1/merchants/" + MERCHANT_ID + "/statements/2026-11-22");
    assertThat(call.body).isNull();
    assertThat(call.header("idempotency-key")).isNull();
    assertThat(call.header("accept")).startsWith("text/csv");
    assertThat(call.header("signature-input"))
        .contains("(\"@method\" \"@target-uri\" \"authorization\")");
    assertThat(statement.bytes()).isEqualTo(BYTES);
    assertThat(statement.text()).isEqualTo(CSV);
    assertThat(statement.keyId()).isEqualTo("fake-gw-1");
    assertThat(statement.signature()).isEqualTo(signature);
    assertThat(statement.toString()).contains("fake-gw-1").doesNotContain(signature);
  }

  @Test
  void rows_skipTheComment_andMapEachRowByTheHeader_withEmptyFieldsKept() {
    answerStatement(BYTES, signed(gateway.gatewayKey, BYTES));

    List<Map<String, String>> rows = download().rows();

    assertThat(rows).hasSize(3);
    assertThat(rows.get(0))
        .containsExactly(
            Map.entry("row_type", "PAYMENT"),
            Map.entry("transaction_id", "pay_3Mx8Vq2KtN7pR4bLw9Zc"),
            Map.entry("payment_id", "pay_3Mx8Vq2KtN7pR4bLw9Zc"),
            Map.entry("created_at", "2026-11-22T11:42:05+08:00"),
            Map.entry("type", "QR_ORDER"),
            Map.entry("merchant_order_ref", "QB20261122-0107"),
            Map.entry("amount", "3600"),
            Map.entry("fee", "14"),
            Map.entry("net", "3586"));
    assertThat(rows.get(1)).containsEntry("row_type", "REFUND").containsEntry("amount", "-1200");
    assertThat(rows.get(2))
        .containsEntry("row_type", "TOTAL")
        .containsEntry("transaction_id", "")
        .containsEntry("merchant_order_ref", "")
        .containsEntry("net", "241200");
    assertThatThrownBy(() -> rows.get(0).put("amount", "1"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void bytes_areACopy_theStatementStaysAsSigned() {
    answerStatement(BYTES, signed(gateway.gatewayKey, BYTES));
    VerifiedStatement statement = download();

    byte[] mine = statement.bytes();
    mine[0] = 'X';

    assertThat(statement.bytes()).isEqualTo(BYTES);
    assertThat(statement.text()).startsWith("# Scenebank");
  }

  @Test
  void downloadStatement_ofNonAsciiBytesWithCrlf_keepsThemExactly_andReadsTheRows() {
    byte[] bytes =
        ("# 对账单,merchant=" + MERCHANT_ID + ",date=2026-11-22\r\n" + "a,b\r\n" + "甲,乙\r\n")
            .getBytes(StandardCharsets.UTF_8);
    answerStatement(bytes, signed(gateway.gatewayKey, bytes));

    VerifiedStatement statement = download();

    assertThat(statement.bytes()).isEqualTo(bytes);
    assertThat(statement.rows()).containsExactly(Map.of("a", "甲", "b", "乙"));
  }

  @Test
  void downloadStatement_signedByTheGatewaysSm2Key_verifies() {
    GeneratedKey sm2 = Keys.generate(SignatureAlgorithm.SM2_SM3, "fake-gw-sm2");
    gateway.alsoPublished.add(sm2);
    answerStatement(BYTES, signed(sm2, BYTES));

    assertThat(download().keyId()).isEqualTo("fake-gw-sm2");
  }

  @Test
  void downloadStatement_afterTheGatewayRotatedItsKey_fetchesTheJwksAgain_andVerifies() {
    answerStatement(BYTES, signed(gateway.gatewayKey, BYTES));
    download();
    GeneratedKey next = Keys.generate(SignatureAlgorithm.ED25519, "fake-gw-2");
    gateway.alsoPublished.add(next);
    answerStatement(BYTES, signed(next, BYTES));

    assertThat(download().keyId()).isEqualTo("fake-gw-2");
  }

  @Test
  void downloadStatement_whenTheGatewayIsUnavailable_isRetried_likeEveryCall() {
    problem(503, "service_unavailable");
    answerStatement(BYTES, signed(gateway.gatewayKey, BYTES));

    assertThat(download().bytes()).isEqualTo(BYTES);
    assertThat(http.calls).hasSize(2);
  }

  @Test
  void downloadStatement_notReadyYet_isNotFound() {
    problem(404, "not_found");

    assertThatThrownBy(this::download)
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> {
              assertThat(e.code()).isEqualTo("not_found");
              assertThat(e.requestId()).isEqualTo("req_fake");
            });
  }

  @Test
  void downloadStatement_withOneByteChanged_isRefused() {
    byte[] changed = BYTES.clone();
    changed[CSV.indexOf("3600") + 3] = '1'; // 3600 -> 3601
    // the response itself is signed over the changed bytes: only the statement signature can tell
    answerStatement(changed, signed(gateway.gatewayKey, BYTES));

    assertThatThrownBy(this::download)
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> {
              assertThat(e.code()).isEqualTo("statement_signature_invalid");
              assertThat(e.requestId()).isEqualTo("req_stmt");
              assertThat(e.httpStatus()).isEqualTo(200);
            })
        .hasMessageContaining("does not verify");
  }

  @Test
  void downloadStatement_whoseBytesChangedAfterTheResponseWasSigned_failsTheResponseDigest() {
    FakeGateway.Answer answer = new FakeGateway.Answer();
    answer.bytes = BYTES;
    answer.contentType = "text/csv";
    answer.headers.put("Statement-Signature", signed(gateway.gatewayKey, BYTES));
    answer.bodyAfterSigning = CSV.replace("3600", "3601");
    gateway.script.add(answer);

    assertRefused(this::download, "response_signature_invalid", "Content-Digest");
  }

  @Test
  void downloadStatement_withoutTheStatementSignature_isRefused() {
    answerStatement(BYTES, null);

    assertThatThrownBy(this::download)
        .isInstanceOfSatisfying(
            SignatureVerificationException.class,
            e -> {
              assertThat(e.code()).isEqualTo("statement_signature_missing");
              assertThat(e.requestId()).isEqualTo("req_stmt");
            })
        .hasMessageContaining("Statement-Signature");
  }

  @Test
  void downloadStatement_namingAKidTheGatewayDoesNotPublish_isRefused() {
    answerStatement(
        BYTES, detached(header("EdDSA", "fake-gw-unknown"), BYTES, gateway.gatewayKey.signer()));

    assertRefused(this::download, "statement_key_unknown", "fake-gw-unknown");
  }

  @Test
  void downloadStatement_withoutAKid_isRefused() {
    Map<String, Object> header = header("EdDSA", "x");
    header.remove("kid");
    answerStatement(BYTES, detached(header, BYTES, gateway.gatewayKey.signer()));

    assertRefused(this::download, "statement_key_unknown", "kid");
  }

  @Test
  void downloadStatement_signedByAnotherKeyUnderTheGatewaysKid_isRefused() {
    GeneratedKey impostor = Keys.generate(SignatureAlgorithm.ED25519, "fake-gw-1");
    answerStatement(BYTES, signed(impostor, BYTES));

    assertRefused(this::download, "statement_signature_invalid", "does not verify");
  }

  @Test
  void downloadStatement_signedByAnotherKeyUnderItsOwnKid_isRefused() {
    GeneratedKey stranger = Keys.generate(SignatureAlgorithm.ED25519, "stranger-1");
    answerStatement(BYTES, signed(stranger, BYTES));

    assertRefused(this::download, "statement_key_unknown", "stranger-1");
  }

  @Test
  void downloadStatement_withAlgNone_isRefused() {
    answerStatement(BYTES, detached(header("none", "fake-gw-1"), BYTES, null));

    assertRefused(this::download, "statement_signature_invalid", "none");
  }

  @Test
  void downloadStatement_withHs256KeyedByThePublicKey_isRefused() throws GeneralSecurityException {
    // the classic confusion: an HMAC keyed with the gateway's *public* key, which anyone has
    String encodedHeader =
        b64(Json.write(header("HS256", "fake-gw-1")).getBytes(StandardCharsets.UTF_8));
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(
        new SecretKeySpec(
            gateway.gatewayKey.publicJwk().toJson().getBytes(StandardCharsets.UTF_8),
            "HmacSHA256"));
    byte[] mac =
        hmac.doFinal((encodedHeader + "." + b64(BYTES)).getBytes(StandardCharsets.US_ASCII));
    answerStatement(BYTES, encodedHeader + ".." + b64(mac));

    assertRefused(this::download, "statement_signature_invalid", "HS256");
  }

  @Test
  void downloadStatement_inAnAlgorithmTheGatewayNeverSignsWith_isRefused_evenWithAPublishedKey() {
    GeneratedKey p256 = Keys.generate(SignatureAlgorithm.ECDSA_P256_SHA256, "fake-gw-p256");
    gateway.alsoPublished.add(p256);
    answerStatement(BYTES, signed(p256, BYTES));

    assertRefused(this::download, "statement_signature_invalid", "ES256");
  }

  @Test
  void downloadStatement_whoseAlgDoesNotMatchTheKeyItsKidNames_isRefused() {
    GeneratedKey sm2 = Keys.generate(SignatureAlgorithm.SM2_SM3, "fake-gw-sm2");
    gateway.alsoPublished.add(sm2);
    // says EdDSA, names the SM2 key, signed by the SM2 key
    answerStatement(BYTES, detached(header("EdDSA", "fake-gw-sm2"), BYTES, sm2.signer()));

    assertRefused(this::download, "statement_signature_invalid", "does not verify");
  }

  @Test
  void downloadStatement_withAnAttachedPayload_isRefused() {
    String detached = signed(gateway.gatewayKey, BYTES);
    String attached = detached.replace("..", "." + b64(BYTES) + ".");
    answerStatement(BYTES, attached);

    assertRefused(this::download, "statement_signature_invalid", "detached");
  }

  @Test
  void downloadStatement_withAnUnencodedPayload_isRefused() {
    // RFC 7797 (b64 false, crit): the statement signature is over the base64url of the bytes
    Map<String, Object> header = header("EdDSA", "fake-gw-1");
    header.put("b64", false);
    header.put("crit", List.of("b64"));
    answerStatement(BYTES, detached(header, BYTES, gateway.gatewayKey.signer()));

    assertRefused(this::download, "statement_signature_invalid", "b64");
  }

  @Test
  void downloadStatement_signedAsAnotherKindOfGatewayJws_isRefused() {
    Map<String, Object> token = header("EdDSA", "fake-gw-1");
    token.put("typ", "at+jwt");
    answerStatement(BYTES, detached(token, BYTES, gateway.gatewayKey.signer()));
    Map<String, Object> untyped = header("EdDSA", "fake-gw-1");
    untyped.remove("typ");
    answerStatement(BYTES, detached(untyped, BYTES, gateway.gatewayKey.signer()));

    assertRefused(this::download, "statement_signature_invalid", "at+jwt");
    assertRefused(this::download, "statement_signature_invalid", TYPE);
  }

  @Test
  void downloadStatement_ofAMalformedSignature_isRefused() {
    answerStatement(BYTES, "not-a-jws");
    answerStatement(BYTES, "%%%..abc");

    assertRefused(this::download, "statement_signature_invalid", "compact JWS");
    assertRefused(this::download, "statement_signature_invalid", "header");
  }

  @Test
  void downloadStatement_ofAnotherMerchantOrDay_isRefused_thoughValidlySigned() {
    byte[] otherDay =
        CSV.replace("date=2026-11-22", "date=2026-11-21").getBytes(StandardCharsets.UTF_8);
    byte[] otherMerchant =
        CSV.replace("merchant=" + MERCHANT_ID, "merchant=mch_9Zz9Zz9Zz9Zz9Zz9Zz9Z")
            .getBytes(StandardCharsets.UTF_8);
    answerStatement(otherDay, signed(gateway.gatewayKey, otherDay));
    answerStatement(otherMerchant, signed(gateway.gatewayKey, otherMerchant));

    assertRefused(this::download, "statement_mismatch", "2026-11-21");
    assertRefused(this::download, "statement_mismatch", "mch_9Zz9Zz9Zz9Zz9Zz9Zz9Z");
  }

  // verified offline, with keys the holder already has

  @Test
  void verifyStatement_offline_withTheGatewaysKeysOrItsJwks_yieldsTheStatement_withoutACall() {
    String signature = signed(gateway.gatewayKey, BYTES);
    GeneratedKey sm2 = Keys.generate(SignatureAlgorithm.SM2_SM3, "fake-gw-sm2");
    String jwks =
        "{\"keys\":["
            + "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\",\"kid\":\"skip-me\"},"
            + sm2.publicJwk().toJson()
            + ","
            + gateway.gatewayKey.publicJwk().toJson()
            + "]}";

    VerifiedStatement fromJwks = Merchants.verifyStatement(BYTES, signature, jwks);
    VerifiedStatement fromKeys =
        Merchants.verifyStatement(
            BYTES, signature, List.of(sm2.publicJwk(), gateway.gatewayKey.publicJwk()));

    assertThat(fromJwks.keyId()).isEqualTo("fake-gw-1");
    assertThat(fromJwks.bytes()).isEqualTo(BYTES);
    assertThat(fromJwks.rows()).hasSize(3);
    assertThat(fromKeys).isEqualTo(fromJwks).hasSameHashCodeAs(fromJwks);
    assertThat(http.calls).isEmpty();
  }

  @Test
  void verifyStatement_offline_refusesWhatDoesNotVerify() {
    String signature = signed(gateway.gatewayKey, BYTES);
    String jwks = "{\"keys\":[" + gateway.gatewayKey.publicJwk().toJson() + "]}";
    byte[] changed = BYTES.clone();
    changed[changed.length - 2] ^= 1;
    GeneratedKey other = Keys.generate(SignatureAlgorithm.ED25519, "fake-gw-1");

    assertRefused(
        () -> Merchants.verifyStatement(changed, signature, jwks),
        "statement_signature_invalid",
        "does not verify");
    assertRefused(
        () -> Merchants.verifyStatement(BYTES, signature, List.of(other.publicJwk())),
        "statement_signature_invalid",
        "does not verify");
    assertRefused(
        () -> Merchants.verifyStatement(BYTES, signature, "{\"keys\":[]}"),
        "statement_key_unknown",
        "fake-gw-1");
    assertRefused(
        () -> Merchants.verifyStatement(BYTES, null, jwks),
        "statement_signature_missing",
        "Statement-Signature");
    assertThatThrownBy(() -> Merchants.verifyStatement(BYTES, signature, "{\"no\":\"keys\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JWKS");
  }

  @Test
  void rows_ofARowWithAnotherNumberOfFields_areRefused() {
    byte[] ragged = "# c\na,b,c\n1,2\n".getBytes(StandardCharsets.UTF_8);
    String jwks = "{\"keys\":[" + gateway.gatewayKey.publicJwk().toJson() + "]}";

    VerifiedStatement statement =
        Merchants.verifyStatement(ragged, signed(gateway.gatewayKey, ragged), jwks);

    assertThat(statement.text()).isEqualTo("# c\na,b,c\n1,2\n");
    assertThatThrownBy(statement::rows)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 fields");
  }
}
