package io.scenebank.examples;

import io.scenebank.sdk.Canteen;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.Sandbox;
import io.scenebank.sdk.SandboxCredentials;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.model.ContactInput;
import io.scenebank.sdk.model.CreateCanteenPaymentRequest;
import io.scenebank.sdk.model.CreateMerchantRequest;
import io.scenebank.sdk.model.CreateSubsidyProgrammeRequest;
import io.scenebank.sdk.model.EmployerInput;
import io.scenebank.sdk.model.EnrolEmployeeRequest;
import io.scenebank.sdk.model.Enrolment;
import io.scenebank.sdk.model.FixtureEmployee;
import io.scenebank.sdk.model.FixturePayerAccount;
import io.scenebank.sdk.model.FundProgrammeRequest;
import io.scenebank.sdk.model.MealSlotInput;
import io.scenebank.sdk.model.Merchant;
import io.scenebank.sdk.model.PayerInput;
import io.scenebank.sdk.model.Payment;
import io.scenebank.sdk.model.SandboxFixtures;
import io.scenebank.sdk.model.SettlementAccountInput;
import io.scenebank.sdk.model.SubsidyExpiryInput;
import io.scenebank.sdk.model.SubsidyFunding;
import io.scenebank.sdk.model.SubsidyProgramme;
import io.scenebank.sdk.model.Wallet;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * A smart canteen's POS (智慧食堂) in the sandbox: the platform onboards the canteen as a merchant, the
 * employer sets up a lunch subsidy (11:00–13:30, at most ¥15 a meal), enrols employee E10086 and
 * funds the current month; the employee then pays a ¥20 lunch with their payer code, and the
 * payment draws the subsidy first and the employee's own funds for the rest. Run it against a
 * gateway started with {@code bin/gateway}:
 *
 * <pre>
 * ./mvnw -q -pl examples -am install -DskipTests
 * java -cp "examples/target/classes:$(./mvnw -q -pl examples dependency:build-classpath \
 *     -Dmdep.outputFile=/dev/stdout)" io.scenebank.examples.CanteenPos http://localhost:8080
 * </pre>
 */
public final class CanteenPos {

  /** Meal slots are China time. */
  static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

  /** The sandbox's employee: a payer code and an account with ¥1,280 of own funds. */
  static final String EMPLOYEE_REF = "E10086";

  /** The sandbox's employer account that funds subsidy programmes. */
  static final String EMPLOYER_ACCOUNT = "acc_9Rm4Tx7KqN2vW8pLb3Zd";

  static final long MONTHLY_SUBSIDY = 30_000;
  static final long LUNCH_CAP = 1_500;
  static final long LUNCH_PRICE = 2_000;

  private CanteenPos() {}

  public static void main(String[] args) {
    run(args.length > 0 ? args[0] : "http://localhost:8080");
  }

