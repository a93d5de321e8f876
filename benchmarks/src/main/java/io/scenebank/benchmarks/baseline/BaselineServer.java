package io.scenebank.benchmarks.baseline;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * A bare Vert.x server that does the gateway's per-request cryptography and durable work and
 * nothing else, to measure the gateway against: the SDK and the load generator's {@code payments}
 * and {@code keys} scenarios run against it unchanged (see benchmarks/README.md for exactly what it
 * does per request).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.scenebank.benchmarks.baseline.BaselineServer [port]}
 * with {@code DATABASE_URL=postgresql://user:password@host:port/db}. The port is the argument, else
 * {@code BASELINE_PORT}, else 8090; the public URL (the token issuer and the scheme and host of
 * {@code @target-uri}) is {@code BASELINE_PUBLIC_URL}, else {@code http://localhost:<port>}. One
 * verticle per core and one pool of 16 connections, as the gateway by default.
 */
public final class BaselineServer {

  private static final int POOL_SIZE = 16;

  private BaselineServer() {}

  public static void main(String[] args) {
    String databaseUrl = System.getenv("DATABASE_URL");
    if (databaseUrl == null || databaseUrl.isBlank()) {
      System.err.println("set DATABASE_URL=postgresql://user:password@host:port/db");
      System.exit(2);
    }
    int port =
        Integer.parseInt(
            args.length > 0 ? args[0] : System.getenv().getOrDefault("BASELINE_PORT", "8090"));
    String publicUrl =
        System.getenv().getOrDefault("BASELINE_PUBLIC_URL", "http://localhost:" + port);
    int instances = Runtime.getRuntime().availableProcessors();

    Vertx vertx = Vertx.vertx();
    Pool pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(POOL_SIZE))
            .connectingTo(PgConnectOptions.fromUri(databaseUrl).setCachePreparedStatements(true))
            .using(vertx)
            .build();
    Security security = new Security(publicUrl, pool);
    Operations operations = new Operations(pool, publicUrl);
    pool.query(Operations.SCHEMA)
        .execute()
        .compose(
            v ->
                vertx.deployVerticle(
                    () -> new BaselineVerticle(port, security, operations),
                    new DeploymentOptions().setInstances(instances)))
        .onSuccess(
            id ->
                System.out.printf(
                    "baseline listening on port %d (%d event loops), public URL %s%n",
                    port, instances, publicUrl))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(1);
            });
  }
}
