package io.scenebank.gateway;

import io.scenebank.gateway.config.Config;
import io.scenebank.gateway.db.Database;
import io.scenebank.gateway.db.InstanceRegistry;
import io.scenebank.gateway.health.HealthApi;
import io.scenebank.gateway.http.ApiRouter;
import io.scenebank.gateway.http.HttpVerticle;
import io.scenebank.gateway.http.Operations;
import io.scenebank.gateway.log.RequestContext;
import io.scenebank.openapi.Contract;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
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
  private int port;
  private Future<Void> stopped;

  private Gateway(Vertx vertx, Config config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Starts a gateway; the future fails (with everything started so far stopped) on any error. */
  public static Future<Gateway> start(Config config) {
    RequestContext.init();
    Vertx vertx = Vertx.vertx();
    Gateway gateway = new Gateway(vertx, config);
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
    Function<Vertx, Router> routers =
        v -> {
          Operations operations = new Operations();
          new HealthApi(database.pool(), draining::get).register(operations);
          return ApiRouter.create(v, openApi, config, operations, selfValidated);
        };
    // port 0 means "any free port"; Vert.x shares a random port between instances only when it
    // is asked for as a negative port
    int port = config.httpPort() == 0 ? -1 : config.httpPort();
    HttpServerOptions options = new HttpServerOptions().setHost(config.httpHost()).setPort(port);
    HttpVerticle first = new HttpVerticle(options, routers, config.shutdownGrace());
    return vertx
        .deployVerticle(first)
        .compose(
            id -> {
              deployments.add(id);
              this.port = first.actualPort();
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

  /**
   * Stops accepting connections, lets in-flight requests finish (up to the shutdown grace), then
   * closes the database and Vert.x. Safe to call more than once.
   */
  public synchronized Future<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    draining.set(true);
    LOG.info("stopping gateway: draining in-flight requests");
    Future<Void> undeployed =
        Future.join(deployments.stream().map(vertx::undeploy).toList()).mapEmpty();
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
