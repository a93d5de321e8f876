package io.scenebank.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.testing.Partner;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.NotFoundException;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.model.Charge;
import io.scenebank.sdk.model.Consent;
import io.scenebank.sdk.model.ConsentDecisionRequest;
import io.scenebank.sdk.model.CreateChargeRequest;
import io.scenebank.sdk.model.CreateConsentRequest;
import io.scenebank.sdk.model.CreateEncounterRequest;
import io.scenebank.sdk.model.CreditLine;
import io.scenebank.sdk.model.Encounter;
import io.scenebank.sdk.model.OpenCreditLineRequest;
import io.scenebank.sdk.model.PatientInput;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The SDK's asynchronous calls against a real gateway. */
class AsyncSdkTest {

  @Test
  void aVisitThroughAsyncCalls_onOneHttpThread_completesEveryCall() throws Exception {
    TestApp app = TestApp.create(SignatureAlgorithm.ED25519, "care", "sandbox");
    // one thread for all of the HTTP client's work: calls that each held a thread could not all
    // be in flight at once
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      ScenebankClient client =
          ScenebankClient.builder()
              .clientId(app.clientId())
              .signer(app.key().signer())
              .environment(Environment.custom(app.gateway().issuer()))
              .httpClient(HttpClient.newBuilder().executor(one).build())
              .build();

      Consent consent =
          client
              .care()
              .createConsentAsync(
                  new CreateConsentRequest()
                      .patient(
                          new PatientInput()
                              .idNumber("11010519491231002X")
                              .name("王五")
                              .phone("13800000013"))
                      .hospitalPatientRef("HIS-P-" + UUID.randomUUID().toString().substring(0, 8)))
              .get(30, TimeUnit.SECONDS);
      CreditLine line =
          client
              .simulator()
              .decideConsentAsync(consent.getId(), ConsentDecisionRequest.DecisionEnum.APPROVE)
              .thenCompose(
                  approved ->
                      client
                          .care()
                          .openCreditLineAsync(
                              new OpenCreditLineRequest().consentId(approved.getId())))
              .get(30, TimeUnit.SECONDS);
      Encounter visit =
          client
              .care()
              .createEncounterAsync(
                  new CreateEncounterRequest()
                      .creditLineId(line.getId())
                      .hospitalEncounterRef("MZ-" + UUID.randomUUID())
                      .department("内科")
                      .visitType(CreateEncounterRequest.VisitTypeEnum.OUTPATIENT))
              .get(30, TimeUnit.SECONDS);

      // twenty charges in flight at once, on that one thread
      List<CompletableFuture<Charge>> charges = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        charges.add(
            client
                .care()
                .createChargeAsync(
                    visit.getId(),
                    new CreateChargeRequest()
                        .itemCode("LAB-" + i)
                        .description("检验 " + i)
                        .category(CreateChargeRequest.CategoryEnum.LAB)
                        .quantity(1)
                        .unitAmount(Money.yuan("10.00"))
                        .amount(Money.yuan("10.00"))
                        .hospitalChargeRef("C-" + UUID.randomUUID())));
      }
      CompletableFuture.allOf(charges.toArray(new CompletableFuture<?>[0]))
          .get(60, TimeUnit.SECONDS);

      assertThat(charges)
          .allSatisfy(c -> assertThat(c.join().getStatus()).isEqualTo(Charge.StatusEnum.HELD));
      // the same state as the blocking calls see
      assertThat(client.care().getCreditLine(line.getId()).getHeld())
          .isEqualTo(Money.yuan("200.00"));
      assertThat(client.care().getCreditLineAsync(line.getId()).join().getHeld())
          .isEqualTo(Money.yuan("200.00"));
      Partner.assertLedgerBalanced();
    } finally {
      one.shutdownNow();
    }
  }

  @Test
  void aRefusal_completesTheFutureWithTheTypedException() {
    ScenebankClient client = TestApp.create(SignatureAlgorithm.ECDSA_P256_SHA256, "care").client();

    CompletableFuture<Consent> missing = client.care().getConsentAsync("cns_AAAAAAAAAAAAAAAAAAAA");

    assertThatThrownBy(missing::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(404);
              assertThat(e.requestId()).isNotBlank();
            });
    // misuse fails at once, before anything is sent
    assertThatThrownBy(() -> client.care().getConsentAsync("../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
