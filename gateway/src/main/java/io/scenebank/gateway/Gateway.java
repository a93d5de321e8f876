package io.scenebank.gateway;

import io.scenebank.gateway.bills.BillsApi;
import io.scenebank.gateway.bills.connector.HttpConnectors;
import io.scenebank.gateway.canteen.CanteenApi;
import io.scenebank.gateway.care.CareApi;
import io.scenebank.gateway.clients.ClientKeysApi;
import io.scenebank.gateway.config.Config;
import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.config.Setting;
import io.scenebank.gateway.db.Database;
import io.scenebank.gateway.db.InstanceRegistry;
import io.scenebank.gateway.events.EventLog;
import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.events.EventsApi;
import io.scenebank.gateway.events.UrlPolicy;
import io.scenebank.gateway.events.WebhookDispatcher;
import io.scenebank.gateway.events.WebhookEndpoints;
import io.scenebank.gateway.events.WebhookSigner;
import io.scenebank.gateway.health.HealthApi;
import io.scenebank.gateway.http.ApiRouter;
import io.scenebank.gateway.http.ApiSecurity;
import io.scenebank.gateway.http.HttpVerticle;
import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.idempotency.IdempotencyHandler;
import io.scenebank.gateway.idempotency.IdempotencyStore;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.ledger.LedgerCheck;
import io.scenebank.gateway.log.RequestContext;
import io.scenebank.gateway.merchants.MerchantsApi;
import io.scenebank.gateway.merchants.Payments;
import io.scenebank.gateway.metrics.GatewayMetrics;
import io.scenebank.gateway.metrics.ManagementServer;
import io.scenebank.gateway.operator.OperatorApi;
import io.scenebank.gateway.sandbox.SignupApi;
import io.scenebank.gateway.sandbox.SimulatorApi;
import io.scenebank.gateway.security.AccessTokens;
import io.scenebank.gateway.security.ClientAssertions;
import io.scenebank.gateway.security.ClientRegistry;
import io.scenebank.gateway.security.ExternalIssuer;
import io.scenebank.gateway.security.GatewaySecurity;
import io.scenebank.gateway.security.Nonces;
import io.scenebank.gateway.security.OAuthApi;
import io.scenebank.gateway.security.RateLimiter;
import io.scenebank.gateway.security.SecretBox;
import io.scenebank.gateway.security.SigningKeys;
import io.scenebank.gateway.security.Tokens;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.Sweeper;
import io.scenebank.gateway.time.TimeDriven;
import io.scenebank.gateway.tx.Transactions;
import io.scenebank.openapi.Contract;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the contract loaded, the database up and migrated, one HTTP server per event
 * loop. {@link #start} brings it up; {@link #stop} drains in-flight requests and shuts down.
 */
public final class Gateway {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final Config config;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  private Database database;
  private InstanceRegistry instances;
  private final List<Long> timers = new CopyOnWriteArrayList<>();
  private volatile int port;
  private volatile String issuer;
  private volatile WebhookDispatcher dispatcher;
  private volatile SecretBox box;
  private volatile Sweeper sweeper;
  private volatile HttpConnectors billerConnectors;
  private final GatewayMetrics metrics;
  private volatile ManagementServer management;
  private volatile int managementPort = -1;
  private Future<Void> stopped;

  private Gateway(Vertx vertx, Config config, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
  }

  /** Starts a gateway; the future fails (with everything started so far stopped) on any error. */
  public static Future<Gateway> start(Config config) {
    RequestContext.init();
    GatewayMetrics metrics = new GatewayMetrics();
    Vertx vertx = metrics.vertx(new VertxOptions());
    Gateway gateway = new Gateway(vertx, config, metrics);
    Contract contract = Contract.fromClasspath();
    LOG.atInfo().addKeyValue("config", config.toString()).log("starting gateway");
    // a promise of no context: its listeners still run once Vert.x has been closed
    Promise<Gateway> result = Promise.promise();
    contract
        .load(vertx)
        .compose(
            openApi ->
                Database.start(vertx, config)
                    .compose(
                        db -> {
                          gateway.database = db;
                          gateway.instances = new InstanceRegistry(db.pool());
                          return gateway.deploy(openApi, contract.selfValidatedOperations());
                        }))
        .compose(
            v ->
                gateway.instances.started(
                    version(),
                    config.mode().name().toLowerCase(Locale.ROOT),
                    Objects.requireNonNullElse(System.getenv("HOSTNAME"), "unknown")))
        .map(
            v -> {
              LOG.atInfo()
                  .addKeyValue("port", gateway.port)
                  .addKeyValue("mode", config.mode().name().toLowerCase(Locale.ROOT))
                  .addKeyValue("database", gateway.database.isEmbedded() ? "embedded" : "external")
                  .addKeyValue("instance", gateway.instances.id().toString())
                  .log("gateway started");
              return gateway;
            })
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                result.complete(ar.result());
              } else {
                LOG.error("the gateway failed to start", ar.cause());
                gateway.stop().onComplete(x -> result.fail(ar.cause()));
              }
            });
    return result.future();
  }

  private Future<Void> deploy(OpenAPIContract openApi, List<String> selfValidated) {
    Pool pool = database.pool();
    Mode mode = config.mode();
    return vertx
        .executeBlocking(() -> SecretBox.forConfig(config))
        .compose(
            box -> {
              this.box = box;
              return new SigningKeys(pool, box, mode).start();
            })
        .compose(
            keys -> {
              Supplier<String> issuer = () -> this.issuer;
              ClientRegistry registry = new ClientRegistry(pool, mode);
              Tokens tokens = new Tokens(vertx, pool, keys, keys, issuer, config.tokenTtl());
              // tokens of an external issuer, if one is configured, instead of the gateway's own
              ExternalIssuer external =
                  config.tokenIssuer().map(s -> new ExternalIssuer(vertx, s, issuer)).orElse(null);
              AccessTokens accepted = external != null ? external : tokens;
              RateLimiter perApp =
                  new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst());
              RateLimiter perAddress =
                  new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst());
              IdempotencyStore idempotency =
                  new IdempotencyStore(pool, config.requestTimeout().plusSeconds(30));
              Nonces nonces = new Nonces(pool, registry);
              ApiSecurity security =
                  new GatewaySecurity(
                      accepted,
                      registry,
                      nonces,
                      keys,
                      perApp,
                      new RateLimiter(
                          config.authRefusalsPerSecond(), 5 * config.authRefusalsPerSecond()),
                      new IdempotencyHandler(idempotency, nonces),
                      issuer,
                      config.signatureWindow(),
                      mode.sandbox());
              UrlPolicy urls = new UrlPolicy(mode);
              WebhookEndpoints endpoints = new WebhookEndpoints(vertx, pool, urls, mode);
              Events events = new Events(mode, () -> dispatcher.nudge());
              EventLog eventLog = new EventLog(pool, mode);
              AppClock clock = new AppClock(mode);
              billerConnectors = new HttpConnectors(vertx, urls, System::getenv, metrics);
              Ledger ledger = new Ledger(metrics::ledgerTransfer);
              Transactions transactions =
                  new Transactions(pool, nonces, idempotency, clock, events);
              CareApi care =
                  new CareApi(
                      pool,
                      ledger,
                      events,
                      clock,
                      box,
                      mode,
                      config.careGraceDays(),
                      config.carePenaltyBps(),
                      transactions);
              BillsApi bills =
                  new BillsApi(
                      pool,
                      ledger,
                      events,
                      clock,
                      keys,
                      billerConnectors::connector,
                      mode,
                      transactions);
              MerchantsApi merchants =
                  new MerchantsApi(
                      pool,
                      ledger,
                      events,
                      clock,
                      keys,
                      new Payments.RiskRules(
                          config.paymentMaxAmount(),
                          config.paymentVelocityLimit(),
                          Duration.ofHours(1)),
                      mode,
                      transactions);
              List<TimeDriven> timeDriven = new ArrayList<>(care.timeDriven());
              timeDriven.addAll(bills.timeDriven());
              timeDriven.addAll(merchants.timeDriven());
              CanteenApi canteen =
                  new CanteenApi(pool, ledger, events, clock, merchants, mode, transactions);
              timeDriven.addAll(canteen.timeDriven());
              sweeper = new Sweeper(vertx, timeDriven, config.sweepInterval());
              LedgerCheck ledgerCheck = new LedgerCheck(pool, mode);
              dispatcher =
                  new WebhookDispatcher(
                      vertx,
                      pool,
                      new WebhookSigner(keys),
                      endpoints,
                      events,
                      urls,
                      mode,
                      config.webhookRetries(),
                      config.webhookTimeout(),
                      config.webhookPoll(),
                      metrics);
              Function<Vertx, Router> routers =
                  v -> {
                    Operations operations = new Operations();
                    new HealthApi(pool, draining::get).register(operations);
                    new OAuthApi(
                            new ClientAssertions(registry, pool),
                            tokens,
                            keys,
                            perAddress,
                            issuer,
                            config.tokenIssuer().map(Config.TokenIssuer::issuer))
                        .register(operations);
                    new ClientKeysApi(registry).register(operations);
                    new OperatorApi(registry, keys, ledgerCheck).register(operations);
                    new SignupApi(pool, registry, perAddress, issuer, mode).register(operations);
                    new EventsApi(pool, endpoints, eventLog, events, mode).register(operations);
                    care.register(operations);
                    bills.register(operations);
                    merchants.register(operations);
                    canteen.register(operations);
                    new SimulatorApi(pool, clock, sweeper, mode).register(operations);
                    return ApiRouter.create(
                        v,
                        openApi,
                        config,
                        operations,
                        selfValidated,
                        security,
                        draining::get,
                        metrics);
                  };
              return bills
                  .seedSandbox()
                  .compose(
                      v ->
                          config.billersFile().isPresent()
                              ? bills.loadConfigured(vertx, config.billersFile().get())
                              : Future.succeededFuture())
                  .compose(v -> deployServers(routers))
                  .compose(v -> startManagement(pool))
                  .compose(v -> bootstrapOperator(registry))
                  .map(
                      v -> {
                        maintenance(keys, registry, idempotency);
                        if (external != null) {
                          // in the background: an issuer down for a moment does not stop the
                          // gateway (tokens get 503 and it is asked again)
                          external.start();
                        }
                        dispatcher.start();
                        sweeper.start();
                        return null;
                      });
            });
  }

  private Future<Void> deployServers(Function<Vertx, Router> routers) {
    // port 0 means "any free port"; Vert.x shares a random port between instances only when it
    // is asked for as a negative port
    int bindPort = config.httpPort() == 0 ? -1 : config.httpPort();
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.httpHost())
            .setPort(bindPort)
            // no cleartext HTTP/2: a client would multiplex everything over one connection, which
            // Vert.x serves on one event loop; over HTTP/1.1 its connections spread over all of
            // them (TLS and HTTP/2 end at the load balancer)
            .setHttp2ClearTextEnabled(false);
    HttpVerticle first = new HttpVerticle(options, routers, config.shutdownGrace());
    return vertx
        .deployVerticle(first)
        .compose(
            id -> {
              deployments.add(id);
              this.port = first.actualPort();
              this.issuer = config.publicUrl().orElse("http://localhost:" + port);
              int more = config.httpInstances() - 1;
              if (more == 0) {
                return Future.succeededFuture();
              }
              // the others share the first one's socket
              return vertx
                  .deployVerticle(
                      () -> new HttpVerticle(options, routers, config.shutdownGrace()),
                      new DeploymentOptions().setInstances(more))
                  .map(
                      more2 -> {
                        deployments.add(more2);
                        return null;
                      });
            });
  }

  /** The management server, if configured (see {@link Setting#MANAGEMENT_PORT}). */
  private Future<Void> startManagement(Pool pool) {
    if (config.managementPort().isEmpty()) {
      return Future.succeededFuture();
    }
    management = new ManagementServer(vertx, pool, metrics);
    return management
        .start(config.managementHost(), config.managementPort().get())
        .map(
            port -> {
              managementPort = port;
              return null;
            });
  }

  private Future<Void> bootstrapOperator(ClientRegistry registry) {
    if (config.operatorJwk().isEmpty()) {
      return Future.succeededFuture();
    }
    return registry
        .ensureOperator(config.operatorJwk().get())
        .map(
            clientId -> {
              LOG.atInfo().addKeyValue("client_id", clientId).log("operator app ready");
              return null;
            });
  }

  /** Periodic housekeeping: pick up key rotations, forget what can no longer be replayed. */
  private void maintenance(
      SigningKeys keys, ClientRegistry registry, IdempotencyStore idempotency) {
    timers.add(
        vertx.setPeriodic(
            30_000, t -> keys.reload().onFailure(e -> LOG.warn("key reload failed", e))));
    timers.add(
        vertx.setPeriodic(
            60_000,
            t ->
                registry
                    .purgeExpired()
                    .compose(v -> idempotency.purgeExpired())
                    .onFailure(e -> LOG.warn("purge failed", e))));
  }

  /**
   * Stops accepting connections, lets in-flight requests finish (up to the shutdown grace), then
   * closes the database and Vert.x. Safe to call more than once.
   */
  public synchronized Future<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    draining.set(true);
    LOG.info("stopping gateway: answering 503 to new requests, draining in-flight ones");
    timers.forEach(vertx::cancelTimer);
    if (sweeper != null) {
      sweeper.stop();
    }
    if (billerConnectors != null) {
      billerConnectors.close();
    }
    if (management != null) {
      management.stop();
    }
    // webhook deliveries in flight are recorded before the database goes
    Future<Void> dispatcherStopped =
        dispatcher == null ? Future.succeededFuture() : dispatcher.stop(config.shutdownGrace());
    // while draining, connections are still accepted and answered 503 (readiness fails too), so
    // that balancers and clients move away; then the servers stop listening and finish what they
    // started within the grace period
    Future<Void> drained =
        config.shutdownDrain().isZero() || deployments.isEmpty()
            ? Future.succeededFuture()
            : vertx.timer(config.shutdownDrain().toMillis()).mapEmpty();
    Future<Void> undeployed =
        Future.join(
                dispatcherStopped,
                drained.compose(
                    v -> Future.join(deployments.stream().map(vertx::undeploy).toList())))
            .mapEmpty();
    Promise<Void> done = Promise.promise();
    undeployed
        .eventually(() -> instances == null ? Future.succeededFuture() : instances.stopped())
        .eventually(() -> database == null ? Future.succeededFuture() : database.close())
        .onComplete(
            ar ->
                vertx
                    .close()
                    .onComplete(
                        closed -> {
                          LOG.info("gateway stopped");
                          done.handle(ar.succeeded() ? closed : Future.failedFuture(ar.cause()));
                        }));
    stopped = done.future();
    return stopped;
  }

  /** The gateway's public base URL: the OAuth issuer, and what request signatures cover. */
  public String issuer() {
    return issuer;
  }

  /** The management server's port, or -1 if none runs. */
  public int managementPort() {
    return managementPort;
  }

  /** The HTTP port the gateway listens on. */
  public int port() {
    return port;
  }

  public Config config() {
    return config;
  }

  public Database database() {
    return database;
  }

  static String version() {
    String v = Gateway.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
