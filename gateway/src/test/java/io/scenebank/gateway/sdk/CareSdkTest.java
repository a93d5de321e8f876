package io.scenebank.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.testing.Hospital;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.sdk.Care;
import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.DeclinedException;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.NotFoundException;
import io.scenebank.sdk.RequestOptions;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.model.CareRefund;
import io.scenebank.sdk.model.CareRefundItemInput;
import io.scenebank.sdk.model.Charge;
import io.scenebank.sdk.model.ConsentDecisionRequest;
import io.scenebank.sdk.model.CreateCareRefundRequest;
import io.scenebank.sdk.model.CreateChargeRequest;
import io.scenebank.sdk.model.CreateConsentRequest;
import io.scenebank.sdk.model.CreateEncounterRequest;
import io.scenebank.sdk.model.CreateRepaymentRequest;
import io.scenebank.sdk.model.CreditLine;
import io.scenebank.sdk.model.Debt;
import io.scenebank.sdk.model.Encounter;
import io.scenebank.sdk.model.InsuranceSplitInput;
import io.scenebank.sdk.model.InsurerInput;
import io.scenebank.sdk.model.LedgerCheck;
import io.scenebank.sdk.model.OpenCreditLineRequest;
import io.scenebank.sdk.model.PatientInput;
import io.scenebank.sdk.model.Repayment;
import io.scenebank.sdk.model.SandboxFixtures;
import io.scenebank.sdk.model.SettleEncounterRequest;
import io.scenebank.sdk.model.Settlement;
import io.scenebank.sdk.model.VoidChargeRequest;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A whole pay-after-care visit as a hospital's HIS makes it: only through the SDK. */
class CareSdkTest {

  private final ScenebankClient hospital =
      TestApp.create(SignatureAlgorithm.ECDSA_P256_SHA256, "care", "sandbox", "events").client();
  private final ScenebankClient operator = TestApp.operator().client();

  private static CreateChargeRequest charge(String item, long unit, int quantity) {
    return new CreateChargeRequest()
        .itemCode(item)
        .description(item)
        .category(CreateChargeRequest.CategoryEnum.PHARMACY)
        .quantity(quantity)
        .unitAmount(Money.cny(unit))
        .amount(Money.cny(unit * quantity))
        .hospitalChargeRef("HIS-" + UUID.randomUUID());
  }

  private void assertLedgerBalanced() {
    LedgerCheck check = operator.operator().checkLedger();
    assertThat(check.getDiscrepancies()).isEmpty();
    assertThat(check.getBalanced()).isTrue();
  }

  private CreditLine lineFor(String idNumber) {
    Care care = hospital.care();
    String consentId =
        care.createConsent(
                new CreateConsentRequest()
                    .patient(new PatientInput().idNumber(idNumber).name("张三").phone("13800000011"))
                    .hospitalPatientRef("HIS-P-" + UUID.randomUUID().toString().substring(0, 8)))
            .getId();
    hospital.simulator().decideConsent(consentId, ConsentDecisionRequest.DecisionEnum.APPROVE);
    return care.openCreditLine(new OpenCreditLineRequest().consentId(consentId));
  }

  @Test
  void aWholeVisit_throughTheSdk() {
    SandboxFixtures fixtures = hospital.simulator().listFixtures();
    String good =
        fixtures.getPatients().stream()
            .filter(p -> p.getProfile().getValue().equals("GOOD"))
            .findFirst()
            .orElseThrow()
            .getIdNumber();
    Care care = hospital.care();
    CreditLine line = lineFor(good);
    assertThat(line.getStatus()).isEqualTo(CreditLine.StatusEnum.ACTIVE);
    Encounter encounter =
        care.createEncounter(
            new CreateEncounterRequest()
                .creditLineId(line.getId())
                .hospitalEncounterRef("ZY-" + UUID.randomUUID().toString().substring(0, 8))
                .department("心内科")
                .visitType(CreateEncounterRequest.VisitTypeEnum.INPATIENT));
    Charge drug = care.createCharge(encounter.getId(), charge("DRUG-AMOX", 2_500, 4));
    Charge scan = care.createCharge(encounter.getId(), charge("CT-CHEST", 30_000, 1));
    Charge mistaken = care.createCharge(encounter.getId(), charge("LAB-DUP", 1_000, 1));
    care.voidCharge(
        encounter.getId(), mistaken.getId(), new VoidChargeRequest().reason("posted twice"));
    assertThat(care.getCreditLine(line.getId()).getHeld().getAmount()).isEqualTo(40_000);

    SettleEncounterRequest settle =
        new SettleEncounterRequest()
            .insuranceSplit(
                new InsuranceSplitInput()
                    .pooledFund(Money.cny(24_000))
                    .personalAccount(Money.cny(6_000))
                    .selfPay(Money.cny(10_000)))
            .insurer(new InsurerInput().name("江苏省医保").claimRef("CLM-" + encounter.getId()));
    RequestOptions once = RequestOptions.idempotencyKey("settle-" + encounter.getId());
    Settlement settlement = care.settleEncounter(encounter.getId(), settle, once);
    // a retry of the same request is answered with the same settlement
    assertThat(care.settleEncounter(encounter.getId(), settle, once).getId())
        .isEqualTo(settlement.getId());
    assertThatThrownBy(() -> care.settleEncounter(encounter.getId(), settle))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("already_settled"));
    assertThat(settlement.getLines()).hasSize(2);
    assertThat(settlement.getPatientDue().getAmount().getAmount()).isEqualTo(10_000);
    assertThat(care.getSettlement(encounter.getId()).getId()).isEqualTo(settlement.getId());

