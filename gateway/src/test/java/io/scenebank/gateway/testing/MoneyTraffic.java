package io.scenebank.gateway.testing;

import io.scenebank.sdk.ApiConnectionException;
import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.RateLimitException;
import io.scenebank.sdk.RequestOptions;
import io.scenebank.sdk.Sandbox;
import io.scenebank.sdk.SandboxCredentials;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.ScenebankException;
import io.scenebank.sdk.ServerException;
import io.scenebank.sdk.model.ConsentDecisionRequest;
import io.scenebank.sdk.model.ContactInput;
import io.scenebank.sdk.model.CreateBillPaymentRequest;
import io.scenebank.sdk.model.CreateChargeRequest;
import io.scenebank.sdk.model.CreateCodePaymentRequest;
import io.scenebank.sdk.model.CreateConsentRequest;
import io.scenebank.sdk.model.CreateEncounterRequest;
import io.scenebank.sdk.model.CreateMerchantRequest;
import io.scenebank.sdk.model.CreateWebhookEndpointRequest;
import io.scenebank.sdk.model.EventTypeSubscription;
import io.scenebank.sdk.model.Merchant;
import io.scenebank.sdk.model.OpenCreditLineRequest;
import io.scenebank.sdk.model.PatientInput;
import io.scenebank.sdk.model.PayerInput;
import io.scenebank.sdk.model.SettlementAccountInput;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Money traffic for fault tests, through the SDK only: callers that post pay-after-care charges,
 * merchant payer-code payments and bill payments, each operation with its own idempotency key and
 * reference, and that record every answer. An operation is retried with the same key, for as long
 * as it takes, after anything that is not a final answer (no answer, 5xx, 409
 * idempotency_in_flight, 429), as a careful partner would. {@link #verify} then compares what was
 * acknowledged with what the database holds.
 */
public final class MoneyTraffic {

  /**
   * What the answers may be around a fault: final ones, or "retry" in one of its forms (a 503 with
   * Retry-After, a request still in flight, no answer or no connection) — never an error.
   */
  public static final java.util.Set<String> RETRYABLE =
      java.util.Set.of(
          "2xx",
          "no answer",
          "no connection",
          "503 service_unavailable",
          "503 request_timeout",
          "409 idempotency_in_flight");

  /** The kinds of money operation the callers make. */
  public enum Kind {
    CARE_CHARGE,
    CODE_PAYMENT,
    BILL_PAYMENT
  }

  /** One operation: its key and reference, and what became of it. */
  public static final class Op {
    final Kind kind;
    final String key = UUID.randomUUID().toString();
    final String ref;
    final long amount;
    volatile String id;
    volatile boolean inDoubt;
    volatile boolean acknowledged;

    Op(Kind kind, String ref, long amount) {
      this.kind = kind;
      this.ref = ref;
      this.amount = amount;
    }
  }

  /** What the database holds for the operations, in counts. */
  public record Report(
      int issued,
      int acknowledged,
      int present,
      int lost,
      int duplicated,
      int inDoubt,
      int inDoubtApplied,
      Map<String, Integer> answers) {
    @Override
    public String toString() {
      return String.format(
          "issued %d / acknowledged %d / present %d / lost %d / duplicated %d; in doubt at a fault"
              + " %d, of which applied exactly once after retries %d; answers %s",
          issued, acknowledged, present, lost, duplicated, inDoubt, inDoubtApplied, answers);
    }
  }

  private static final String GOOD_PATIENT = "999999199001010011";
  private static final String PAYER_CODE = "289999000000000001";
  private static final String PAYER_ACCOUNT = "acc_5Tn9Qx2KmR7vL4pWb8Zc";
  private static final String PARTY_DUES = "blr_2Dz7Kc4MqV9xN3tRb6Wp";

  private final Map<Kind, ScenebankClient> clients = new EnumMap<>(Kind.class);
  private final Map<Kind, String> apps = new EnumMap<>(Kind.class);
  private final List<String> endpoints = new ArrayList<>();
  private String encounterId;
  private String merchantId;
  private final List<Op> ops = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
  private final AtomicBoolean issuing = new AtomicBoolean();
  private final List<Thread> callers = new ArrayList<>();

  private MoneyTraffic() {}

  /**
   * Signs up one sandbox app per kind at {@code baseUrl}, registers a webhook endpoint for each
   * (first, so that every event of the app is delivered there), and prepares what the operations
   * need: an open encounter on a credit line, an active merchant.
   */
  public static MoneyTraffic setUp(String baseUrl, String webhookUrl) {
    MoneyTraffic traffic = new MoneyTraffic();
    Environment environment = Environment.custom(baseUrl);
    for (Kind kind : Kind.values()) {
      SandboxCredentials credentials =
          Sandbox.signUp(
              environment,
              "Fault test " + kind + " " + System.nanoTime(),
              "faults-" + java.util.UUID.randomUUID() + "@scenebank.test",
              kind.name(),
              SignatureAlgorithm.ED25519);
      ScenebankClient client =
          ScenebankClient.builder()
              .clientId(credentials.clientId())
              .privateKeyPem(credentials.privateKeyPem(), credentials.keyId())
              .environment(environment)
              .maxRetries(0) // the callers retry, and count
              .requestTimeout(Duration.ofSeconds(30))
              .build();
      traffic.clients.put(kind, client);
      traffic.apps.put(kind, credentials.clientId());
      traffic.endpoints.add(
          client
              .webhooks()
              .createWebhookEndpoint(
                  new CreateWebhookEndpointRequest()
                      .url(java.net.URI.create(webhookUrl))
                      .description("fault test receiver")
                      .eventTypes(List.of(EventTypeSubscription.ALL)))
              .getId());
    }
    ScenebankClient hospital = traffic.clients.get(Kind.CARE_CHARGE);
    String consentId =
        hospital
            .care()
            .createConsent(
                new CreateConsentRequest()
                    .patient(
                        new PatientInput().idNumber(GOOD_PATIENT).name("张三").phone("13800000011"))
                    .hospitalPatientRef("FAULT-P-1"))
            .getId();
    hospital.simulator().decideConsent(consentId, ConsentDecisionRequest.DecisionEnum.APPROVE);
    String lineId =
        hospital.care().openCreditLine(new OpenCreditLineRequest().consentId(consentId)).getId();
    traffic.encounterId =
        hospital
            .care()
            .createEncounter(
                new CreateEncounterRequest()
                    .creditLineId(lineId)
                    .hospitalEncounterRef("FAULT-E-1")
                    .department("内科")
                    .visitType(CreateEncounterRequest.VisitTypeEnum.INPATIENT))
            .getId();
    Merchant merchant =
        traffic
            .clients
            .get(Kind.CODE_PAYMENT)
            .merchants()
            .createMerchant(
                new CreateMerchantRequest()
                    .businessName("故障测试商户")
                    .shortName("故障测试")
                    .licenceNumber(Platform.licence())
                    .category("5812")
                    .settlementAccount(
                        new SettlementAccountInput()
                            .bankName("江南银行")
                            .accountNumber("6222020400011112222")
                            .accountName("故障测试商户"))
                    .contact(new ContactInput().name("周杰").phone("13912340000"))
                    .feeRateBps(20));
    if (merchant.getStatus() != Merchant.StatusEnum.ACTIVE) {
      throw new IllegalStateException("merchant " + merchant.getId() + " is not active");
    }
    traffic.merchantId = merchant.getId();
    return traffic;
  }

  /** The client ids of the apps, one per kind. */
  public List<String> appIds() {
    return List.copyOf(apps.values());
  }

  /** Starts {@code perKind} callers for each kind. */
  public void start(int perKind) {
    issuing.set(true);
    for (Kind kind : Kind.values()) {
      for (int i = 0; i < perKind; i++) {
        int n = i;
        Thread caller = new Thread(() -> loop(kind, n), "traffic-" + kind + "-" + i);
        caller.setDaemon(true);
        callers.add(caller);
        caller.start();
      }
    }
  }

  /** How many operations got a 2xx so far. */
  public int acknowledged() {
    return (int) ops.stream().filter(op -> op.acknowledged).count();
  }

  /** Waits until {@code count} more operations than now are acknowledged. */
  public void awaitMoreAcknowledged(int count, Duration timeout) {
    int target = acknowledged() + count;
    waitFor(() -> acknowledged() >= target, timeout, "acknowledged operations");
  }

  /**
   * Stops issuing new operations and waits until every caller has a final answer for the one it was
   * on (retrying it as long as needed).
   */
  public void finish(Duration timeout) throws InterruptedException {
    issuing.set(false);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread caller : callers) {
      caller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (caller.isAlive()) {
        throw new AssertionError(caller.getName() + " still has no final answer: " + answers);
      }
    }
  }

  /** The answers seen, by status or exception (e.g. "201", "503 service_unavailable"). */
  public Map<String, Integer> answers() {
    Map<String, Integer> copy = new TreeMap<>();
    answers.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** One caller: operations one after another, each until its final answer, while issuing. */
  private void loop(Kind kind, int caller) {
    int sequence = 0;
    while (issuing.get()) {
      long amount = 100 + ThreadLocalRandom.current().nextInt(900);
      Op op = new Op(kind, "FAULT-" + kind + "-" + caller + "-" + ++sequence, amount);
      ops.add(op);
      while (!attempt(op)) {
        pause(100);
      }
    }
  }

  /** One attempt; true when the operation has its final answer. */
  private boolean attempt(Op op) {
    try {
      op.id = call(op);
      op.acknowledged = true;
      count("2xx");
      return true;
    } catch (ApiConnectionException e) {
      op.inDoubt = true;
      count(refused(e) ? "no connection" : "no answer");
      return false;
    } catch (ServerException e) {
      op.inDoubt = true;
      count(e.httpStatus() + " " + e.code());
      return false;
    } catch (ConflictException e) {
      count(e.httpStatus() + " " + e.code());
      if ("idempotency_in_flight".equals(e.code())) {
        op.inDoubt = true;
        return false;
      }
      return true;
    } catch (RateLimitException e) {
      count("429");
      return false;
    } catch (ScenebankException e) {
      count(e.httpStatus() + " " + e.code());
      return true; // a final refusal: the test fails on any answer it does not expect
    }
  }

  private String call(Op op) {
    ScenebankClient client = clients.get(op.kind);
    RequestOptions options = RequestOptions.idempotencyKey(op.key);
    Money amount = Money.cny(op.amount);
    return switch (op.kind) {
      case CARE_CHARGE ->
          client
              .care()
              .createCharge(
                  encounterId,
                  new CreateChargeRequest()
                      .itemCode("LAB-001")
                      .description("血常规")
                      .category(CreateChargeRequest.CategoryEnum.LAB)
                      .quantity(1)
                      .unitAmount(amount)
                      .amount(amount)
                      .hospitalChargeRef(op.ref),
                  options)
              .getId();
      case CODE_PAYMENT ->
          client
              .payments()
              .createCodePayment(
                  new CreateCodePaymentRequest()
                      .merchantId(merchantId)
                      .payerCode(PAYER_CODE)
                      .amount(amount)
                      .description("故障测试")
                      .merchantOrderRef(op.ref),
                  options)
              .getId();
      case BILL_PAYMENT ->
          client
              .bills()
              .createBillPayment(
                  new CreateBillPaymentRequest()
                      .billerId(PARTY_DUES)
                      .accountNumber("DY20260001")
                      .amount(amount)
                      .payer(new PayerInput().accountId(PAYER_ACCOUNT))
                      .channelReference(op.ref),
                  options)
              .getId();
    };
  }

  /**
   * Compares every operation with the rows in the database: an acknowledged operation must be there
   * once, with its id and amount (else lost); no reference may have more than one row, and the apps
   * may hold no row that no operation accounts for (else duplicated).
   */
  public Report verify(Connection db) throws SQLException {
    Map<Kind, Map<String, List<long[]>>> rowsByRef = new EnumMap<>(Kind.class);
    Map<Kind, Map<String, String>> idByRef = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      Map<String, List<long[]>> byRef = new HashMap<>();
      Map<String, String> ids = new HashMap<>();
      try (PreparedStatement s = db.prepareStatement(query(kind))) {
        s.setString(1, apps.get(kind));
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            byRef
                .computeIfAbsent(rs.getString(2), r -> new ArrayList<>())
                .add(new long[] {rs.getLong(3)});
            ids.put(rs.getString(2), rs.getString(1));
          }
        }
      }
      rowsByRef.put(kind, byRef);
      idByRef.put(kind, ids);
    }
    int acknowledged = 0;
    int present = 0;
    int lost = 0;
    int duplicated = 0;
    int inDoubt = 0;
    int inDoubtApplied = 0;
    Set<String> accounted = ConcurrentHashMap.newKeySet();
    for (Op op : ops) {
      List<long[]> rows = rowsByRef.get(op.kind).getOrDefault(op.ref, List.of());
      accounted.add(op.kind + op.ref);
      if (rows.size() > 1) {
        duplicated++;
      }
      if (op.acknowledged) {
        acknowledged++;
        boolean there =
            rows.size() == 1
                && rows.get(0)[0] == op.amount
                && op.id.equals(idByRef.get(op.kind).get(op.ref));
        if (there) {
          present++;
        } else {
          lost++;
        }
      }
      if (op.inDoubt) {
        inDoubt++;
        if (op.acknowledged && rows.size() == 1) {
          inDoubtApplied++;
        }
      }
    }
    for (Kind kind : Kind.values()) {
      for (String ref : rowsByRef.get(kind).keySet()) {
        if (!accounted.contains(kind + ref) && ref.startsWith("FAULT-")) {
          duplicated++; // a row no operation of ours made
        }
      }
    }
    return new Report(
        ops.size(), acknowledged, present, lost, duplicated, inDoubt, inDoubtApplied, answers());
  }

  /** The event ids of the apps (every one must reach the receiver). */
  public List<String> eventIds(Connection db) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s =
        db.prepareStatement("SELECT id FROM events WHERE client_id = ANY (?) ORDER BY id")) {
      s.setArray(1, db.createArrayOf("text", apps.values().toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  private static String query(Kind kind) {
    return switch (kind) {
      case CARE_CHARGE ->
          "SELECT id, hospital_charge_ref, amount FROM care_charges WHERE client_id = ?";
      case CODE_PAYMENT ->
          "SELECT id, merchant_order_ref, amount FROM payments WHERE client_id = ?";
      case BILL_PAYMENT ->
          "SELECT id, channel_reference, amount FROM bill_payments WHERE client_id = ?";
    };
  }

  /** The gateway was not listening: the request never reached it. */
  private static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  private void count(String answer) {
    answers.computeIfAbsent(answer, a -> new AtomicInteger()).incrementAndGet();
  }

  /** Waits until {@code condition} holds, checking every 50 ms, or fails after {@code timeout}. */
  public static void waitFor(Supplier<Boolean> condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      pause(50);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
