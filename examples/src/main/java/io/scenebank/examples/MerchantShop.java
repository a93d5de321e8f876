package io.scenebank.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.Money;
import io.scenebank.sdk.Sandbox;
import io.scenebank.sdk.SandboxCredentials;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.VerifiedStatement;
import io.scenebank.sdk.model.ContactInput;
import io.scenebank.sdk.model.CreateMerchantRequest;
import io.scenebank.sdk.model.CreateQrOrderRequest;
import io.scenebank.sdk.model.CreateRefundRequest;
import io.scenebank.sdk.model.CreateWebhookEndpointRequest;
import io.scenebank.sdk.model.EventType;
import io.scenebank.sdk.model.EventTypeSubscription;
import io.scenebank.sdk.model.Merchant;
import io.scenebank.sdk.model.Payment;
import io.scenebank.sdk.model.Refund;
import io.scenebank.sdk.model.SettlementAccountInput;
import io.scenebank.sdk.model.WebhookEndpoint;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.scenebank.sdk.webhooks.VerifiedWebhook;
import io.scenebank.sdk.webhooks.WebhookVerificationException;
import io.scenebank.sdk.webhooks.WebhookVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A shop on a merchant platform in the sandbox: onboards the shop, receives the gateway's webhooks
 * on a small HTTP server of its own (each delivery verified with the SDK's {@link WebhookVerifier}
 * over the raw body), takes a QR order that the simulator pays, refunds part of it, then moves the
 * sandbox clock to the next morning and downloads the day's signed reconciliation statement. Run it
 * against a gateway started with {@code bin/gateway} (on the same machine: the webhooks go to
 * 127.0.0.1):
 *
 * <pre>
 * ./mvnw -q -pl examples -am install -DskipTests
 * java -cp "examples/target/classes:$(./mvnw -q -pl examples dependency:build-classpath \
 *     -Dmdep.outputFile=/dev/stdout)" io.scenebank.examples.MerchantShop http://localhost:8080
 * </pre>
 */
public final class MerchantShop {

  /** Business days are China days. */
  static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

  /** The sandbox payer code that always pays. */
  static final String PAYER_CODE = "289999000000000001";

  static final long ORDER_AMOUNT = 12_800;
  static final long REFUND_AMOUNT = 2_800;
  static final int FEE_RATE_BPS = 60;

  /** How long to wait for webhooks. */
  static final Duration WEBHOOK_WAIT = Duration.ofSeconds(15);

  private MerchantShop() {}

  public static void main(String[] args) {
    run(args.length > 0 ? args[0] : "http://localhost:8080");
  }

