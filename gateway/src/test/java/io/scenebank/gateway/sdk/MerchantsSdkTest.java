package io.scenebank.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.testing.Partner;
import io.scenebank.gateway.testing.Platform;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.sdk.DeclinedException;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.VerifiedStatement;
import io.scenebank.sdk.model.ContactInput;
import io.scenebank.sdk.model.CreateCodePaymentRequest;
import io.scenebank.sdk.model.CreateMerchantRequest;
import io.scenebank.sdk.model.CreateQrOrderRequest;
import io.scenebank.sdk.model.CreateRefundRequest;
import io.scenebank.sdk.model.Merchant;
import io.scenebank.sdk.model.Payment;
import io.scenebank.sdk.model.SettlementAccountInput;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A merchant's day as a shop's POS and back office build it: only the SDK. */
class MerchantsSdkTest {

  private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

  private final ScenebankClient client =
      TestApp.create(SignatureAlgorithm.ED25519, "merchants", "payments", "sandbox").client();

  @AfterEach
  void ledgerStaysBalanced() {
    Partner.assertLedgerBalanced();
  }

  @Test
  void aDayOfQrOrdersCodesAndRefunds_endsInAVerifiedStatement() {
    OffsetDateTime start = client.simulator().getClock().getNow().withOffsetSameInstant(CHINA);
    if (start.getHour() == 23 && start.getMinute() >= 50) {
      client.simulator().advanceClock(15 * 60);
    }
    LocalDate today =
        client.simulator().getClock().getNow().withOffsetSameInstant(CHINA).toLocalDate();
    Merchant shop =
        client
            .merchants()
            .createMerchant(
                new CreateMerchantRequest()
                    .businessName("常州梳篦店")
                    .licenceNumber(Platform.licence())
                    .category("5947")
                    .settlementAccount(
                        new SettlementAccountInput()
                            .bankName("江南银行")
                            .accountNumber("6222020400099998888")
                            .accountName("常州梳篦店"))
                    .contact(new ContactInput().name("王芳").phone("13800001111"))
                    .feeRateBps(60));
    assertThat(shop.getStatus()).isEqualTo(Merchant.StatusEnum.ACTIVE);

    Payment order =
        client
            .payments()
            .createQrOrder(
                new CreateQrOrderRequest()
                    .merchantId(shop.getId())
                    .amount(Money.cny(12_800))
                    .description("木梳")
                    .merchantOrderRef("QR-" + UUID.randomUUID()));
    Payment paid = client.simulator().payQrOrder(order.getId(), Platform.APPROVE_CODE);
    assertThat(paid.getStatus()).isEqualTo(Payment.StatusEnum.SUCCEEDED);
    Payment scanned =
        client
            .payments()
            .createCodePayment(
                new CreateCodePaymentRequest()
                    .merchantId(shop.getId())
                    .payerCode(Platform.APPROVE_CODE)
                    .amount(Money.cny(5_000))
                    .description("篦子")
                    .merchantOrderRef("POS-" + UUID.randomUUID()));
    client
        .payments()
        .createRefund(
            paid.getId(),
            new CreateRefundRequest()
                .amount(Money.cny(2_800))
                .reason("换款")
                .merchantRefundRef("R-1"));
    assertThatThrownBy(
            () ->
                client
                    .payments()
                    .createRefund(
                        paid.getId(),
                        new CreateRefundRequest()
                            .amount(Money.cny(10_001))
                            .reason("too much")
                            .merchantRefundRef("R-2")))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("refund_exceeds_paid"));

    OffsetDateTime now = client.simulator().getClock().getNow();
    long untilMorning =
        Duration.between(now, today.plusDays(1).atTime(3, 0).atOffset(CHINA)).getSeconds();
    client.simulator().advanceClock(untilMorning);

    VerifiedStatement statement = client.merchants().downloadStatement(shop.getId(), today);
    List<Map<String, String>> rows = statement.rows();
    assertThat(rows).hasSize(4);
    long fees = 12_800 * 60 / 10_000 + 5_000 * 60 / 10_000;
    Map<String, String> total = rows.get(rows.size() - 1);
    assertThat(total.get("row_type")).isEqualTo("TOTAL");
    assertThat(Long.parseLong(total.get("amount"))).isEqualTo(12_800 + 5_000 - 2_800);
    assertThat(Long.parseLong(total.get("fee"))).isEqualTo(fees);
    assertThat(Long.parseLong(total.get("net"))).isEqualTo(15_000 - fees);
    assertThat(rows.stream().map(r -> r.get("id"))).contains(paid.getId(), scanned.getId());
  }
}
