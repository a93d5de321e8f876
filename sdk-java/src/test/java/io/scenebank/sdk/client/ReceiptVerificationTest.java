package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.Bills;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.SignatureVerificationException;
import io.scenebank.sdk.VerifiedReceipt;
import io.scenebank.sdk.internal.Json;
import io.scenebank.sdk.internal.jose.Jws;
import io.scenebank.sdk.model.BillReceiptContent;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.scenebank.sdk.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * A bill e-receipt is proof of payment only through its JWS: it must be signed by a key the gateway
 * publishes (the one its kid names), in an algorithm the gateway signs with, and be a receipt; the
 * content handed back is the signed payload, never the response's unsigned copy. The fake gateway
 * signs the receipts with its own key, as the real one does, and publishes it at /oauth2/jwks.
 */
class ReceiptVerificationTest extends TypedCallsHarness {

  static final String PAYMENT_ID = "bpy_6Tq3Wn8KxR2mP7vLb4Zf";
  static final String CONTENT =
      "{\"receipt_number\":\"RCT202611230000187\",\"bill_payment_id\":\"bpy_6Tq3Wn8KxR2mP7vLb4Zf\","
          + "\"biller_id\":\"blr_3Wx8Kq2MvT7pN4bRz6Ld\",\"biller_name\":\"江南水务（沙箱）\","
          + "\"category\":\"WATER\",\"account_number\":\"3204001234\","
          + "\"account_holder_masked\":\"王*\",\"period\":\"2026-10\","
          + "\"amount\":{\"amount\":8650,\"currency\":\"CNY\"},"
          + "\"payer_account_masked\":\"6230********4821\","
          + "\"biller_reference\":\"JNSW2026112300018\",\"paid_at\":\"2026-11-23T10:15:32+08:00\","
          + "\"issued_at\":\"2026-11-23T10:15:33+08:00\",\"issuer\":\"Scenebank 沙箱\"}";

  /** The {@code typ} the gateway gives its receipts. */
  static final String TYPE = "scenebank-receipt+jws";

  /** The JWS of {@code content} as the gateway makes it: its typ, and its key's kid and alg. */
  static String signed(GeneratedKey key, String content) {
    return Jws.sign(
        Map.of("typ", TYPE),
        Json.parseObject(content.getBytes(StandardCharsets.UTF_8)),
        key.signer());
  }

