package io.scenebank.gateway.testing;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** A merchant platform app: onboards merchants and takes their payments over signed HTTP. */
public final class Platform extends Partner {

  public static final String APPROVE_CODE = "289999000000000001";
  public static final String PAYER = "acc_5Tn9Qx2KmR7vL4pWb8Zc";

  public Platform(String... extraScopes) {
    super(scopes(extraScopes));
  }

  public Platform(TestApp app) {
    super(app);
  }

  private static String[] scopes(String... extra) {
    String[] all = new String[4 + extra.length];
    all[0] = "merchants";
    all[1] = "payments";
    all[2] = "sandbox";
    all[3] = "events";
    System.arraycopy(extra, 0, all, 4, extra.length);
    return all;
  }

  /** A licence number of the sandbox's "approve" kind, unique per call. */
  public static String licence() {
    String digits =
        String.format(
            "%09d", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L));
    return "91320400M" + digits;
  }

  public static JsonObject merchantBody(String licence) {
    return new JsonObject()
        .put("business_name", "常州小笼包店 " + licence.substring(9))
        .put("short_name", "小笼包")
        .put("licence_number", licence)
        .put("category", "5812")
        .put(
            "settlement_account",
            new JsonObject()
                .put("bank_name", "江南银行")
                .put("account_number", "6222020400011112222")
                .put("account_name", "常州小笼包店"))
        .put("contact", new JsonObject().put("name", "周杰").put("phone", "13912340000"))
        .put("fee_rate_bps", 38);
  }

  public Http.Response onboard(String licence) {
    return post("/v1/merchants", merchantBody(licence));
  }

  /** An ACTIVE merchant (the sandbox approves at once). */
  public JsonObject merchant() {
    return ok("createMerchant", 201, onboard(licence()));
  }

  public Http.Response codePayment(String merchantId, String code, long amount) {
    return post(
        "/v1/payments/code-payments",
        new JsonObject()
            .put("merchant_id", merchantId)
            .put("payer_code", code)
            .put("amount", money(amount))
            .put("description", "小笼包两笼")
            .put("merchant_order_ref", "ORD-" + UUID.randomUUID()));
  }

  public Http.Response qrOrder(String merchantId, long amount) {
    return post(
        "/v1/payments/qr-orders",
        new JsonObject()
            .put("merchant_id", merchantId)
            .put("amount", money(amount))
            .put("description", "扫码点餐")
            .put("merchant_order_ref", "QR-" + UUID.randomUUID()));
  }

  public Http.Response refund(String paymentId, long amount) {
    return post(
        "/v1/payments/" + paymentId + "/refunds",
        new JsonObject()
            .put("amount", money(amount))
            .put("reason", "少了一笼")
            .put("merchant_refund_ref", "RF-" + UUID.randomUUID()));
  }
}