    CareRefund refund =
        care.createCareRefund(
            encounter.getId(),
            new CreateCareRefundRequest()
                .items(
                    List.of(
                        new CareRefundItemInput().chargeId(drug.getId()).amount(Money.cny(2_500))))
                .insuranceSplit(
                    new InsuranceSplitInput()
                        .pooledFund(Money.cny(1_500))
                        .personalAccount(Money.cny(0))
                        .selfPay(Money.cny(1_000)))
                .reason("one box returned"));
    assertThat(refund.getDebtReduced().getAmount()).isEqualTo(1_000);
    assertThatThrownBy(
            () ->
                care.createCareRefund(
                    encounter.getId(),
                    new CreateCareRefundRequest()
                        .items(
                            List.of(
                                new CareRefundItemInput()
                                    .chargeId(drug.getId())
                                    .amount(Money.cny(7_501))))
                        .insuranceSplit(
                            new InsuranceSplitInput()
                                .pooledFund(Money.cny(0))
                                .personalAccount(Money.cny(0))
                                .selfPay(Money.cny(7_501)))
                        .reason("too much")))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("refund_exceeds_charged"));

    Repayment repayment =
        care.createRepayment(
            line.getId(),
            new CreateRepaymentRequest().amount(Money.cny(9_000)).sourceRef("TRF-" + line.getId()));
    assertThat(repayment.getAllocations()).hasSize(1);
    Debt debt = care.getDebt(settlement.getPatientDue().getDebtId());
    assertThat(debt.getStatus()).isEqualTo(Debt.StatusEnum.REPAID);
    assertThat(care.getCreditLine(line.getId()).getAvailable().getAmount()).isEqualTo(500_000);
    assertLedgerBalanced();
  }

  @Test
  void refusals_areTypedExceptionsWithStableCodes() {
    Care care = hospital.care();
    CreditLine line = lineFor(Hospital.THIN_FILE);
    Encounter encounter =
        care.createEncounter(
            new CreateEncounterRequest()
                .creditLineId(line.getId())
                .hospitalEncounterRef("MZ-" + UUID.randomUUID().toString().substring(0, 8))
                .department("儿科")
                .visitType(CreateEncounterRequest.VisitTypeEnum.OUTPATIENT));
    assertThatThrownBy(() -> care.createCharge(encounter.getId(), charge("MRI", 100_001, 1)))
        .isInstanceOfSatisfying(
            DeclinedException.class, e -> assertThat(e.code()).isEqualTo("over_limit"));
    ScenebankClient otherHospital = TestApp.create(SignatureAlgorithm.ED25519, "care").client();
    assertThatThrownBy(() -> otherHospital.care().getEncounter(encounter.getId()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () -> otherHospital.care().createCharge(encounter.getId(), charge("X", 100, 1)))
        .isInstanceOf(NotFoundException.class);
    assertThat(care.getCreditLine(line.getId()).getHeld().getAmount()).isZero();
    assertLedgerBalanced();
  }

  @Test
  void listAll_walksEveryPage_fetchingEachOnlyWhenReached() {
    ScenebankClient his = TestApp.create(SignatureAlgorithm.ED25519, "care").client();
    List<String> created = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(
          his.care()
              .createConsent(
                  new CreateConsentRequest()
                      .patient(
                          new PatientInput()
                              .idNumber("11010519491231002X")
                              .name("李四")
                              .phone("13800000012"))
                      .hospitalPatientRef("HIS-P-" + i))
              .getId());
    }
    Care.ConsentQuery query = new Care.ConsentQuery().limit(2);

    // five consents in pages of two: three pages, each consent once
    assertThat(his.care().listAllConsents(query))
        .extracting(io.scenebank.sdk.model.Consent::getId)
        .hasSize(5)
        .containsExactlyInAnyOrderElementsOf(created);
    assertThat(his.care().listAllConsents(query).stream().limit(3).count()).isEqualTo(3);
  }
}