  /** A compact JWS put together by hand: any header, any payload, signed by any signer (or not). */
  static String compact(Map<String, Object> header, String payload, Signer signer) {
    String input = b64(Json.write(header)) + "." + b64(payload);
    byte[] signature =
        signer == null ? new byte[0] : signer.sign(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  static String b64(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, Object> header(String alg, String kid) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", alg);
    header.put("kid", kid);
    header.put("typ", TYPE);
    return header;
  }

  /** The getBillReceipt answer: the unsigned copy, the JWS and the kid. */
  static String receipt(String jws, String unsignedContent, String kid) {
    return "{\"object\":\"bill_receipt\",\"bill_payment_id\":\""
        + PAYMENT_ID
        + "\",\"livemode\":false,\"receipt\":"
        + unsignedContent
        + ",\"jws\":\""
        + jws
        + "\",\"kid\":\""
        + kid
        + "\",\"created_at\":\"2026-11-23T10:15:33+08:00\"}";
  }

  /** The fake gateway answers getBillReceipt with this JWS and a faithful unsigned copy. */
  void answerReceipt(String jws, String kid) {
    answer(200, receipt(jws, CONTENT, kid));
  }

  void assertRefused(ThrowingCallable call, String code, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SignatureVerificationException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  // verified online, with the gateway's published keys

  @Test
  void verifiedReceipt_signedByTheGatewaysKey_verifies_andYieldsTheSignedContent() {
    String jws = signed(gateway.gatewayKey, CONTENT);
    answerReceipt(jws, "fake-gw-1");

    VerifiedReceipt receipt = client.bills().verifiedReceipt(PAYMENT_ID);

    assertThat(onlyCall().toString())
        .isEqualTo("GET /v1/bills/payments/" + PAYMENT_ID + "/receipt");
    assertThat(receipt.jws()).isEqualTo(jws);
    assertThat(receipt.keyId()).isEqualTo("fake-gw-1");
    BillReceiptContent content = receipt.content();
    assertThat(content.getReceiptNumber()).isEqualTo("RCT202611230000187");
    assertThat(content.getBillPaymentId()).isEqualTo(PAYMENT_ID);
    assertThat(content.getCategory()).isEqualTo(BillReceiptContent.CategoryEnum.WATER);
    assertThat(content.getAmount()).isEqualTo(Money.cny(8650L));
    assertThat(content.getPaidAt())
        .isEqualTo(OffsetDateTime.of(2026, 11, 23, 10, 15, 32, 0, ZoneOffset.ofHours(8)));
    assertThat(content.getIssuer()).isEqualTo("Scenebank 沙箱");
    assertThat(receipt.toString()).contains("RCT202611230000187").doesNotContain(jws);
  }

  @Test
  void verifiedReceipt_signedByTheGatewaysSm2Key_verifies() {
    GeneratedKey sm2 = Keys.generate(SignatureAlgorithm.SM2_SM3, "fake-gw-sm2");
    gateway.alsoPublished.add(sm2);
    answerReceipt(signed(sm2, CONTENT), "fake-gw-sm2");

    VerifiedReceipt receipt = client.bills().verifiedReceipt(PAYMENT_ID);

    assertThat(receipt.keyId()).isEqualTo("fake-gw-sm2");
    assertThat(receipt.content().getAmount().getAmount()).isEqualTo(8650L);
  }

  @Test
  void verifiedReceipt_afterTheGatewayRotatedItsKey_fetchesTheJwksAgain_andVerifies() {
    answerReceipt(signed(gateway.gatewayKey, CONTENT), "fake-gw-1");
    client.bills().verifiedReceipt(PAYMENT_ID);
    GeneratedKey next = Keys.generate(SignatureAlgorithm.ED25519, "fake-gw-2");
    gateway.alsoPublished.add(next);
    answerReceipt(signed(next, CONTENT), "fake-gw-2");

    assertThat(client.bills().verifiedReceipt(PAYMENT_ID).keyId()).isEqualTo("fake-gw-2");
  }

  @Test
  void verifiedReceipt_withATamperedPayload_isRefused() {
    String jws = signed(gateway.gatewayKey, CONTENT);
    String richer = CONTENT.replace("\"amount\":8650", "\"amount\":86500");
    String[] parts = jws.split("\\.");
    String tampered = parts[0] + "." + b64(richer) + "." + parts[2];
    // the unsigned copy agrees with the tampered payload: only the signature can tell
    answer(200, receipt(tampered, richer, "fake-gw-1"));

    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID),
        "receipt_signature_invalid",
        "does not verify");
  }

  @Test
  void verifiedReceipt_whoseUnsignedCopyDiffers_isRefused_theSignedPayloadBeingTheTruth() {
    String jws = signed(gateway.gatewayKey, CONTENT);
    answer(200, receipt(jws, CONTENT.replace("\"amount\":8650", "\"amount\":1"), "fake-gw-1"));

    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID), "receipt_mismatch", "unsigned copy");
    assertThat(
            Bills.verifyReceipt(jws, List.of(gateway.gatewayKey.publicJwk()))
                .getAmount()
                .getAmount())
        .isEqualTo(8650L);
  }

  @Test
  void verifiedReceipt_ofAnotherPayment_isRefused() {
    String other = CONTENT.replace(PAYMENT_ID, "bpy_9Zz9Zz9Zz9Zz9Zz9Zz9Z");
    answer(200, receipt(signed(gateway.gatewayKey, other), other, "fake-gw-1"));

    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID),
        "receipt_mismatch",
        "bpy_9Zz9Zz9Zz9Zz9Zz9Zz9Z");
  }

  @Test
  void verifiedReceipt_namingAKidTheGatewayDoesNotPublish_isRefused() {
    Map<String, Object> header = header("EdDSA", "fake-gw-unknown");
    answerReceipt(compact(header, CONTENT, gateway.gatewayKey.signer()), "fake-gw-unknown");

    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID), "receipt_key_unknown", "fake-gw-unknown");
  }

  @Test
  void verifiedReceipt_withoutAKid_isRefused() {
    Map<String, Object> header = header("EdDSA", "x");
    header.remove("kid");
    answerReceipt(compact(header, CONTENT, gateway.gatewayKey.signer()), "fake-gw-1");

    assertRefused(() -> client.bills().verifiedReceipt(PAYMENT_ID), "receipt_key_unknown", "kid");
  }

  @Test
  void verifiedReceipt_signedByAnotherKeyUnderTheGatewaysKid_isRefused() {
    GeneratedKey impostor = Keys.generate(SignatureAlgorithm.ED25519, "fake-gw-1");
    answerReceipt(signed(impostor, CONTENT), "fake-gw-1");

    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID),
        "receipt_signature_invalid",
        "does not verify");
  }

  @Test
  void verifiedReceipt_signedByAnotherKeyUnderItsOwnKid_isRefused() {
    GeneratedKey stranger = Keys.generate(SignatureAlgorithm.ED25519, "stranger-1");
    answerReceipt(signed(stranger, CONTENT), "stranger-1");

    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID), "receipt_key_unknown", "stranger-1");
  }

  @Test
  void verifiedReceipt_withAlgNone_isRefused() {
    answerReceipt(compact(header("none", "fake-gw-1"), CONTENT, null), "fake-gw-1");

    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID), "receipt_signature_invalid", "none");
  }

  @Test
  void verifiedReceipt_withHs256KeyedByThePublicKey_isRefused() throws GeneralSecurityException {
    // the classic confusion: an HMAC keyed with the gateway's *public* key, which anyone has
    String input = b64(Json.write(header("HS256", "fake-gw-1"))) + "." + b64(CONTENT);
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(
        new SecretKeySpec(
            gateway.gatewayKey.publicJwk().toJson().getBytes(StandardCharsets.UTF_8),
            "HmacSHA256"));
    String forged =
        input
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(hmac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    answerReceipt(forged, "fake-gw-1");

    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID), "receipt_signature_invalid", "HS256");
  }

  @Test
  void verifiedReceipt_inAnAlgorithmTheGatewayNeverSignsWith_isRefused_evenWithAPublishedKey() {
    GeneratedKey p256 = Keys.generate(SignatureAlgorithm.ECDSA_P256_SHA256, "fake-gw-p256");
    gateway.alsoPublished.add(p256);
    answerReceipt(signed(p256, CONTENT), "fake-gw-p256");

    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID), "receipt_signature_invalid", "ES256");
  }

  @Test
  void verifiedReceipt_whoseAlgDoesNotMatchTheKeyItsKidNames_isRefused() {
    GeneratedKey sm2 = Keys.generate(SignatureAlgorithm.SM2_SM3, "fake-gw-sm2");
    gateway.alsoPublished.add(sm2);
    // says EdDSA, names the SM2 key, signed by the SM2 key
    answerReceipt(compact(header("EdDSA", "fake-gw-sm2"), CONTENT, sm2.signer()), "fake-gw-sm2");

    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID),
        "receipt_signature_invalid",
        "does not verify");
  }

  @Test
  void verifiedReceipt_ofAnotherKindOfGatewayJws_isRefused() {
    // an access token is also signed by the gateway's key; it is not a receipt
    String claims =
        "{\"iss\":\"http://gw\",\"sub\":\"app_1\",\"exp\":1790000000,\"scope\":\"bills\"}";
    Map<String, Object> tokenHeader = header("EdDSA", "fake-gw-1");
    tokenHeader.put("typ", "at+jwt");
    answerReceipt(compact(tokenHeader, claims, gateway.gatewayKey.signer()), "fake-gw-1");
    Map<String, Object> untyped = header("EdDSA", "fake-gw-1");
    untyped.remove("typ");
    answerReceipt(compact(untyped, claims, gateway.gatewayKey.signer()), "fake-gw-1");

    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID), "receipt_signature_invalid", "at+jwt");
    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID),
        "receipt_content_invalid",
        "receipt_number");
  }

  @Test
  void verifiedReceipt_ofAMalformedJws_isRefused() {
    answerReceipt("not-a-jws", "fake-gw-1");

    assertRefused(
        () -> client.bills().verifiedReceipt(PAYMENT_ID), "receipt_signature_invalid", "three");
  }

  // verified offline, with keys the holder already has

  @Test
  void verifyReceipt_offline_withTheGatewaysKeysOrItsJwks_yieldsTheContent_withoutACall() {
    String jws = signed(gateway.gatewayKey, CONTENT);
    GeneratedKey sm2 = Keys.generate(SignatureAlgorithm.SM2_SM3, "fake-gw-sm2");
    String jwks =
        "{\"keys\":["
            + "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\",\"kid\":\"skip-me\"},"
            + sm2.publicJwk().toJson()
            + ","
            + gateway.gatewayKey.publicJwk().toJson()
            + "]}";

    BillReceiptContent fromKeys =
        Bills.verifyReceipt(jws, List.of(sm2.publicJwk(), gateway.gatewayKey.publicJwk()));
    BillReceiptContent fromJwks = Bills.verifyReceipt(jws, jwks);

    assertThat(fromKeys.getReceiptNumber()).isEqualTo("RCT202611230000187");
    assertThat(fromJwks).isEqualTo(fromKeys);
    assertThat(http.calls).isEmpty();
  }

  @Test
  void verifyReceipt_offline_refusesWhatDoesNotVerify() {
    String jws = signed(gateway.gatewayKey, CONTENT);
    String[] parts = jws.split("\\.");
    String tampered =
        parts[0] + "." + b64(CONTENT.replace("3204001234", "3204009999")) + "." + parts[2];
    GeneratedKey other = Keys.generate(SignatureAlgorithm.ED25519, "fake-gw-1");

    assertRefused(
        () -> Bills.verifyReceipt(tampered, List.of(gateway.gatewayKey.publicJwk())),
        "receipt_signature_invalid",
        "does not verify");
    assertRefused(
        () -> Bills.verifyReceipt(jws, List.of(other.publicJwk())),
        "receipt_signature_invalid",
        "does not verify");
    assertRefused(
        () -> Bills.verifyReceipt(jws, "{\"keys\":[]}"), "receipt_key_unknown", "fake-gw-1");
    assertThatThrownBy(() -> Bills.verifyReceipt(jws, "{\"no\":\"keys\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JWKS");
  }
}
