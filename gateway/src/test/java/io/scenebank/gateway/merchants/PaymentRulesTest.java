package io.scenebank.gateway.merchants;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.payers.PayerCodes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The payer-code payment decision and the velocity counters, from plain values. */
class PaymentRulesTest {

  private static final Duration HOUR = Duration.ofHours(1);
  private static final Payments.RiskRules RISK = new Payments.RiskRules(50_000, 3, HOUR);

  /** 15 minutes into an hour window. */
  private static final OffsetDateTime NOW =
      OffsetDateTime.of(2026, 11, 23, 10, 15, 0, 0, ZoneOffset.UTC);

  private static final long WINDOW = NOW.toEpochSecond() / 3600;
  private static final PaymentRules.Merchant ACTIVE =
      new PaymentRules.Merchant("mch_1", "ACTIVE", 38, null);
  private static final PayerCodes.Code APPROVE =
      new PayerCodes.Code("289999000000000001", "acc_1", PayerCodes.Behaviour.APPROVE, "");

  private static PaymentRules.Payer payer(long available, PaymentRules.Velocity velocity) {
    return new PaymentRules.Payer("acc_1", "王小明", "6222 **** 0188", available, velocity);
  }

  private static PaymentRules.Decision decide(
      PaymentRules.Merchant merchant, PayerCodes.Code code, PaymentRules.Payer payer, long amount) {
    return PaymentRules.decide(merchant, "ORD-1", code, payer, amount, Mode.SANDBOX, RISK, NOW);
  }

  @Test
  void decide_whenThePayerCanPay_paysWithTheFee_andCountsThePayment() {
    PaymentRules.Decision d =
        decide(ACTIVE, APPROVE, payer(10_000, new PaymentRules.Velocity(WINDOW, 1, 0)), 10_000);
    assertThat(d).isEqualTo(new PaymentRules.Pay(38, new PaymentRules.Velocity(WINDOW, 2, 0)));
  }

  @Test
  void decide_whenOneFenShort_declinesInsufficientFunds() {
    PaymentRules.Decision d =
        decide(ACTIVE, APPROVE, payer(9_999, new PaymentRules.Velocity(WINDOW, 0, 0)), 10_000);
    assertThat(((PaymentRules.Decline) d).code()).isEqualTo("INSUFFICIENT_FUNDS");
  }

  @Test
  void decide_whenTheWindowHoldsTheLimit_declinesVelocity_asARiskDecision() {
    PaymentRules.Decision d =
        decide(ACTIVE, APPROVE, payer(10_000, new PaymentRules.Velocity(WINDOW, 3, 0)), 100);
    assertThat(d)
        .isEqualTo(
            new PaymentRules.Decline("VELOCITY_LIMIT", ((PaymentRules.Decline) d).message(), true));
  }

  @Test
  void velocity_countsThePreviousWindowByTheShareStillCovered() {
    // 15 minutes into this window: 75 % of the previous one is still inside the last hour
    PaymentRules.Velocity v = new PaymentRules.Velocity(WINDOW, 1, 4);
    assertThat(v.estimate(NOW, HOUR)).isEqualTo(1 + 4 * 0.75);
    // an hour later the current becomes the previous; two hours later both are gone
    assertThat(v.at(NOW.plusHours(1), HOUR)).isEqualTo(new PaymentRules.Velocity(WINDOW + 1, 0, 1));
    assertThat(v.at(NOW.plusHours(2), HOUR)).isEqualTo(new PaymentRules.Velocity(WINDOW + 2, 0, 0));
  }

  @Test
  void decide_whenThePreviousWindowWasBusy_stillDeclinesEarlyInTheNext() {
    PaymentRules.Decision d =
        decide(ACTIVE, APPROVE, payer(10_000, new PaymentRules.Velocity(WINDOW - 1, 4, 0)), 100);
    assertThat(((PaymentRules.Decline) d).code()).isEqualTo("VELOCITY_LIMIT");
  }

  @Test
  void decide_whenAboveTheLargestAmount_declinesAmountLimit() {
    PaymentRules.Decision d =
        decide(ACTIVE, APPROVE, payer(1_000_000, new PaymentRules.Velocity(WINDOW, 0, 0)), 50_001);
    assertThat(((PaymentRules.Decline) d).code()).isEqualTo("AMOUNT_LIMIT");
  }

  @Test
  void decide_whenTheBankTimesOut_reverses() {
    PaymentRules.Decision d =
        decide(
            ACTIVE,
            APPROVE,
            payer(10_000, new PaymentRules.Velocity(WINDOW, 0, 0)),
            PaymentRules.BANK_TIMEOUT_AMOUNT);
    assertThat(d).isInstanceOf(PaymentRules.Reverse.class);
  }

  @Test
  void decide_whenTheCodeIsUnknown_declinesInvalidCode_withoutPayer() {
    PaymentRules.Decision d = decide(ACTIVE, null, null, 100);
    assertThat(((PaymentRules.Decline) d).code()).isEqualTo("INVALID_PAYER_CODE");
  }

  @Test
  void decide_whenTheMerchantIsMissingOrNotActive_orTheReferenceUsed_refuses() {
    PaymentRules.Payer payer = payer(10_000, new PaymentRules.Velocity(WINDOW, 0, 0));
    assertThat(
            ((PaymentRules.Refuse)
                    decide(new PaymentRules.Merchant("mch_x", null, 0, null), APPROVE, payer, 100))
                .problem()
                .status())
        .isEqualTo(404);
    assertThat(
            ((PaymentRules.Refuse)
                    decide(
                        new PaymentRules.Merchant("mch_1", "SUSPENDED", 38, null),
                        APPROVE,
                        payer,
                        100))
                .problem()
                .code())
        .isEqualTo("merchant_not_active");
    assertThat(
            ((PaymentRules.Refuse)
                    decide(
                        new PaymentRules.Merchant("mch_1", "ACTIVE", 38, "pay_7"),
                        APPROVE,
                        payer,
                        100))
                .problem()
                .code())
        .isEqualTo("duplicate_merchant_order_ref");
  }
}
