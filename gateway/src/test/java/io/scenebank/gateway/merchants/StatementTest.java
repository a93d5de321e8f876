package io.scenebank.gateway.merchants;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.Partner.assertLedgerBalanced;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.Platform;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.PublicJwk;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A day of payments and refunds at one merchant, then the next morning: the signed statement adds
 * up to the ledger exactly, and the day is settled to the merchant minus fees.
 */
class StatementTest {

  private final Platform platform = new Platform();

  @AfterEach
  void ledgerStaysBalanced() {
    assertLedgerBalanced();
  }

  private long posted(String code) {
    var rows =
        await(
            TestGateway.shared()
                .database()
                .pool()
                .preparedQuery("SELECT posted FROM ledger_accounts WHERE code = $1")
                .execute(Tuple.of(code)));
    return rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
  }

  @Test
  void aDayOfPayments_addsUpToTheLedger_andIsSettledTheNextDay() throws Exception {
    String clientId = platform.app().clientId();
    String merchantId = platform.merchant().getString("id");
    // keep the whole day's activity on one business day, even when the test runs at midnight
    OffsetDateTime clock = OffsetDateTime.now(ZoneOffset.ofHours(8));
    if (clock.getHour() == 23 && clock.getMinute() >= 50) {
      platform.advanceSeconds(15 * 60);
    }
    LocalDate today =
        LocalDate.parse(
            platform
                .ok("getClock", 200, platform.get("/v1/sandbox/clock"))
                .getString("now")
                .substring(0, 10));

    long[] amounts = {1_200, 3_450, 8_800, 15_000, 999};
    List<String> ids = new java.util.ArrayList<>();
    for (long amount : amounts) {
      ids.add(
          platform
              .ok(
                  "createCodePayment",
                  201,
                  platform.codePayment(merchantId, Platform.APPROVE_CODE, amount))
              .getString("id"));
    }
    JsonObject qr = platform.ok("createQrOrder", 201, platform.qrOrder(merchantId, 2_600));
    platform.ok(
        "payQrOrder",
        200,
        platform.post(
            "/v1/sandbox/payments/" + qr.getString("id") + "/pay",
            new JsonObject().put("payer_code", Platform.APPROVE_CODE)));
    platform.ok("createRefund", 201, platform.refund(ids.get(2), 3_000));
    platform.ok("createRefund", 201, platform.refund(ids.get(3), 15_000));
    // declined and failed ones are not in it
    platform.codePayment(merchantId, "289999000000000002", 500);
    platform.ok("createRefund", 201, platform.refund(ids.get(1), 1_000));

    long gross = 1_200 + 3_450 + 8_800 + 15_000 + 999 + 2_600;
    long refunds = 3_000 + 15_000 + 1_000;
    long fees = 0;
    for (long amount : new long[] {1_200, 3_450, 8_800, 15_000, 999, 2_600}) {
      fees += amount * 38 / 10_000;
    }
    String balance = "merchant:" + clientId + ":" + merchantId + ":balance";
    assertThat(-posted(balance)).isEqualTo(gross - refunds);
    assertProblem(
        platform.get("/v1/merchants/" + merchantId + "/statements/" + today), 404, "not_found");
    JsonObject pending =
        platform.ok(
            "getMerchantBalance", 200, platform.get("/v1/merchants/" + merchantId + "/balance"));
    assertThat(pending.getJsonObject("pending").getLong("amount")).isEqualTo(gross - refunds);
    assertThat(pending.getJsonObject("fees_pending").getLong("amount")).isEqualTo(fees);

    // the next day after 02:00
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(8));
    long untilMorning =
        java.time.Duration.between(
                now, today.plusDays(1).atTime(3, 0).atOffset(ZoneOffset.ofHours(8)))
            .getSeconds();
    platform.advanceSeconds(untilMorning);

