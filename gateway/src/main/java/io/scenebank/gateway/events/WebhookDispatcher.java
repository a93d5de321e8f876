package io.scenebank.gateway.events;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.log.TraceContext;
import io.scenebank.gateway.metrics.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhooks, at least once. Every instance polls for attempts that are due and claims a
 * batch atomically ({@code FOR UPDATE SKIP LOCKED}, then a lock with an expiry), so two instances
 * never send the same attempt; an instance that dies mid-send leaves a lock that expires, and the
 * attempt is sent again (same {@code webhook-id}, so receivers deduplicate). Each outcome is
 * recorded with the next attempt, if any, in one transaction: retries follow the configured
 * schedule with jitter, honour {@code 429 Retry-After}; {@code 410 Gone} disables the endpoint at
 * once; an endpoint that fails a whole schedule without one success is disabled too. Its owner
 * learns of either by a {@code webhook_endpoint.disabled} event.
 */
public final class WebhookDispatcher {

  private final GatewayMetrics metrics;

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  static final int BATCH = 32;
  private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

  private final Vertx vertx;
  private final Pool pool;
  private final WebhookSigner signer;
  private final WebhookEndpoints endpoints;
  private final Events events;
  private final UrlPolicy urls;
  private final Mode mode;
  private final List<Duration> retries;
  private final Duration timeout;
  private final Duration poll;
  private final UUID instance = UUID.randomUUID();
  private final HttpClient http;
  private long timer = -1;
  private volatile Context context;
  private boolean polling;
  private boolean pollAgain;
  private volatile boolean stopping;
  private int inFlight;
  private Promise<Void> drained;

