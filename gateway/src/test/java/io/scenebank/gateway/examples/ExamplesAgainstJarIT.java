package io.scenebank.gateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.examples.CanteenPos;
import io.scenebank.examples.HospitalVisit;
import io.scenebank.examples.MerchantShop;
import io.scenebank.examples.SandboxQuickstart;
import io.scenebank.gateway.testing.GatewayProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The examples against the gateway exactly as the README starts it: the packaged jar that {@code
 * bin/gateway} runs, in its default sandbox mode, on its own embedded PostgreSQL. Runs after {@code
 * package} (Maven's integration-test phase).
 */
class ExamplesAgainstJarIT {

  private static GatewayProcess gateway;
  private static String baseUrl;

  @BeforeAll
  static void startTheJar() {
    gateway = GatewayProcess.start("jar", Map.of("SCENEBANK_SHUTDOWN_GRACE_SECONDS", "5"));
    baseUrl = gateway.url();
  }

  @AfterAll
  static void stopTheJar() {
    if (gateway != null) {
      assertThat(gateway.terminate()).isEqualTo(143);
    }
  }

  @Test
  void theQuickstart_runs() {
    SandboxQuickstart.main(new String[] {baseUrl});
  }

  @Test
  void theHospitalVisit_settles() {
    HospitalVisit.Result visit = HospitalVisit.run(baseUrl);
    assertThat(visit.settlementTotal())
        .isEqualTo(visit.pooledFund() + visit.personalAccount() + visit.selfPay());
    assertThat(visit.debtOutstanding()).isEqualTo(visit.selfPay());
  }

  @Test
  void theCanteenPos_paysLunch() {
    CanteenPos.Result lunch = CanteenPos.run(baseUrl);
    assertThat(lunch.paymentStatus()).isEqualTo("SUCCEEDED");
    assertThat(lunch.subsidy() + lunch.ownFunds()).isEqualTo(lunch.amount());
  }

  @Test
  void theMerchantShop_reconciles() {
    MerchantShop.Result shop = MerchantShop.run(baseUrl);
    assertThat(shop.webhookTypes()).contains("payment.succeeded", "refund.succeeded");
    assertThat(shop.refusedWebhooks()).isZero();
    assertThat(shop.statementTotal()).isEqualTo(shop.paid() - shop.refunded());
  }
}
