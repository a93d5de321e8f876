package io.scenebank.examples;

import io.scenebank.sdk.Bills;
import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.Sandbox;
import io.scenebank.sdk.SandboxCredentials;
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
import java.util.Locale;
import java.util.UUID;

/**
 * A payment channel's bill payment (生活缴费) in the sandbox: a bank app finds the water company in the
 * biller directory, asks what account 3204001234 owes, pays the bill with the customer's account,
 * verifies the receipt offline with the gateway's keys, is refused a second payment of the same
 * bill, and sets up a mandate that pays the next bill when the water company issues it. Run it
 * against a gateway started with {@code bin/gateway}:
 *
 * <pre>
 * ./mvnw -q -pl examples -am install -DskipTests
 * java -cp "examples/target/classes:$(./mvnw -q -pl examples dependency:build-classpath \
 *     -Dmdep.outputFile=/dev/stdout)" io.scenebank.examples.UtilityChannel http://localhost:8080
 * </pre>
 */
public final class UtilityChannel {

  /** The sandbox's water company, and its account that owes a bill of ¥86.50. */
  static final String WATER = "blr_3Wx8Kq2MvT7pN4bRz6Ld";

  static final String ACCOUNT_WITH_DUES = "3204001234";

  /** An account without dues, which the example puts on a mandate. */
  static final String ACCOUNT_ON_MANDATE = "3204008001";

  /** The sandbox's customer account the channel debits. */
  static final String PAYER = "acc_5Tn9Qx2KmR7vL4pWb8Zc";

  private UtilityChannel() {}

  public static void main(String[] args) {
    run(args.length > 0 ? args[0] : "http://localhost:8080");
  }

  /** Runs the channel's payments against the gateway at this base URL and tells what happened. */
  public static Result run(String baseUrl) {
    Environment sandbox = Environment.custom(baseUrl);

    // 1. the channel signs up in the sandbox (an SM2 key, as Chinese banks' channels often use)
    SandboxCredentials credentials =
        Sandbox.signUp(
            sandbox,
            "Jiangnan Pay",
            // one organisation per e-mail address: a fresh one each run, so that this can run again
            "bills+" + System.currentTimeMillis() + "@channel.example",
            "Bill payments",
            SignatureAlgorithm.SM2_SM3);
    ScenebankClient client = credentials.client();
    Bills bills = client.bills();
    say("signed up as %s", credentials.clientId());

    // 2. the biller, from the directory (every page of it: the SDK fetches them as needed)
    Biller water =
        bills.listAllBillers(new Bills.BillerQuery().category(Biller.CategoryEnum.WATER)).stream()
            .filter(b -> WATER.equals(b.getId()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no biller " + WATER));
    say("biller %s: %s", water.getId(), water.getName());

    // 3. what the account owes, asked of the biller through the gateway
    BillInquiry inquiry =
        bills.inquireBills(
            new InquireBillsRequest().billerId(water.getId()).accountNumber(ACCOUNT_WITH_DUES));
    Bill bill = inquiry.getBills().get(0);
    say(
        "account %s: %s, bill %s of %s due %s",
        ACCOUNT_WITH_DUES,
        inquiry.getStatus(),
        bill.getId(),
        yuan(bill.getAmountDue()),
        bill.getDueDate());

    // 4. pay exactly what is due; the channel's own reference makes it traceable at both ends
    BillPayment payment =
        bills.createBillPayment(
            new CreateBillPaymentRequest()
                .billerId(water.getId())
                .accountNumber(bill.getAccountNumber())
                .billId(bill.getId())
                .amount(bill.getAmountDue())
                .payer(new PayerInput().accountId(PAYER))
                .channelReference("APP-" + UUID.randomUUID()));
    say(
        "paid %s: %s, biller reference %s",
        yuan(payment.getAmount()), payment.getStatus(), payment.getBillerReference());

    // 5. the receipt, signed by the gateway: verified here, and again by anyone with its keys
    VerifiedReceipt receipt = bills.verifiedReceipt(payment.getId());
    say(
        "receipt for %s verified: %s to %s",
        receipt.content().getBillPaymentId(),
        yuan(receipt.content().getAmount()),
        receipt.content().getBillerName());

    // 6. the same bill cannot be paid twice (a retry of the same request is another matter: the
    // SDK resends it with the same idempotency key and gets the first answer)
    String secondPayment;
    try {
      bills.createBillPayment(
          new CreateBillPaymentRequest()
              .billerId(water.getId())
              .accountNumber(bill.getAccountNumber())
              .billId(bill.getId())
              .amount(bill.getAmountDue())
              .payer(new PayerInput().accountId(PAYER))
              .channelReference("APP-" + UUID.randomUUID()));
      secondPayment = "accepted";
    } catch (ConflictException e) {
      secondPayment = e.code();
    }
    say("paying bill %s again: %s", bill.getId(), secondPayment);

    // 7. a mandate: the next bill of this account is paid when the biller issues it, up to ¥200
    Mandate mandate =
        bills.createMandate(
            new CreateMandateRequest()
                .billerId(water.getId())
                .accountNumber(ACCOUNT_ON_MANDATE)
                .payer(new PayerInput().accountId(PAYER))
                .maxAmountPerBill(Money.yuan("200.00")));
    Bill issued =
        client
            .simulator()
            .issueBill(
                new IssueBillRequest()
                    .billerId(water.getId())
                    .accountNumber(ACCOUNT_ON_MANDATE)
                    .amount(Money.yuan("123.45"))
                    .dueDate(LocalDate.now().plusDays(10))
                    .period("2026-11"));
    BillPayment automatic = bills.getBillPayment(issued.getBillPaymentId());
    say(
        "mandate %s paid bill %s of %s: %s",
        mandate.getId(), issued.getId(), yuan(issued.getAmountDue()), automatic.getStatus());

    return new Result(
        payment.getId(),
        payment.getStatus().getValue(),
        payment.getAmount().amount(),
        receipt.content().getBillPaymentId(),
        secondPayment,
        mandate.getId(),
        automatic.getMandateId(),
        issued.getStatus().getValue());
  }

  private static String yuan(Money money) {
    return "¥" + money.toDecimalString();
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }

  /** What the channel's payments came to (amounts in fen). */
  public static final class Result {
    public final String paymentId;
    public final String paymentStatus;
    public final long paid;
    public final String receiptPaymentId;
    public final String secondPayment;
    public final String mandateId;
    public final String automaticPaymentMandateId;
    public final String issuedBillStatus;

    Result(
        String paymentId,
        String paymentStatus,
        long paid,
        String receiptPaymentId,
        String secondPayment,
        String mandateId,
        String automaticPaymentMandateId,
        String issuedBillStatus) {
      this.paymentId = paymentId;
      this.paymentStatus = paymentStatus;
      this.paid = paid;
      this.receiptPaymentId = receiptPaymentId;
      this.secondPayment = secondPayment;
      this.mandateId = mandateId;
      this.automaticPaymentMandateId = automaticPaymentMandateId;
      this.issuedBillStatus = issuedBillStatus;
    }
  }
}