    JsonObject statements =
        platform.ok(
            "listStatements", 200, platform.get("/v1/merchants/" + merchantId + "/statements"));
    assertThat(statements.getJsonArray("data")).hasSize(1);
    JsonObject statement = statements.getJsonArray("data").getJsonObject(0);
    JsonObject totals = statement.getJsonObject("totals");
    assertThat(totals.getInteger("payment_count")).isEqualTo(6);
    assertThat(totals.getInteger("refund_count")).isEqualTo(3);
    assertThat(totals.getJsonObject("gross").getLong("amount")).isEqualTo(gross);
    assertThat(totals.getJsonObject("refunds").getLong("amount")).isEqualTo(refunds);
    assertThat(totals.getJsonObject("fees").getLong("amount")).isEqualTo(fees);
    assertThat(totals.getJsonObject("net").getLong("amount")).isEqualTo(gross - refunds - fees);

    // the ledger: the merchant's balance is settled out, fees are income, the net is paid out
    assertThat(posted(balance)).isZero();
    assertThat(-posted("merchant:" + clientId + ":fee_income")).isEqualTo(fees);
    assertThat(-posted("merchant:" + clientId + ":" + merchantId + ":payouts"))
        .isEqualTo(gross - refunds - fees);
    JsonObject settlement =
        platform
            .ok(
                "listMerchantSettlements",
                200,
                platform.get("/v1/merchants/" + merchantId + "/settlements"))
            .getJsonArray("data")
            .getJsonObject(0);
    assertThat(settlement.getString("status")).isEqualTo("PAID");
    assertThat(settlement.getString("business_date")).isEqualTo(today.toString());
    assertThat(settlement.getJsonObject("net").getLong("amount")).isEqualTo(gross - refunds - fees);
    assertThat(platform.events("statement.ready").encode()).contains(statement.getString("id"));

    // the file: the same totals, signed over its exact bytes
    Http.Response file = platform.get("/v1/merchants/" + merchantId + "/statements/" + today);
    assertThat(file.status()).isEqualTo(200);
    assertThat(file.contentType()).startsWith("text/csv");
    byte[] bytes = file.body().getBytes(StandardCharsets.UTF_8);
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
        .isEqualTo(statement.getString("sha256"));
    String[] lines = file.body().split("\n");
    assertThat(lines[0]).startsWith("# merchant=" + merchantId);
    assertThat(lines[1]).isEqualTo("row_type,id,payment_id,reference,type,time,amount,fee,net");
    assertThat(lines).hasSize(2 + 9 + 1);
    long sum = 0;
    for (int i = 2; i < lines.length - 1; i++) {
      sum += Long.parseLong(lines[i].split(",")[6]);
    }
    assertThat(sum).isEqualTo(gross - refunds);
    assertThat(lines[lines.length - 1])
        .isEqualTo("TOTAL,,,,,," + (gross - refunds) + "," + fees + "," + (gross - refunds - fees));

    String[] jws = file.header("Statement-Signature").split("\\.");
    assertThat(jws).hasSize(3);
    assertThat(jws[1]).isEmpty();
    JsonObject header =
        new JsonObject(new String(Base64.getUrlDecoder().decode(jws[0]), StandardCharsets.UTF_8));
    assertThat(header.getString("kid")).isEqualTo(statement.getString("signature_kid"));
    JsonArray keys =
        new JsonObject(new Http(TestGateway.shared().port()).get("/oauth2/jwks").body())
            .getJsonArray("keys");
    JsonObject jwk =
        keys.stream()
            .map(JsonObject.class::cast)
            .filter(k -> k.getString("kid").equals(header.getString("kid")))
            .findFirst()
            .orElseThrow();
    byte[] input =
        (jws[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))
            .getBytes(StandardCharsets.US_ASCII);
    byte[] signature = Base64.getUrlDecoder().decode(jws[2]);
    assertThat(PublicJwk.parse(jwk.encode()).verify(input, signature)).isTrue();
    bytes[bytes.length - 3] ^= 1;
    byte[] tampered =
        (jws[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))
            .getBytes(StandardCharsets.US_ASCII);
    assertThat(PublicJwk.parse(jwk.encode()).verify(tampered, signature)).isFalse();
  }
}
