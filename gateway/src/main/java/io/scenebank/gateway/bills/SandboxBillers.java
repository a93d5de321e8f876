package io.scenebank.gateway.bills;

import io.scenebank.gateway.support.Rows;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** The sandbox's billers, added to the directory when a sandbox gateway starts. */
final class SandboxBillers {

  static final String WATER = "blr_3Wx8Kq2MvT7pN4bRz6Ld";
  static final String ELECTRICITY = "blr_7Eb2Nx5QkR9tM3vWp8Ls";
  static final String GAS = "blr_5Gq8Ws2NkT4vR7mXb3Hc";
  static final String PROPERTY = "blr_9Pm3Yd6KxR2tW8nQv4Lf";
  static final String PARTY_DUES = "blr_2Dz7Kc4MqV9xN3tRb6Wp";

  private SandboxBillers() {}

  /** Id → definition (as an operator would create it). */
  static Map<String, JsonObject> definitions() {
    Map<String, JsonObject> billers = new LinkedHashMap<>();
    billers.put(
        WATER,
        biller(
            "江南水务（沙箱）",
            "WATER",
            "^3204[0-9]{6}$",
            "3204001234",
            "户号：水费账单右上角的 10 位数字",
            "EXACT",
            1,
            5_000_000,
            true,
            true));
    billers.put(
        ELECTRICITY,
        biller(
            "常州供电（沙箱）",
            "ELECTRICITY",
            "^3204[0-9]{9}$",
            "3204000000101",
            "户号：电费通知单上的 13 位数字",
            "EXACT_UP",
            1,
            10_000_000,
            true,
            true));
    billers.put(
        GAS,
        biller(
            "常州港华燃气（沙箱）",
            "GAS",
            "^88[0-9]{6}$",
            "88001234",
            "燃气卡号：8 位数字，以 88 开头",
            "EXACT",
            1,
            5_000_000,
            true,
            true));
    billers.put(
        PROPERTY,
        biller(
            "江南花园物业（沙箱）",
            "PROPERTY",
            "^[A-Z][0-9]-[0-9]{4}$",
            "A1-1201",
            "楼栋-房号，如 A1-1201",
            "EXACT_DOWN",
            100,
            20_000_000,
            true,
            false));
    billers.put(
        PARTY_DUES,
        biller(
            "武进区党费缴纳（沙箱）",
            "PARTY_DUES",
            "^DY[0-9]{8}$",
            "DY20260001",
            "党员编号：DY 加 8 位数字",
            "ANY",
            100,
            1_000_000,
            false,
            false));
    return billers;
  }

  private static JsonObject biller(
      String name,
      String category,
      String regex,
      String example,
      String description,
      String amountRule,
      long min,
      long max,
      boolean inquiryRequired,
      boolean mandates) {
    return new JsonObject()
        .put("name", name)
        .put("category", category)
        .put("region", "320400")
        .put("region_name", "江苏省常州市")
        .put(
            "account_number_format",
            new JsonObject()
                .put("regex", regex)
                .put("example", example)
                .put("description", description))
        .put("amount_rule", amountRule)
        .put("min_amount", Rows.money(min))
        .put("max_amount", Rows.money(max))
        .put("inquiry_required", inquiryRequired)
        .put("supports_mandates", mandates)
        .put(
            "connector",
            new JsonObject().put("type", "SANDBOX").put("confirmation_deadline_seconds", 300));
  }
}
