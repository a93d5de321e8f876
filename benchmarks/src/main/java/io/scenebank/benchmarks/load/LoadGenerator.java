package io.scenebank.benchmarks.load;

import io.scenebank.sdk.Care;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.Sandbox;
import io.scenebank.sdk.SandboxCredentials;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.model.ConsentDecisionRequest;
import io.scenebank.sdk.model.ContactInput;
import io.scenebank.sdk.model.CreateChargeRequest;
import io.scenebank.sdk.model.CreateCodePaymentRequest;
import io.scenebank.sdk.model.CreateConsentRequest;
import io.scenebank.sdk.model.CreateEncounterRequest;
import io.scenebank.sdk.model.CreateMerchantRequest;
import io.scenebank.sdk.model.CreditLine;
import io.scenebank.sdk.model.Encounter;
import io.scenebank.sdk.model.Merchant;
import io.scenebank.sdk.model.MerchantBalance;
import io.scenebank.sdk.model.OpenCreditLineRequest;
import io.scenebank.sdk.model.PatientInput;
import io.scenebank.sdk.model.Payment;
import io.scenebank.sdk.model.SettlementAccountInput;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A closed-loop load generator for the gateway: {@code threads} callers, each sending one
 * authenticated, signed request after another through the SDK (so every request is signed and every
 * response verified) for the given time after a warm-up. Prints requests per second and latency
 * percentiles, then the same as one machine-readable line: {@code RESULT scenario=payments
 * threads=16 alg=ed25519 seconds=30 requests=.. errors=.. rps=.. p50=.. p90=.. p99=.. max=..}
 * (latencies in ms). The line {@code measuring ...} marks the start of the measured window, and the
 * {@code RESULT} line its end (before the final check), for a script that samples the server around
 * it.
 *
 * <p>Usage: {@code LoadGenerator <gateway URL> [seconds=30] [threads=16] [algorithm=ed25519]
 * [scenario=keys]}. Scenarios:
 *
 * <ul>
 *   <li>{@code keys}: {@code GET /v1/client/keys}, a signed read.
 *   <li>{@code care}: before the clock starts, each caller gets its own pay-after-care credit line
 *       (consent for the sandbox's GOOD patient, approved by the simulator, line opened with the
 *       policy's maximum limit of 500 000 fen) and its own open encounter on it; then it posts
 *       charges of 1 fen, each with its own {@code hospital_charge_ref} and (the SDK's) its own
 *       {@code Idempotency-Key}. At the end it checks through the API that each line holds exactly
 *       as many fen as the caller had charges accepted.
 *   <li>{@code payments}: each caller onboards its own merchant (fee 20 bps, the least allowed),
 *       then charges its own sandbox payer code, {@code 2899991} and the caller's number from 1 in
 *       11 digits ({@code 289999100000000001}, {@code 289999100000000002}, …), 1 fen per payment; a
 *       payment not {@code SUCCEEDED} counts as an error. At the end it checks each merchant's
 *       balance against its successful payments. With {@code -Dscenebank.load.onePayer=true} every
 *       caller charges the one payer code {@code 289999000000000001} instead, whose account's row
 *       lock then serialises them. Start the gateway with {@code
 *       SCENEBANK_PAYMENT_VELOCITY_LIMIT=1000000} or the risk rule declines a payer after 30
 *       payments in an hour.
 * </ul>
 *
 * <p>The gateway's per-app rate limit must be above the rate measured (start it with {@code
 * SCENEBANK_RATE_LIMIT_PER_SECOND=100000 SCENEBANK_RATE_LIMIT_BURST=100000}). Exits with status 1
 * if the final check finds a difference.
 */
public final class LoadGenerator {

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://localhost:8080";
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    SignatureAlgorithm algorithm =
        args.length > 3
            ? SignatureAlgorithm.fromHttpName(args[3]).orElseThrow()
            : SignatureAlgorithm.ED25519;
    String name = args.length > 4 ? args[4] : "keys";
    Function<ScenebankClient, Scenario> scenarioFor =
        switch (name) {
          case "keys" -> Keys::new;
          case "care" -> CareCharges::new;
          case "payments" -> CodePayments::new;
          default ->
              throw new IllegalArgumentException(
                  "unknown scenario " + name + " (keys, care or payments)");
        };
    Environment environment = Environment.custom(url);
    SandboxCredentials credentials =
        Sandbox.signUp(environment, "Load test", "load@bank.example", "loadgen", algorithm);
    Scenario scenario = scenarioFor.apply(credentials.client());