  /** Runs the shop's day against the gateway at this base URL and tells what happened. */
  public static Result run(String baseUrl) {
    Environment sandbox = Environment.custom(baseUrl);

    // 1. the platform signs up in the sandbox
    SandboxCredentials credentials =
        Sandbox.signUp(
            sandbox,
            "Qingguo Lane Market Platform",
            // one organisation per e-mail address: a fresh one each run, so that this can run again
            "dev+" + System.currentTimeMillis() + "@market.example",
            "Shop back office",
            SignatureAlgorithm.ED25519);
    ScenebankClient client = credentials.client();
    say("signed up as %s", credentials.clientId());

    // 2. a webhook receiver: verifies each delivery against the gateway's published keys
    WebhookVerifier verifier = WebhookVerifier.builder(sandbox).build();
    try (Receiver receiver = Receiver.start(verifier)) {
      say("webhook receiver listening on %s", receiver.url());
      WebhookEndpoint endpoint =
          client
              .webhooks()
              .createWebhookEndpoint(
                  new CreateWebhookEndpointRequest()
                      .url(URI.create(receiver.url()))
                      .eventTypes(
                          List.of(
                              EventTypeSubscription.PAYMENT_SUCCEEDED,
                              EventTypeSubscription.REFUND_SUCCEEDED,
                              EventTypeSubscription.STATEMENT_READY))
                      .description("shop back office"));
      say("registered webhook endpoint %s for %s", endpoint.getId(), endpoint.getEventTypes());

      // 3. onboard the shop (the sandbox reviews it at once)
      Merchant shop =
          client
              .merchants()
              .createMerchant(
                  new CreateMerchantRequest()
                      .businessName("常州青果巷小笼包店")
                      .shortName("青果巷小笼包")
                      .licenceNumber("91320400MA1XY00001")
                      .category("5812")
                      .settlementAccount(
                          new SettlementAccountInput()
                              .bankName("江南银行")
                              .accountNumber("6222020400011112222")
                              .accountName("常州青果巷小笼包店"))
                      .contact(new ContactInput().name("周杰").phone("13912340000"))
                      .feeRateBps(FEE_RATE_BPS));
      say("onboarded %s: %s, fee %d bps", shop.getId(), shop.getStatus(), shop.getFeeRateBps());

      // the day's payments and refund must fall on one business day: not just before midnight
      OffsetDateTime now = chinaNow(client);
      if (now.getHour() == 23 && now.getMinute() >= 50) {
        client.simulator().advanceClock(15 * 60);
        now = chinaNow(client);
        say("it was nearly midnight: moved the sandbox clock to %s", now);
      }
      LocalDate businessDay = now.toLocalDate();

      // 4. a QR order at the counter, paid by a payer scanning it (here: the simulator)
      Payment order =
          client
              .payments()
              .createQrOrder(
                  new CreateQrOrderRequest()
                      .merchantId(shop.getId())
                      .amount(Money.cny(ORDER_AMOUNT))
                      .description("小笼包 2 笼 + 豆浆")
                      .merchantOrderRef("QB20261123-0107"));
      say("QR order %s for %s: %s", order.getId(), yuan(ORDER_AMOUNT), order.getStatus());
      Payment paid = client.simulator().payQrOrder(order.getId(), PAYER_CODE);
      say("the payer scanned and paid: %s at %s", paid.getStatus(), paid.getPaidAt());

      // 5. one basket of xiaolongbao was missing: refund part of it
      Refund refund =
          client
              .payments()
              .createRefund(
                  paid.getId(),
                  new CreateRefundRequest()
                      .amount(Money.cny(REFUND_AMOUNT))
                      .reason("少上一笼小笼包")
                      .merchantRefundRef("RF20261123-0012"));
      say("refunded %s: %s", yuan(refund.getAmount().getAmount()), refund.getStatus());

      // 6. the gateway tells us too, by webhook
      receiver.await(EnumSet.of(EventType.PAYMENT_SUCCEEDED, EventType.REFUND_SUCCEEDED));

      // 7. the next morning, after 03:00 China time, the day is settled and its statement signed
      OffsetDateTime morning = businessDay.plusDays(1).atTime(3, 0).atOffset(CHINA);
      long seconds = Duration.between(chinaNow(client), morning).getSeconds();
      OffsetDateTime moved = client.simulator().advanceClock(seconds).getNow();
      say(
          "moved the sandbox clock %d s forward, to %s",
          seconds, moved.withOffsetSameInstant(CHINA));
      receiver.await(EnumSet.of(EventType.STATEMENT_READY));

      // 8. download the statement: the SDK checks its signature over the exact bytes
      VerifiedStatement statement = client.merchants().downloadStatement(shop.getId(), businessDay);
      List<Map<String, String>> rows = statement.rows();
      say(
          "statement of %s, %d bytes, signed by gateway key %s:",
          businessDay, statement.bytes().length, statement.keyId());
      for (Map<String, String> row : rows) {
        say(
            "  %-7s %-26s %8s %6s %8s",
            row.get("row_type"), row.get("id"), row.get("amount"), row.get("fee"), row.get("net"));
      }
      Map<String, String> total = rows.get(rows.size() - 1);
      if (!"TOTAL".equals(total.get("row_type"))) {
        throw new IllegalStateException("the statement's last row is not TOTAL: " + total);
      }
      say(
          "TOTAL: %s taken, %s fees, %s to be paid out",
          yuan(Long.parseLong(total.get("amount"))),
          yuan(Long.parseLong(total.get("fee"))),
          yuan(Long.parseLong(total.get("net"))));

      // 9. tidy up: no more deliveries to a receiver that is about to stop
      client.webhooks().deleteWebhookEndpoint(endpoint.getId());
      say(
          "received %d verified webhooks (%d repeats, %d refused); deleted the endpoint",
          receiver.verified().size(), receiver.duplicates(), receiver.refused());

      return new Result(
          credentials.clientId(),
          shop.getId(),
          paid.getId(),
          paid.getAmount().getAmount(),
          refund.getId(),
          refund.getAmount().getAmount(),
          receiver.verified().stream()
              .map(w -> w.event().getType().getValue())
              .collect(Collectors.toList()),
          receiver.duplicates(),
          receiver.refused(),
          businessDay,
          statement.keyId(),
          rows);
    }
  }

  private static OffsetDateTime chinaNow(ScenebankClient client) {
    return client.simulator().getClock().getNow().withOffsetSameInstant(CHINA);
  }

  /** Fen as yuan, e.g. {@code ¥128.00}. */
  static String yuan(long fen) {
    return String.format(
        Locale.ROOT, "¥%s%,d.%02d", fen < 0 ? "-" : "", Math.abs(fen) / 100, Math.abs(fen) % 100);
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
  }

  /**
   * The shop's webhook receiver: the JDK's HTTP server on a free port of 127.0.0.1. Every delivery
   * is verified over its raw body before anything reads it; a genuine one is answered 200 (a repeat
   * too, but processed once), one that is not genuine 400, and 503 if it could not be checked now
   * (the gateway retries).
   */
  static final class Receiver implements AutoCloseable {
    private final HttpServer server;
    private final WebhookVerifier verifier;
    private final List<VerifiedWebhook> verified = new CopyOnWriteArrayList<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    private Receiver(HttpServer server, WebhookVerifier verifier) {
      this.server = server;
      this.verifier = verifier;
    }

    static Receiver start(WebhookVerifier verifier) {
      HttpServer server;
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the webhook receiver", e);
      }
      Receiver receiver = new Receiver(server, verifier);
      server.createContext("/scenebank/webhooks", receiver::handle);
      server.start();
      return receiver;
    }

