package io.scenebank.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The gateway's meters, in one Prometheus registry per gateway: Vert.x's own (HTTP server and
 * client, the database pool's size, queue and wait time, JVM) and the gateway's (requests by
 * operation, problems by code, idempotent replays, ledger transfers by kind, webhook outcomes and
 * backlog, biller calls and breakers). Served as Prometheus text by {@link ManagementServer}.
 *
 * <p>Labels are bounded sets: operation ids, problem codes, transfer kinds, biller ids, outcomes.
 * Never a path, an address, an app or anything a caller chooses.
 */
public final class GatewayMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong webhooksDue = new AtomicLong();
  private final AtomicLong oldestDueMillis = new AtomicLong();

  public GatewayMetrics() {
    Gauge.builder("scenebank_webhook_backlog", webhooksDue, AtomicLong::get)
        .description("Webhook deliveries due and not yet made (as of the last scrape)")
        .register(registry);
    Gauge.builder(
            "scenebank_webhook_backlog_oldest_seconds", oldestDueMillis, m -> m.get() / 1000.0)
        .description("How long the oldest due webhook delivery has waited (as of the last scrape)")
        .register(registry);
  }

  /** A Vert.x with this registry for its own meters. */
  public Vertx vertx(VertxOptions options) {
    options.setMetricsOptions(
        new MicrometerMetricsOptions()
            .setEnabled(true)
            // Vert.x keeps registries by name, process-wide: a name of its own, so that several
            // gateways in one JVM (the tests) never share or close each other's
            .setRegistryName("scenebank-" + java.util.UUID.randomUUID())
            .setJvmMetricsEnabled(true)
            // raw TCP clients: the database pool's meters and the HTTP clients' say more, and
            // several clients would register the same connection gauge twice
            .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
            // bounded labels only: no remote or local addresses
            .setLabels(
                EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME)));
    return Vertx.builder()
        .with(options)
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The registry in Prometheus's text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** A request answered: its operation ({@code none} if it matched none), status and duration. */
  public void request(String operation, int status, long nanos) {
    Timer.builder("scenebank_http_requests")
        .description("Requests by operation and status")
        .tag("operation", operation)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }

  /** A problem answered, by status and stable code (refused tokens and signatures among them). */
  public void problem(int status, String code) {
    Counter.builder("scenebank_problems")
        .description("Problem answers by status and code")
        .tag("status", Integer.toString(status))
        .tag("code", code)
        .register(registry)
        .increment();
  }

  /** A POST answered from its idempotency key's stored answer. */
  public void replay() {
    Counter.builder("scenebank_idempotent_replays")
        .description("POSTs answered with the stored answer of their idempotency key")
        .register(registry)
        .increment();
  }

  /** A ledger transfer committed, by kind ({@code care.charge_hold}, ...). */
  public void ledgerTransfer(String kind) {
    Counter.builder("scenebank_ledger_transfers")
        .description("Ledger transfers committed, by kind")
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  /** A webhook attempt ended: {@code delivered}, {@code failed} or {@code gone}. */
  public void webhookAttempt(String outcome) {
    Counter.builder("scenebank_webhook_attempts")
        .description("Webhook delivery attempts by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** The backlog as just read: deliveries due and the age of the oldest. */
  public void webhookBacklog(long due, Duration oldest) {
    webhooksDue.set(due);
    oldestDueMillis.set(oldest.toMillis());
  }

  /** A call to a biller's system ended: {@code ok} or the failure's kind. */
  public void billerCall(String biller, String outcome) {
    Counter.builder("scenebank_biller_calls")
        .description("Calls to billers' systems by biller and outcome")
        .tag("biller", biller)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** A biller's circuit breaker: 0 closed, 1 half-open, 2 open. */
  public void breaker(String biller, Supplier<Number> state) {
    Gauge.builder("scenebank_biller_breaker_state", state)
        .description("Circuit breaker of a biller: 0 closed, 1 half-open, 2 open")
        .tag("biller", biller)
        .register(registry);
  }
}