  public WebhookDispatcher(
      Vertx vertx,
      Pool pool,
      WebhookSigner signer,
      WebhookEndpoints endpoints,
      Events events,
      UrlPolicy urls,
      Mode mode,
      List<Duration> retries,
      Duration timeout,
      Duration poll,
      GatewayMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.pool = pool;
    this.signer = signer;
    this.endpoints = endpoints;
    this.events = events;
    this.urls = urls;
    this.mode = mode;
    this.retries = List.copyOf(retries);
    this.timeout = timeout;
    this.poll = poll;
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setIdleTimeout((int) timeout.toSeconds() + 1)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setKeepAlive(false));
  }

  /**
   * Starts polling on the calling context, which from then on is the only thread that touches the
   * dispatcher's state ({@code polling}, {@code inFlight} …): a nudge from any event loop is handed
   * over to it.
   */
  public void start() {
    context = vertx.getOrCreateContext();
    timer = vertx.setPeriodic(poll.toMillis(), t -> poll());
  }

  /** Looks for due attempts now (e.g. right after an event was committed); any thread. */
  public void nudge() {
    Context home = context;
    if (!stopping && home != null) {
      home.runOnContext(v -> poll());
    }
  }

  /** Stops claiming; completes when the deliveries in flight are recorded (or after the grace). */
  public Future<Void> stop(Duration grace) {
    stopping = true;
    vertx.cancelTimer(timer);
    Promise<Void> done = Promise.promise();
    Context home = context != null ? context : vertx.getOrCreateContext();
    home.runOnContext(
        v -> {
          if (inFlight == 0) {
            done.tryComplete();
          } else {
            drained = done;
            vertx.setTimer(grace.toMillis() + 1, t -> done.tryComplete());
          }
        });
    return done.future().eventually(http::close);
  }

  private void poll() {
    if (stopping) {
      return;
    }
    if (polling) {
      pollAgain = true;
      return;
    }
    int room = BATCH - inFlight;
    if (room <= 0) {
      return;
    }
    polling = true;
    claim(room)
        .onComplete(
            ar -> {
              polling = false;
              if (ar.failed()) {
                LOG.warn("could not claim webhook deliveries", ar.cause());
                return;
              }
              for (Row row : ar.result()) {
                deliver(row);
              }
              if (pollAgain || ar.result().size() == room) {
                pollAgain = false;
                context.runOnContext(v -> poll());
              }
            });
  }

  private Future<List<Row>> claim(int limit) {
    return pool.preparedQuery(
            "UPDATE webhook_attempts a SET locked_by = $1,"
                + " locked_until = now() + make_interval(secs => $2)"
                + " FROM (SELECT id FROM webhook_attempts WHERE status = 'PENDING'"
                + "   AND next_attempt_at <= now()"
                + "   AND (locked_until IS NULL OR locked_until < now())"
                + "   ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due,"
                + " events e, webhook_endpoints w"
                + " WHERE a.id = due.id AND e.id = a.event_id AND w.id = a.endpoint_id"
                + " RETURNING a.id, a.event_id, a.endpoint_id, a.client_id, a.attempt,"
                + " a.first_attempt_at, e.payload, e.trace_id, w.url, w.status AS endpoint_status,"
                + " w.deleted_at, w.last_success_at")
        .execute(Tuple.of(instance, (double) timeout.toSeconds() * 2 + 30, limit))
        .map(
            rows -> {
              List<Row> list = new ArrayList<>();
              rows.forEach(list::add);
              return list;
            });
  }

  /** What an attempt came to. */
  private record Outcome(Integer status, String error, Duration retryAfter, long durationMs) {
    boolean succeeded() {
      return status != null && status >= 200 && status < 300;
    }
  }

  private void deliver(Row attempt) {
    inFlight++;
    long start = System.nanoTime();
    Future<Outcome> outcome;
    if (!"ENABLED".equals(attempt.getString("endpoint_status"))
        || attempt.getOffsetDateTime("deleted_at") != null) {
      outcome = Future.succeededFuture(new Outcome(null, "endpoint disabled", null, 0));
    } else {
      outcome =
          send(attempt)
              .recover(
                  e ->
                      Future.succeededFuture(
                          new Outcome(
                              null,
                              String.valueOf(e.getMessage()),
                              null,
                              (System.nanoTime() - start) / 1_000_000)));
    }
    outcome
        .compose(o -> record(attempt, o))
        .onFailure(e -> LOG.warn("could not record a webhook attempt", e))
        .onComplete(
            v -> {
              inFlight--;
              if (stopping && inFlight == 0 && drained != null) {
                drained.tryComplete();
              }
            });
  }

  private Future<Outcome> send(Row attempt) {
    URI uri = URI.create(attempt.getString("url"));
    String body = attempt.getString("payload");
    long start = System.nanoTime();
    Future<InetAddress> target = vertx.executeBlocking(() -> urls.resolve(uri), false);
    return target.compose(
        address -> {
          RequestOptions options =
              new RequestOptions()
                  .setMethod(HttpMethod.POST)
                  .setAbsoluteURI(uri.toString())
                  .setFollowRedirects(false);
          if (address != null) {
            // connect to the address that was checked, not to whatever the name resolves to next
            int port =
                uri.getPort() != -1 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
            options.setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()));
          }
          signer
              .headers(attempt.getString("event_id"), body, Instant.now().getEpochSecond())
              .forEach(options::putHeader);
          // the delivery continues the trace of the request that created the event
          options.putHeader(
              TraceContext.HEADER, TraceContext.childOf(attempt.getString("trace_id")).header());
          return http.request(options)
              .compose(request -> request.send(Buffer.buffer(body)))
              .compose(
                  response ->
                      response
                          .body()
                          .map(
                              ignored ->
                                  new Outcome(
                                      response.statusCode(),
                                      response.statusCode() / 100 == 2
                                          ? null
                                          : "HTTP " + response.statusCode(),
                                      retryAfter(response.getHeader("Retry-After")),
                                      (System.nanoTime() - start) / 1_000_000)))
              .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        });
  }

  private Future<Void> record(Row attempt, Outcome outcome) {
    String id = attempt.getString("id");
    String endpointId = attempt.getString("endpoint_id");
    String clientId = attempt.getString("client_id");
    int number = attempt.getInteger("attempt");
    boolean gone = outcome.status() != null && outcome.status() == 410;
    boolean endpointDisabled =
        outcome.status() == null && "endpoint disabled".equals(outcome.error());
    LOG.atInfo()
        .addKeyValue("event", attempt.getString("event_id"))
        .addKeyValue("endpoint", endpointId)
        .addKeyValue("attempt", number)
        .addKeyValue("status", outcome.status())
        .addKeyValue("duration_ms", outcome.durationMs())
        .log(outcome.succeeded() ? "webhook delivered" : "webhook attempt failed");
    metrics.webhookAttempt(
        outcome.succeeded()
            ? "delivered"
            : gone ? "gone" : endpointDisabled ? "endpoint_disabled" : "failed");
    AtomicBoolean emitted = new AtomicBoolean();
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "UPDATE webhook_attempts SET status = $3, attempted_at = now(),"
                            + " response_status = $4, error = $5, duration_ms = $6,"
                            + " locked_by = NULL, locked_until = NULL"
                            + " WHERE id = $1 AND locked_by = $2 AND status = 'PENDING'"
                            + " RETURNING 1")
                    .execute(
                        Tuple.of(
                            id,
                            instance,
                            outcome.succeeded() ? "SUCCEEDED" : "FAILED",
                            outcome.status(),
                            truncate(outcome.error()),
                            (int) outcome.durationMs()))
                    .compose(
                        mine -> {
                          if (mine.size() == 0) {
                            return Future.succeededFuture(); // the lock expired; another took it
                          }
                          if (outcome.succeeded()) {
                            return tx.preparedQuery(
                                    "UPDATE webhook_endpoints SET last_success_at = now() WHERE id = $1")
                                .execute(Tuple.of(endpointId))
                                .mapEmpty();
                          }
                          if (endpointDisabled) {
                            return Future.succeededFuture();
                          }
                          if (gone) {
                            return disable(tx, endpointId, clientId, "GONE", emitted);
                          }
                          if (number <= retries.size()) {
                            return scheduleNext(tx, attempt, outcome);
                          }
                          OffsetDateTime lastSuccess = attempt.getOffsetDateTime("last_success_at");
                          boolean noSuccessSince =
                              lastSuccess == null
                                  || lastSuccess.isBefore(
                                      attempt.getOffsetDateTime("first_attempt_at"));
                          return noSuccessSince
                              ? disable(tx, endpointId, clientId, "CONSECUTIVE_FAILURES", emitted)
                              : Future.succeededFuture();
                        }))
        .onSuccess(
            v -> {
              if (emitted.get()) {
                events.nudge();
              }
            })
        .mapEmpty();
  }

  private Future<Void> disable(
      SqlConnection tx, String endpointId, String clientId, String reason, AtomicBoolean emitted) {
    return endpoints
        .disable(tx, endpointId, reason)
        .compose(
            endpoint -> {
              if (endpoint == null) {
                return Future.succeededFuture();
              }
              LOG.atWarn()
                  .addKeyValue("endpoint", endpointId)
                  .addKeyValue("reason", reason)
                  .log("webhook endpoint disabled");
              emitted.set(true);
              return events
                  .emit(tx, clientId, "webhook_endpoint.disabled", endpoint, null)
                  .mapEmpty();
            });
  }

  private Future<Void> scheduleNext(SqlConnection tx, Row attempt, Outcome outcome) {
    Duration delay = retries.get(attempt.getInteger("attempt") - 1);
    long jittered =
        (long) (delay.toMillis() * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    if (outcome.retryAfter() != null && outcome.retryAfter().toMillis() > jittered) {
      jittered = outcome.retryAfter().toMillis();
    }
    return tx.preparedQuery(
            "INSERT INTO webhook_attempts (id, event_id, endpoint_id, client_id, attempt, status,"
                + " next_attempt_at, first_attempt_at) VALUES ('dlv_' ||"
                + " substr(replace(gen_random_uuid()::text, '-', ''), 1, 24), $1, $2, $3, $4,"
                + " 'PENDING', now() + make_interval(secs => $5), $6)"
                + " ON CONFLICT (event_id, endpoint_id, attempt) DO NOTHING")
        .execute(
            Tuple.of(
                attempt.getString("event_id"),
                attempt.getString("endpoint_id"),
                attempt.getString("client_id"),
                attempt.getInteger("attempt") + 1,
                jittered / 1000.0,
                attempt.getOffsetDateTime("first_attempt_at")))
        .mapEmpty();
  }

  /** Retry-After in seconds; the HTTP-date form is ignored (the schedule applies). */
  static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(header.trim());
      return seconds < 0
          ? null
          : Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER.toSeconds()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String truncate(String error) {
    return error == null || error.length() <= 500 ? error : error.substring(0, 500);
  }
}