    private void handle(HttpExchange exchange) throws IOException {
      try {
        byte[] body = exchange.getRequestBody().readAllBytes();
        int status;
        if (!"POST".equals(exchange.getRequestMethod())) {
          status = 405;
        } else {
          try {
            VerifiedWebhook webhook = verifier.verify(exchange.getRequestHeaders(), body);
            if (webhook.duplicate()) {
              duplicates.incrementAndGet();
            } else {
              verified.add(webhook);
              say("  webhook %s %s: verified", webhook.event().getType(), webhook.id());
            }
            status = 200;
          } catch (WebhookVerificationException e) {
            refused.incrementAndGet();
            say("  refused a webhook: %s (%s)", e.getMessage(), e.code());
            status = 400;
          } catch (RuntimeException e) {
            // e.g. the gateway's keys could not be fetched: not a verdict, let the gateway retry
            say("  could not verify a webhook now: %s", e.getMessage());
            status = 503;
          }
        }
        exchange.sendResponseHeaders(status, -1);
      } finally {
        exchange.close();
      }
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/scenebank/webhooks";
    }

    /** Waits, at most {@link #WEBHOOK_WAIT}, until a verified webhook of each type has come. */
    void await(Set<EventType> types) {
      long deadline = System.nanoTime() + WEBHOOK_WAIT.toNanos();
      while (!received().containsAll(types)) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "no verified webhook of every type "
                  + types
                  + " within "
                  + WEBHOOK_WAIT.toSeconds()
                  + " s; received "
                  + received());
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for webhooks", e);
        }
      }
    }

    private Set<EventType> received() {
      return verified.stream()
          .map(w -> w.event().getType())
          .collect(Collectors.toCollection(() -> EnumSet.noneOf(EventType.class)));
    }

    List<VerifiedWebhook> verified() {
      return Collections.unmodifiableList(new ArrayList<>(verified));
    }

    int duplicates() {
      return duplicates.get();
    }

    int refused() {
      return refused.get();
    }

    @Override
    public void close() {
      server.stop(0);
      say("webhook receiver stopped");
    }
  }

  /** What the shop's day came to (amounts in fen). */
  public static final class Result {
    private final String clientId;
    private final String merchantId;
    private final String paymentId;
    private final long paid;
    private final String refundId;
    private final long refunded;
    private final List<String> webhookTypes;
    private final int duplicateWebhooks;
    private final int refusedWebhooks;
    private final LocalDate statementDate;
    private final String statementKeyId;
    private final List<Map<String, String>> statementRows;

    Result(
        String clientId,
        String merchantId,
        String paymentId,
        long paid,
        String refundId,
        long refunded,
        List<String> webhookTypes,
        int duplicateWebhooks,
        int refusedWebhooks,
        LocalDate statementDate,
        String statementKeyId,
        List<Map<String, String>> statementRows) {
      this.clientId = clientId;
      this.merchantId = merchantId;
      this.paymentId = paymentId;
      this.paid = paid;
      this.refundId = refundId;
      this.refunded = refunded;
      this.webhookTypes = List.copyOf(webhookTypes);
      this.duplicateWebhooks = duplicateWebhooks;
      this.refusedWebhooks = refusedWebhooks;
      this.statementDate = statementDate;
      this.statementKeyId = statementKeyId;
      this.statementRows = List.copyOf(statementRows);
    }

    /** The sandbox app the platform signed up as. */
    public String clientId() {
      return clientId;
    }

    public String merchantId() {
      return merchantId;
    }

    /** The QR order, paid. */
    public String paymentId() {
      return paymentId;
    }

    public long paid() {
      return paid;
    }

    public String refundId() {
      return refundId;
    }

    public long refunded() {
      return refunded;
    }

    /**
     * The types of the webhooks received and verified, first deliveries only, in order of arrival
     * (e.g. {@code payment.succeeded}).
     */
    public List<String> webhookTypes() {
      return webhookTypes;
    }

    /** Deliveries verified but seen before (retries). */
    public int duplicateWebhooks() {
      return duplicateWebhooks;
    }

    /** Requests to the receiver that did not verify. */
    public int refusedWebhooks() {
      return refusedWebhooks;
    }

    /** The business day of the statement. */
    public LocalDate statementDate() {
      return statementDate;
    }

    /** The gateway key the statement's signature verified with. */
    public String statementKeyId() {
      return statementKeyId;
    }

    /** The statement's rows (column name to field); the last is {@code TOTAL}. */
    public List<Map<String, String>> statementRows() {
      return statementRows;
    }

    /** The {@code TOTAL} row's amount: payments minus refunds. */
    public long statementTotal() {
      return Long.parseLong(statementRows.get(statementRows.size() - 1).get("amount"));
    }

    @Override
    public String toString() {
      return "MerchantShop.Result{paid="
          + paid
          + ", refunded="
          + refunded
          + ", webhookTypes="
          + webhookTypes
          + ", statementTotal="
          + statementTotal()
          + "}";
    }
  }
}
