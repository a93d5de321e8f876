package io.scenebank.gateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.examples.CanteenPos;
import io.scenebank.examples.HospitalVisit;
import io.scenebank.examples.MerchantShop;
import io.scenebank.examples.UtilityChannel;
import io.scenebank.gateway.testing.Partner;
import io.scenebank.gateway.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hospital, canteen, shop and bill-payment examples, each run as written against a real
 * gateway.
 */
class ExamplesTest {

  private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

  private String printed = "";

  private static String gateway() {
    return TestGateway.shared().issuer();
  }

  @AfterEach
  void ledgerStaysBalanced() {
    Partner.assertLedgerBalanced();
  }

  /** Runs an example with its narrative captured in {@link #printed}. */
  private <T> T quietly(Supplier<T> example) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      return example.get();
    } finally {
      System.setOut(original);
      printed = out.toString(StandardCharsets.UTF_8);
      original.print(printed);
    }
  }

  @Test
  void hospitalVisit_settlesWithTheInsuranceSplit_andTheSelfPayBecomesTheDebt() {
    HospitalVisit.Result visit = quietly(() -> HospitalVisit.run(gateway()));

    assertThat(visit.clientId()).startsWith("app_");
    assertThat(visit.creditLimit()).isEqualTo(500_000);
    // five charges posted, one voided: only four are held and settled
    assertThat(visit.chargesPosted()).isEqualTo(5);
    long charged = 2_000 + 6_500 + 30_000 + 2_500 * 4;
    assertThat(visit.heldBeforeSettlement()).isEqualTo(charged);
    assertThat(visit.settlementLines()).isEqualTo(4);
    assertThat(visit.settlementTotal()).isEqualTo(charged);
    assertThat(visit.pooledFund()).isEqualTo(24_000);
    assertThat(visit.personalAccount()).isEqualTo(8_500);
    assertThat(visit.selfPay()).isEqualTo(16_000);
    assertThat(visit.pooledFund() + visit.personalAccount() + visit.selfPay())
        .isEqualTo(visit.settlementTotal());
    assertThat(visit.debtId()).startsWith("dbt_");
    assertThat(visit.debtStatus()).isEqualTo("DUE");
    assertThat(visit.debtPrincipal()).isEqualTo(16_000);
    assertThat(visit.debtOutstanding()).isEqualTo(16_000);
    assertThat(visit.debtDueDate()).isAfter(LocalDate.now(CHINA));
    assertThat(visit.availableAfter()).isEqualTo(500_000 - 16_000);
    assertThat(printed)
        .contains("the patient answered: APPROVED")
        .contains("voided C-3 (posted twice): VOIDED")
        .contains("the patient owes ¥160.00")
        .doesNotContain("999999199001010011");
  }

  @Test
  void canteenPos_drawsTheLunchSubsidyFirst_andOwnFundsForTheRest() {
    CanteenPos.Result lunch = quietly(() -> CanteenPos.run(gateway()));

    assertThat(lunch.funded()).isEqualTo(30_000);
    assertThat(lunch.mealTime().withOffsetSameInstant(CHINA).getHour()).isEqualTo(12);
    assertThat(lunch.paymentStatus()).isEqualTo("SUCCEEDED");
    assertThat(lunch.amount()).isEqualTo(2_000);
    assertThat(lunch.mealSlot()).isEqualTo("午餐");
    // the per-meal cap: ¥15 of subsidy, ¥5 from the employee's own funds
    assertThat(lunch.subsidy()).isEqualTo(1_500);
    assertThat(lunch.ownFunds()).isEqualTo(500);
    assertThat(lunch.walletSubsidy()).isEqualTo(30_000 - 1_500);
    assertThat(lunch.ownFundsBefore()).isEqualTo(128_000);
    assertThat(lunch.walletOwnFunds()).isEqualTo(128_000 - 500);
    assertThat(printed).contains("(¥15.00 from the subsidy, ¥5.00 from own funds, slot 午餐)");
  }

  @Test
  void merchantShop_verifiesItsWebhooks_andItsStatementTotalsPaymentsMinusRefunds() {
    MerchantShop.Result day = quietly(() -> MerchantShop.run(gateway()));

    assertThat(day.paid()).isEqualTo(12_800);
    assertThat(day.refunded()).isEqualTo(2_800);
    // every delivery verified with the SDK's WebhookVerifier, none refused
    assertThat(day.webhookTypes())
        .contains("payment.succeeded", "refund.succeeded", "statement.ready")
        .doesNotHaveDuplicates();
    assertThat(day.refusedWebhooks()).isZero();

    List<Map<String, String>> rows = day.statementRows();
    assertThat(rows.stream().map(r -> r.get("row_type")).collect(Collectors.toList()))
        .containsExactly("PAYMENT", "REFUND", "TOTAL");
    assertThat(rows.stream().map(r -> r.get("id"))).contains(day.paymentId(), day.refundId());
    Map<String, String> total = rows.get(2);
    long fee = 12_800 * 60 / 10_000;
    assertThat(day.statementTotal()).isEqualTo(day.paid() - day.refunded()).isEqualTo(10_000);
    assertThat(Long.parseLong(total.get("fee"))).isEqualTo(fee);
    assertThat(Long.parseLong(total.get("net"))).isEqualTo(10_000 - fee);
    assertThat(day.statementKeyId()).isNotBlank();
    assertThat(printed).contains("TOTAL: ¥100.00 taken").contains("webhook receiver stopped");
  }

  @Test
  void utilityChannel_paysABill_verifiesItsReceipt_andAMandatePaysTheNext() {
    UtilityChannel.Result day = quietly(() -> UtilityChannel.run(gateway()));

    assertThat(day.paymentStatus).isEqualTo("SUCCEEDED");
    assertThat(day.paid).isEqualTo(8_650);
    assertThat(day.receiptPaymentId).isEqualTo(day.paymentId);
    assertThat(day.secondPayment).isEqualTo("bill_already_paid");
    assertThat(day.automaticPaymentMandateId).isEqualTo(day.mandateId);
    assertThat(day.issuedBillStatus).isEqualTo("PAID");
    assertThat(printed).contains("paid ¥86.50: SUCCEEDED").contains("verified: ¥86.50");
  }
}
