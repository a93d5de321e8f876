package io.scenebank.examples;

import io.scenebank.sdk.AppCredentials;
import io.scenebank.sdk.Care;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.Sandbox;
import io.scenebank.sdk.SandboxCredentials;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.model.Charge;
import io.scenebank.sdk.model.Consent;
import io.scenebank.sdk.model.ConsentDecisionRequest;
import io.scenebank.sdk.model.CreateChargeRequest;
import io.scenebank.sdk.model.CreateConsentRequest;
import io.scenebank.sdk.model.CreateEncounterRequest;
import io.scenebank.sdk.model.CreditLine;
import io.scenebank.sdk.model.Debt;
import io.scenebank.sdk.model.Encounter;
import io.scenebank.sdk.model.FixturePatient;
import io.scenebank.sdk.model.InsuranceSplitInput;
import io.scenebank.sdk.model.InsurerInput;
import io.scenebank.sdk.model.OpenCreditLineRequest;
import io.scenebank.sdk.model.PatientInput;
import io.scenebank.sdk.model.SettleEncounterRequest;
import io.scenebank.sdk.model.Settlement;
import io.scenebank.sdk.model.SettlementLine;
import io.scenebank.sdk.model.VoidChargeRequest;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hospital HIS making a pay-after-care (先诊疗后付费) outpatient visit in the sandbox: the patient
 * consents at registration (the simulator plays the patient approving in the bank's app), the
 * hospital opens a credit line, posts the visit's charges (voiding one posted twice), and settles
 * the encounter with the insurance split. The self-pay part becomes the patient's debt, due after
 * the interest-free grace period. Run it against a gateway started with {@code bin/gateway}:
 *
 * <pre>
 * ./mvnw -q -pl examples -am install -DskipTests
 * java -cp "examples/target/classes:$(./mvnw -q -pl examples dependency:build-classpath \
 *     -Dmdep.outputFile=/dev/stdout)" io.scenebank.examples.HospitalVisit http://localhost:8080
 * </pre>
 */
public final class HospitalVisit {

  /** The sandbox's GOOD patient (up to ¥5,000), as listed in the fixtures. */
  static final String GOOD_PATIENT = "999999199001010011";

  private HospitalVisit() {}

  public static void main(String[] args) {
    run(args.length > 0 ? args[0] : "http://localhost:8080");
  }

  /** Runs the visit against the gateway at this base URL and tells what happened. */
  public static Result run(String baseUrl) {
    Environment sandbox = Environment.custom(baseUrl);

    // 1. the hospital signs up in the sandbox (its key pair is made here)
    SandboxCredentials credentials =
        Sandbox.signUp(
            sandbox,
            "Changzhou No.2 Hospital",
            // one organisation per e-mail address: a fresh one each run, so that this can run again
            "his+" + System.currentTimeMillis() + "@hospital.example",
            "HIS outpatient",
            SignatureAlgorithm.ED25519);
    // keep the app's credentials (client id, key id, private key) for every later start
    Path saved = credentialsDirectory().resolve(credentials.clientId());
    credentials.credentials().save(saved);
    ScenebankClient client = AppCredentials.load(saved).client(sandbox);
    Care care = client.care();
    say("signed up as %s; credentials saved in %s", credentials.clientId(), saved);

    // 2. the patient at the registration desk: the sandbox's GOOD credit profile
    FixturePatient patient =
        client.simulator().listFixtures().getPatients().stream()
            .filter(p -> GOOD_PATIENT.equals(p.getIdNumber()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no fixture patient " + GOOD_PATIENT));
    Consent consent =
        care.createConsent(
            new CreateConsentRequest()
                .patient(
                    new PatientInput()
                        .idNumber(patient.getIdNumber())
                        .name(patient.getName())
                        .phone(patient.getPhone()))
                .hospitalPatientRef("P20261123-0042"));
    say(
        "asked %s (%s) for pay-after-care consent: %s",
        consent.getPatient().getNameMasked(),
        consent.getPatient().getIdNumberMasked(),
        consent.getStatus());

    // 3. the patient approves in the bank's app (here: the simulator; in production you would
    // wait for the consent.approved webhook)
    consent =
        client
            .simulator()
            .decideConsent(consent.getId(), ConsentDecisionRequest.DecisionEnum.APPROVE);
    say("the patient answered: %s", consent.getStatus());

    // 4. a credit line on the approved consent
    CreditLine line = care.openCreditLine(new OpenCreditLineRequest().consentId(consent.getId()));
    say(
        "opened credit line %s: %s, limit %s, %d interest-free days after settlement",
        line.getId(),
        line.getStatus(),
        yuan(line.getLimit().getAmount()),
        line.getGracePeriodDays());

    // 5. the visit
    Encounter visit =
        care.createEncounter(
            new CreateEncounterRequest()
                .creditLineId(line.getId())
                .hospitalEncounterRef("MZ20261123-0042")
                .department("内分泌科")
                .visitType(CreateEncounterRequest.VisitTypeEnum.OUTPATIENT));
    say("opened outpatient encounter %s in %s", visit.getId(), visit.getDepartment());

    // 6. charges through the visit, each held on the line; one is posted twice and voided
    List<Charge> charges = new ArrayList<>();
    charges.add(
        charge(
            care,
            visit,
            "110200001",
            "普通门诊诊察费",
            CreateChargeRequest.CategoryEnum.REGISTRATION,
            2_000,
            1,
            "C-1"));
    charges.add(
        charge(
            care,
            visit,
            "250307012",
            "糖化血红蛋白测定",
            CreateChargeRequest.CategoryEnum.LAB,
            6_500,
            1,
            "C-2"));
    Charge twice =
        charge(
            care,
            visit,
            "250307012",
            "糖化血红蛋白测定",
            CreateChargeRequest.CategoryEnum.LAB,
            6_500,
            1,
            "C-3");
    charges.add(
        charge(
            care,
            visit,
            "210300001",
            "胸部 CT 平扫",
            CreateChargeRequest.CategoryEnum.IMAGING,
            30_000,
            1,
            "C-4"));
    charges.add(
        charge(
            care,
            visit,
            "86900001",
            "二甲双胍缓释片",
            CreateChargeRequest.CategoryEnum.PHARMACY,
            2_500,
            4,
            "C-5"));
    Charge voided =
        care.voidCharge(
            visit.getId(), twice.getId(), new VoidChargeRequest().reason("posted twice"));
    say(
        "voided %s (%s): %s",
        voided.getHospitalChargeRef(), voided.getVoidReason(), voided.getStatus());
    long held = care.getCreditLine(line.getId()).getHeld().getAmount();
    say("held on the line: %s", yuan(held));

    // 7. settlement at the cashier, with the insurance split the insurer (医保) answered
    Settlement settlement =
        care.settleEncounter(
            visit.getId(),
            new SettleEncounterRequest()
                .insuranceSplit(
                    new InsuranceSplitInput()
                        // as the insurer's settlement states them, in yuan
                        .pooledFund(Money.yuan("240.00"))
                        .personalAccount(Money.yuan("85.00"))
                        .selfPay(Money.yuan("160.00")))
                .insurer(new InsurerInput().name("常州市医疗保障局").claimRef("YB20261123000042")));

    // 8. the settlement statement and the patient's debt
    Settlement statement = care.getSettlement(visit.getId());
    say("settlement %s of encounter %s:", statement.getId(), statement.getEncounterId());
    for (SettlementLine l : statement.getLines()) {
      say(
          "  %s %s x%d: %s",
          l.getCategory(), l.getDescription(), l.getQuantity(), yuan(l.getAmount().getAmount()));
    }
    say("  total: %s", yuan(statement.getTotal().getAmount()));
    say("  pooled fund (统筹基金): %s", yuan(statement.getSplit().getPooledFund().getAmount()));
    say(
        "  personal account (个人账户): %s",
        yuan(statement.getSplit().getPersonalAccount().getAmount()));
    say("  self-pay (自付): %s", yuan(statement.getSplit().getSelfPay().getAmount()));
    say("  credited to the hospital: %s", yuan(statement.getHospitalCredited().getAmount()));
    Debt debt = care.getDebt(settlement.getPatientDue().getDebtId());
    say(
        "the patient owes %s (debt %s, %s), interest-free until %s",
        yuan(debt.getOutstanding().getAmount()), debt.getId(), debt.getStatus(), debt.getDueDate());
    CreditLine after = care.getCreditLine(line.getId());
    say(
        "credit line now: %s available, %s held, %s outstanding",
        yuan(after.getAvailable().getAmount()),
        yuan(after.getHeld().getAmount()),
        yuan(after.getOutstanding().getAmount()));

    // every debt on the line, across pages: the SDK fetches each page when it is reached
    long debts =
        care.listAllDebts(new Care.DebtQuery().creditLineId(line.getId())).stream().count();
    say("%d debt(s) on credit line %s", debts, line.getId());

    return new Result(
        credentials.clientId(),
        line.getLimit().getAmount(),
        charges.size() + 1,
        held,
        statement.getId(),
        statement.getLines().size(),
        statement.getTotal().getAmount(),
        statement.getSplit().getPooledFund().getAmount(),
        statement.getSplit().getPersonalAccount().getAmount(),
        statement.getSplit().getSelfPay().getAmount(),
        debt.getId(),
        debt.getStatus().getValue(),
        debt.getPrincipal().getAmount(),
        debt.getOutstanding().getAmount(),
        debt.getDueDate(),
        after.getAvailable().getAmount());
  }

  private static Charge charge(
      Care care,
      Encounter visit,
      String itemCode,
      String description,
      CreateChargeRequest.CategoryEnum category,
      long unitAmount,
      int quantity,
      String hospitalChargeRef) {
    Charge charge =
        care.createCharge(
            visit.getId(),
            new CreateChargeRequest()
                .itemCode(itemCode)
                .description(description)
                .category(category)
                .quantity(quantity)
                .unitAmount(Money.cny(unitAmount))
                .amount(Money.cny(unitAmount * quantity))
                .hospitalChargeRef(hospitalChargeRef));
    say(
        "charge %s %s x%d: %s, %s",
        hospitalChargeRef,
        description,
        quantity,
        yuan(charge.getAmount().getAmount()),
        charge.getStatus());
    return charge;
  }

  /** Where this run keeps the app's credentials (a real HIS: its own secrets directory). */
  private static Path credentialsDirectory() {
    try {
      return Files.createTempDirectory("scenebank-his-credentials");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fen as yuan, e.g. {@code ¥485.00}. */
  static String yuan(long fen) {
    return String.format(
        Locale.ROOT, "¥%s%,d.%02d", fen < 0 ? "-" : "", Math.abs(fen) / 100, Math.abs(fen) % 100);
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
  }

  /** What the visit came to (amounts in fen). */
  public static final class Result {
    private final String clientId;
    private final long creditLimit;
    private final int chargesPosted;
    private final long heldBeforeSettlement;
    private final String settlementId;
    private final int settlementLines;
    private final long settlementTotal;
    private final long pooledFund;
    private final long personalAccount;
    private final long selfPay;
    private final String debtId;
    private final String debtStatus;
    private final long debtPrincipal;
    private final long debtOutstanding;
    private final LocalDate debtDueDate;
    private final long availableAfter;

    Result(
        String clientId,
        long creditLimit,
        int chargesPosted,
        long heldBeforeSettlement,
        String settlementId,
        int settlementLines,
        long settlementTotal,
        long pooledFund,
        long personalAccount,
        long selfPay,
        String debtId,
        String debtStatus,
        long debtPrincipal,
        long debtOutstanding,
        LocalDate debtDueDate,
        long availableAfter) {
      this.clientId = clientId;
      this.creditLimit = creditLimit;
      this.chargesPosted = chargesPosted;
      this.heldBeforeSettlement = heldBeforeSettlement;
      this.settlementId = settlementId;
      this.settlementLines = settlementLines;
      this.settlementTotal = settlementTotal;
      this.pooledFund = pooledFund;
      this.personalAccount = personalAccount;
      this.selfPay = selfPay;
      this.debtId = debtId;
      this.debtStatus = debtStatus;
      this.debtPrincipal = debtPrincipal;
      this.debtOutstanding = debtOutstanding;
      this.debtDueDate = debtDueDate;
      this.availableAfter = availableAfter;
    }

    /** The sandbox app the hospital signed up as. */
    public String clientId() {
      return clientId;
    }

    /** The credit line's limit. */
    public long creditLimit() {
      return creditLimit;
    }

    /** Charges posted, the voided one included. */
    public int chargesPosted() {
      return chargesPosted;
    }

    /** What the line held just before settlement (the voided charge released). */
    public long heldBeforeSettlement() {
      return heldBeforeSettlement;
    }

    public String settlementId() {
      return settlementId;
    }

    /** Lines on the settlement statement (the voided charge is not one). */
    public int settlementLines() {
      return settlementLines;
    }

    public long settlementTotal() {
      return settlementTotal;
    }

    public long pooledFund() {
      return pooledFund;
    }

    public long personalAccount() {
      return personalAccount;
    }

    public long selfPay() {
      return selfPay;
    }

    public String debtId() {
      return debtId;
    }

    /** {@code DUE} right after settlement. */
    public String debtStatus() {
      return debtStatus;
    }

    public long debtPrincipal() {
      return debtPrincipal;
    }

    public long debtOutstanding() {
      return debtOutstanding;
    }

    public LocalDate debtDueDate() {
      return debtDueDate;
    }

    /** The line's available credit after settlement: the limit minus the debt. */
    public long availableAfter() {
      return availableAfter;
    }

    @Override
    public String toString() {
      return "HospitalVisit.Result{settlementTotal="
          + settlementTotal
          + ", selfPay="
          + selfPay
          + ", debtOutstanding="
          + debtOutstanding
          + ", debtStatus="
          + debtStatus
          + "}";
    }
  }
}