  /** Runs the canteen's day against the gateway at this base URL and tells what happened. */
  public static Result run(String baseUrl) {
    Environment sandbox = Environment.custom(baseUrl);

    // 1. the canteen platform signs up in the sandbox
    SandboxCredentials credentials =
        Sandbox.signUp(
            sandbox,
            "Jiangnan Smart Canteen",
            // one organisation per e-mail address: a fresh one each run, so that this can run again
            "pos+" + System.currentTimeMillis() + "@canteen.example",
            "Canteen POS",
            SignatureAlgorithm.ED25519);
    ScenebankClient client = credentials.client();
    Canteen canteen = client.canteen();
    say("signed up as %s", credentials.clientId());

    SandboxFixtures fixtures = client.simulator().listFixtures();
    FixtureEmployee employee =
        fixtures.getEmployees().stream()
            .filter(e -> EMPLOYEE_REF.equals(e.getEmployeeRef()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no fixture employee " + EMPLOYEE_REF));
    FixturePayerAccount employer =
        fixtures.getPayerAccounts().stream()
            .filter(a -> EMPLOYER_ACCOUNT.equals(a.getAccountId()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no fixture account " + EMPLOYER_ACCOUNT));
    say(
        "fixtures: employee %s (%s) with payer code %s; employer account %s with %s",
        employee.getEmployeeRef(),
        employee.getName(),
        employee.getPayerCode(),
        employer.getAccountId(),
        yuan(employer.getBalance().getAmount()));

    // 2. the canteen becomes a merchant (the sandbox reviews it at once)
    Merchant merchant =
        client
            .merchants()
            .createMerchant(
                new CreateMerchantRequest()
                    .businessName("江南科技职工食堂")
                    .shortName("职工食堂")
                    .licenceNumber("91320400MA1XY00001")
                    .category("5812")
                    .settlementAccount(
                        new SettlementAccountInput()
                            .bankName("江南银行")
                            .accountNumber("6222020400012345678")
                            .accountName("江南科技职工食堂"))
                    .contact(new ContactInput().name("钱七").phone("13900001234"))
                    .feeRateBps(20));
    say("onboarded canteen %s: %s", merchant.getId(), merchant.getStatus());

    // 3. the employer's lunch subsidy at this canteen, unspent subsidy back at month end
    SubsidyProgramme programme =
        canteen.createSubsidyProgramme(
            new CreateSubsidyProgrammeRequest()
                .name("工作餐补贴")
                .employer(
                    new EmployerInput()
                        .name("江南科技有限公司")
                        .reference("EMP-0042")
                        .fundingAccount(new PayerInput().accountId(EMPLOYER_ACCOUNT)))
                .monthlyAmount(Money.cny(MONTHLY_SUBSIDY))
                .mealSlots(
                    List.of(
                        new MealSlotInput()
                            .name("午餐")
                            .start("11:00")
                            .end("13:30")
                            .perMealCap(Money.cny(LUNCH_CAP))))
                .canteenMerchantIds(List.of(merchant.getId()))
                .expiry(new SubsidyExpiryInput().policy(SubsidyExpiryInput.PolicyEnum.MONTH_END)));
    say(
        "subsidy programme %s: %s a month, lunch 11:00-13:30 at most %s a meal",
        programme.getId(), yuan(MONTHLY_SUBSIDY), yuan(LUNCH_CAP));

    // 4. enrol the employee: opens their subsidy wallet
    Enrolment enrolment =
        canteen.enrolEmployee(
            programme.getId(),
            new EnrolEmployeeRequest()
                .employeeRef(employee.getEmployeeRef())
                .name(employee.getName())
                .payer(new PayerInput().accountId(employee.getAccountId())));
    say(
        "enrolled %s (%s), wallet %s",
        enrolment.getEmployeeRef(), enrolment.getNameMasked(), enrolment.getWalletId());

    // 5. fund this month (the sandbox clock's month, China time)
    OffsetDateTime now = client.simulator().getClock().getNow().withOffsetSameInstant(CHINA);
    String period = YearMonth.from(now).toString();
    SubsidyFunding funding =
        canteen.fundProgramme(programme.getId(), new FundProgrammeRequest().period(period));
    say(
        "funded %s: %s to %d employee(s), expiring %s",
        funding.getPeriod(),
        yuan(funding.getTotal().getAmount()),
        funding.getEmployeesFunded(),
        funding.getExpiresAt());
    Wallet before = canteen.getWallet(enrolment.getWalletId());
    say(
        "wallet: %s subsidy, %s own funds",
        yuan(before.getSubsidyBalance().getAmount()),
        yuan(before.getOwnFundsAvailable().getAmount()));

    // 6. lunch at the till: the employee shows their payer code. The meal time is the latest
    // 12:00 (China) not after the sandbox's now, so the example works at any hour.
    OffsetDateTime noon = now.withHour(12).withMinute(0).withSecond(0).withNano(0);
    OffsetDateTime mealTime = noon.isAfter(now) ? noon.minusDays(1) : noon;
    Payment lunch =
        canteen.createCanteenPayment(
            new CreateCanteenPaymentRequest()
                .merchantId(merchant.getId())
                .payerCode(employee.getPayerCode())
                .amount(Money.cny(LUNCH_PRICE))
                .description("午餐：红烧肉套餐")
                .merchantOrderRef("QB20261123-0107")
                .mealTime(mealTime));
    long subsidy = lunch.getFunding().getSubsidy().getAmount();
    long ownFunds = lunch.getFunding().getOwnFunds().getAmount();
    say(
        "lunch at %s, %s: %s (%s from the subsidy, %s from own funds, slot %s)",
        mealTime,
        yuan(lunch.getAmount().getAmount()),
        lunch.getStatus(),
        yuan(subsidy),
        yuan(ownFunds),
        lunch.getFunding().getMealSlot());

    // 7. the wallet after lunch
    Wallet after = canteen.getWallet(enrolment.getWalletId());
    say(
        "wallet: %s subsidy (expires %s), %s own funds",
        yuan(after.getSubsidyBalance().getAmount()),
        after.getExpiresAt(),
        yuan(after.getOwnFundsAvailable().getAmount()));

    return new Result(
        credentials.clientId(),
        merchant.getId(),
        programme.getId(),
        enrolment.getWalletId(),
        funding.getTotal().getAmount(),
        mealTime,
        lunch.getId(),
        lunch.getStatus().getValue(),
        lunch.getAmount().getAmount(),
        subsidy,
        ownFunds,
        lunch.getFunding().getMealSlot(),
        before.getOwnFundsAvailable().getAmount(),
        after.getSubsidyBalance().getAmount(),
        after.getOwnFundsAvailable().getAmount());
  }

  /** Fen as yuan, e.g. {@code ¥20.00}. */
  static String yuan(long fen) {
    return String.format(
        Locale.ROOT, "¥%s%,d.%02d", fen < 0 ? "-" : "", Math.abs(fen) / 100, Math.abs(fen) % 100);
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
  }

  /** What the canteen's lunch came to (amounts in fen). */
  public static final class Result {
    private final String clientId;
    private final String merchantId;
    private final String programmeId;
    private final String walletId;
    private final long funded;
    private final OffsetDateTime mealTime;
    private final String paymentId;
    private final String paymentStatus;
    private final long amount;
    private final long subsidy;
    private final long ownFunds;
    private final String mealSlot;
    private final long ownFundsBefore;
    private final long walletSubsidy;
    private final long walletOwnFunds;

    Result(
        String clientId,
        String merchantId,
        String programmeId,
        String walletId,
        long funded,
        OffsetDateTime mealTime,
        String paymentId,
        String paymentStatus,
        long amount,
        long subsidy,
        long ownFunds,
        String mealSlot,
        long ownFundsBefore,
        long walletSubsidy,
        long walletOwnFunds) {
      this.clientId = clientId;
      this.merchantId = merchantId;
      this.programmeId = programmeId;
      this.walletId = walletId;
      this.funded = funded;
      this.mealTime = mealTime;
      this.paymentId = paymentId;
      this.paymentStatus = paymentStatus;
      this.amount = amount;
      this.subsidy = subsidy;
      this.ownFunds = ownFunds;
      this.mealSlot = mealSlot;
      this.ownFundsBefore = ownFundsBefore;
      this.walletSubsidy = walletSubsidy;
      this.walletOwnFunds = walletOwnFunds;
    }

    /** The sandbox app the canteen platform signed up as. */
    public String clientId() {
      return clientId;
    }

    /** The canteen, a merchant. */
    public String merchantId() {
      return merchantId;
    }

    public String programmeId() {
      return programmeId;
    }

    public String walletId() {
      return walletId;
    }

    /** What the month's funding put in the wallets. */
    public long funded() {
      return funded;
    }

    /** The meal time the payment was taken for: a 12:00 China time. */
    public OffsetDateTime mealTime() {
      return mealTime;
    }

    public String paymentId() {
      return paymentId;
    }

    /** {@code SUCCEEDED}, or {@code DECLINED} if own funds could not pay the rest. */
    public String paymentStatus() {
      return paymentStatus;
    }

    /** The lunch's price. */
    public long amount() {
      return amount;
    }

    /** The part the subsidy paid. */
    public long subsidy() {
      return subsidy;
    }

    /** The part the employee's own funds paid. */
    public long ownFunds() {
      return ownFunds;
    }

    /** The meal slot the payment fell in. */
    public String mealSlot() {
      return mealSlot;
    }

    /** The employee's own funds before lunch. */
    public long ownFundsBefore() {
      return ownFundsBefore;
    }

    /** The wallet's subsidy after lunch. */
    public long walletSubsidy() {
      return walletSubsidy;
    }

    /** The employee's own funds after lunch. */
    public long walletOwnFunds() {
      return walletOwnFunds;
    }

    @Override
    public String toString() {
      return "CanteenPos.Result{paymentStatus="
          + paymentStatus
          + ", subsidy="
          + subsidy
          + ", ownFunds="
          + ownFunds
          + ", walletSubsidy="
          + walletSubsidy
          + ", walletOwnFunds="
          + walletOwnFunds
          + "}";
    }
  }
}