    List<Runnable> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      callers.add(scenario.caller(t));
    }
    System.out.printf(
        "warming up (%s, %d threads, %s, %s)...%n", name, threads, algorithm.httpName(), url);
    Result warmUp = run(callers, Duration.ofSeconds(Math.max(5, seconds / 3)));
    System.out.printf("measuring %d s...%n", seconds);
    Result result = run(callers, Duration.ofSeconds(seconds));
    long[] latencies = result.latenciesMicros;
    Arrays.sort(latencies);
    double rps = result.count / (double) seconds;
    double p50 = percentile(latencies, 0.50) / 1000.0;
    double p90 = percentile(latencies, 0.90) / 1000.0;
    double p99 = percentile(latencies, 0.99) / 1000.0;
    double max = latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1000.0;
    System.out.printf(
        "%d requests in %d s with %d threads: %.0f requests/s, %d errors%n",
        result.count, seconds, threads, rps, result.errors);
    System.out.printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n", p50, p90, p99, max);
    System.out.printf(
        Locale.ROOT,
        "RESULT scenario=%s threads=%d alg=%s seconds=%d requests=%d errors=%d rps=%.1f"
            + " p50=%.2f p90=%.2f p99=%.2f max=%.2f%n",
        name,
        threads,
        algorithm.httpName(),
        seconds,
        result.count,
        result.errors,
        rps,
        p50,
        p90,
        p99,
        max);
    if (!scenario.check(warmUp.errors + result.errors)) {
      System.exit(1);
    }
  }

  /** What each caller does, and what is checked at the end. */
  private interface Scenario {

    /**
     * Prepares caller {@code index} (before the clock starts) and returns its operation: one
     * request, which throws if it fails. Called once per caller, from one thread.
     */
    Runnable caller(int index);

    /**
     * Checks through the API, after the run, that the effects match the requests that succeeded;
     * prints what it found and returns whether they match. {@code errors} is how many requests
     * failed (in the warm-up and the run), for which the effect is unknown.
     */
    default boolean check(long errors) {
      return true;
    }
  }

  /** {@code GET /v1/client/keys}. */
  private static final class Keys implements Scenario {
    private final ScenebankClient client;

    Keys(ScenebankClient client) {
      this.client = client;
    }

    @Override
    public Runnable caller(int index) {
      return () -> client.clientKeys().list();
    }
  }

  /** 1-fen charges, each caller on its own credit line and encounter. */
  private static final class CareCharges implements Scenario {
    /** The sandbox patient that gets the policy's largest limit (500 000 fen). */
    static final String GOOD_PATIENT = "999999199001010011";

    private final ScenebankClient client;
    private final Care care;
    private final List<CareCaller> callers = new ArrayList<>();

    CareCharges(ScenebankClient client) {
      this.client = client;
      this.care = client.care();
    }

    /** One caller's line and encounter, and how many of its charges were accepted. */
    private static final class CareCaller {
      final String lineId;
      final String encounterId;
      long charged;

      CareCaller(String lineId, String encounterId) {
        this.lineId = lineId;
        this.encounterId = encounterId;
      }
    }

    @Override
    public Runnable caller(int index) {
      String consentId =
          care.createConsent(
                  new CreateConsentRequest()
                      .patient(
                          new PatientInput().idNumber(GOOD_PATIENT).name("张三").phone("13800000011"))
                      .hospitalPatientRef("LOAD-P-" + index))
              .getId();
      client.simulator().decideConsent(consentId, ConsentDecisionRequest.DecisionEnum.APPROVE);
      CreditLine line = care.openCreditLine(new OpenCreditLineRequest().consentId(consentId));
      Encounter encounter =
          care.createEncounter(
              new CreateEncounterRequest()
                  .creditLineId(line.getId())
                  .hospitalEncounterRef("LOAD-E-" + index)
                  .department("内科")
                  .visitType(CreateEncounterRequest.VisitTypeEnum.INPATIENT));
      CareCaller caller = new CareCaller(line.getId(), encounter.getId());
      callers.add(caller);
      AtomicLong sequence = new AtomicLong();
      return () -> {
        care.createCharge(
            caller.encounterId,
            new CreateChargeRequest()
                .itemCode("LAB-001")
                .description("血常规")
                .category(CreateChargeRequest.CategoryEnum.LAB)
                .quantity(1)
                .unitAmount(Money.cny(1))
                .amount(Money.cny(1))
                .hospitalChargeRef("LOAD-" + index + "-" + sequence.incrementAndGet()));
        caller.charged++;
      };
    }

    @Override
    public boolean check(long errors) {
      long charged = 0;
      long held = 0;
      int differ = 0;
      for (CareCaller caller : callers) {
        long lineHeld = care.getCreditLine(caller.lineId).getHeld().getAmount();
        Encounter encounter = care.getEncounter(caller.encounterId);
        long encounterHeld = encounter.getTotals().getHeld().getAmount();
        long count = encounter.getChargeCount();
        charged += caller.charged;
        held += lineHeld;
        if (lineHeld != caller.charged
            || encounterHeld != caller.charged
            || count != caller.charged) {
          differ++;
          System.out.printf(
              "check: line %s holds %d fen, encounter %s %d fen in %d charges, but %d charges"
                  + " were accepted%n",
              caller.lineId, lineHeld, caller.encounterId, encounterHeld, count, caller.charged);
        }
      }
      System.out.printf(
          "check: %d lines hold %d fen for %d accepted 1-fen charges (warm-up included): %s%n",
          callers.size(),
          held,
          charged,
          differ == 0
              ? "every line's held equals its accepted charges"
              : differ + " lines differ" + (errors > 0 ? " (" + errors + " errors)" : ""));
      return differ == 0;
    }
  }

  /** 1-fen payer-code payments, each caller to its own merchant (and from its own payer). */
  private static final class CodePayments implements Scenario {
    /** The sandbox payer code that always pays, for every caller with {@code onePayer}. */
    static final String ONE_PAYER_CODE = "289999000000000001";

    /** Whether every caller pays from {@link #ONE_PAYER_CODE}. */
    static final boolean ONE_PAYER = Boolean.getBoolean("scenebank.load.onePayer");

    private final ScenebankClient client;
    private final List<PaymentCaller> callers = new ArrayList<>();

    CodePayments(ScenebankClient client) {
      this.client = client;
    }

    /** One caller's merchant, and how many of its payments succeeded. */
    private static final class PaymentCaller {
      final String merchantId;
      long paid;

      PaymentCaller(String merchantId) {
        this.merchantId = merchantId;
      }
    }

    @Override
    public Runnable caller(int index) {
      Merchant merchant =
          client
              .merchants()
              .createMerchant(
                  new CreateMerchantRequest()
                      .businessName("负载测试商户 " + index)
                      .shortName("负载测试 " + index)
                      .licenceNumber(String.format("91320400MA1XY%05d", index))
                      .category("5812")
                      .settlementAccount(
                          new SettlementAccountInput()
                              .bankName("江南银行")
                              .accountNumber(String.format("62220204%011d", index))
                              .accountName("负载测试商户 " + index))
                      .contact(new ContactInput().name("周杰").phone("13912340000"))
                      .feeRateBps(20));
      if (merchant.getStatus() != Merchant.StatusEnum.ACTIVE) {
        throw new IllegalStateException(
            "merchant " + merchant.getId() + " is " + merchant.getStatus());
      }
      PaymentCaller caller = new PaymentCaller(merchant.getId());
      callers.add(caller);
      String payerCode = ONE_PAYER ? ONE_PAYER_CODE : String.format("2899991%011d", index + 1);
      AtomicLong sequence = new AtomicLong();
      return () -> {
        Payment payment =
            client
                .payments()
                .createCodePayment(
                    new CreateCodePaymentRequest()
                        .merchantId(caller.merchantId)
                        .payerCode(payerCode)
                        .amount(Money.cny(1))
                        .description("负载测试")
                        .merchantOrderRef("LOAD-" + index + "-" + sequence.incrementAndGet()));
        if (payment.getStatus() != Payment.StatusEnum.SUCCEEDED) {
          throw new IllegalStateException(
              "payment "
                  + payment.getId()
                  + " "
                  + payment.getStatus()
                  + " "
                  + payment.getDeclineCode());
        }
        caller.paid++;
      };
    }

    @Override
    public boolean check(long errors) {
      long paid = 0;
      long balance = 0;
      int differ = 0;
      for (PaymentCaller caller : callers) {
        MerchantBalance merchant = client.merchants().getMerchantBalance(caller.merchantId);
        long amount = merchant.getPending().getAmount() + merchant.getSettling().getAmount();
        paid += caller.paid;
        balance += amount;
        if (amount != caller.paid) {
          differ++;
          System.out.printf(
              "check: merchant %s has %d fen, but %d payments succeeded%n",
              caller.merchantId, amount, caller.paid);
        }
      }
      System.out.printf(
          "check: %d merchants have %d fen for %d successful 1-fen payments (warm-up included):"
              + " %s%n",
          callers.size(),
          balance,
          paid,
          differ == 0
              ? "every merchant's balance equals its successful payments"
              : differ + " merchants differ" + (errors > 0 ? " (" + errors + " errors)" : ""));
      return differ == 0;
    }
  }

  private static final class Result {
    long count;
    long errors;
    long[] latenciesMicros;
  }

  private static Result run(List<Runnable> callers, Duration duration) throws InterruptedException {
    int threads = callers.size();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong errors = new AtomicLong();
    List<long[]> perThread = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Runnable operation = callers.get(t);
      long[] samples = new long[500_000];
      int[] count = new int[1];
      perThread.add(samples);
      counts.add(count);
      Thread thread =
          new Thread(
              () -> {
                try {
                  while (running.get()) {
                    long start = System.nanoTime();
                    try {
                      operation.run();
                    } catch (RuntimeException e) {
                      if (errors.incrementAndGet() <= 5) {
                        System.out.println("error: " + e);
                      }
                    }
                    if (count[0] < samples.length) {
                      samples[count[0]++] = (System.nanoTime() - start) / 1000;
                    }
                  }
                } finally {
                  done.countDown();
                }
              },
              "load-" + t);
      thread.start();
    }
    Thread.sleep(duration.toMillis());
    running.set(false);
    done.await();
    Result result = new Result();
    int total = 0;
    for (int[] c : counts) {
      total += c[0];
    }
    result.latenciesMicros = new long[total];
    int at = 0;
    for (int i = 0; i < threads; i++) {
      System.arraycopy(perThread.get(i), 0, result.latenciesMicros, at, counts.get(i)[0]);
      at += counts.get(i)[0];
    }
    result.count = total;
    result.errors = errors.get();
    return result;
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
