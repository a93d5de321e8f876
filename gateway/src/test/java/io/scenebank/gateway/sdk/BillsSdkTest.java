package io.scenebank.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.testing.Partner;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.sdk.Bills;
import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.DeclinedException;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.VerifiedReceipt;
import io.scenebank.sdk.model.Bill;
import io.scenebank.sdk.model.BillInquiry;
import io.scenebank.sdk.model.BillPayment;
import io.scenebank.sdk.model.Biller;
import io.scenebank.sdk.model.CreateBillPaymentRequest;
import io.scenebank.sdk.model.CreateMandateRequest;
import io.scenebank.sdk.model.InquireBillsRequest;
import io.scenebank.sdk.model.IssueBillRequest;
import io.scenebank.sdk.model.Mandate;
import io.scenebank.sdk.model.PayerInput;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A utility-payment app as a bank's app or a biller's channel builds it: only the SDK. */
class BillsSdkTest {

  private static final String WATER = "blr_3Wx8Kq2MvT7pN4bRz6Ld";
  private static final String PAYER = "acc_5Tn9Qx2KmR7vL4pWb8Zc";

  private final ScenebankClient client =
      TestApp.create(SignatureAlgorithm.SM2_SM3, "bills", "sandbox", "events").client();

  @AfterEach
  void ledgerStaysBalanced() {
    Partner.assertLedgerBalanced();
  }

  @Test
  void inquirePayAndVerifyTheReceipt() {
    Bills bills = client.bills();
    Biller water =
        bills
            .listBillers(new Bills.BillerQuery().category(Biller.CategoryEnum.WATER))
            .getData()
            .stream()
            .filter(b -> b.getId().equals(WATER))
            .findFirst()
            .orElseThrow();
    BillInquiry inquiry =
        bills.inquireBills(
            new InquireBillsRequest()
                .billerId(water.getId())
                .accountNumber(water.getAccountNumberFormat().getExample()));
    assertThat(inquiry.getStatus()).isEqualTo(BillInquiry.StatusEnum.DUES);
    Bill bill = inquiry.getBills().get(0);
    BillPayment payment =
        bills.createBillPayment(
            new CreateBillPaymentRequest()
                .billerId(water.getId())
                .accountNumber(bill.getAccountNumber())
                .billId(bill.getId())
                .amount(Money.cny(bill.getAmountDue().getAmount()))
                .payer(new PayerInput().accountId(PAYER))
                .channelReference("APP-" + UUID.randomUUID()));
    assertThat(payment.getStatus()).isEqualTo(BillPayment.StatusEnum.SUCCEEDED);
    VerifiedReceipt receipt = bills.verifiedReceipt(payment.getId());
    assertThat(receipt.content().getBillPaymentId()).isEqualTo(payment.getId());
    assertThat(receipt.content().getAmount().getAmount()).isEqualTo(8650);
    assertThat(receipt.content().getBillerReference()).isEqualTo(payment.getBillerReference());

    assertThatThrownBy(
            () ->
                bills.createBillPayment(
                    new CreateBillPaymentRequest()
                        .billerId(water.getId())
                        .accountNumber(bill.getAccountNumber())
                        .billId(bill.getId())
                        .amount(Money.cny(8650))
                        .payer(new PayerInput().accountId(PAYER))
                        .channelReference("APP-" + UUID.randomUUID())))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("bill_already_paid"));
    assertThatThrownBy(
            () ->
                bills.inquireBills(
                    new InquireBillsRequest().billerId(water.getId()).accountNumber("3204009999")))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("invalid_account"));
  }

  @Test
  void aMandatePaysAnIssuedBill() {
    Mandate mandate =
        client
            .bills()
            .createMandate(
                new CreateMandateRequest()
                    .billerId(WATER)
                    .accountNumber("3204008001")
                    .payer(new PayerInput().accountId(PAYER))
                    .maxAmountPerBill(Money.cny(20_000)));
    Bill issued =
        client
            .simulator()
            .issueBill(
                new IssueBillRequest()
                    .billerId(WATER)
                    .accountNumber("3204008001")
                    .amount(Money.cny(12_345))
                    .dueDate(LocalDate.now().plusDays(10))
                    .period("2026-11"));
    assertThat(issued.getStatus()).isEqualTo(Bill.StatusEnum.PAID);
    BillPayment payment = client.bills().getBillPayment(issued.getBillPaymentId());
    assertThat(payment.getMandateId()).isEqualTo(mandate.getId());
    assertThat(client.bills().verifiedReceipt(payment.getId()).content().getPeriod())
        .isEqualTo("2026-11");
  }
}
