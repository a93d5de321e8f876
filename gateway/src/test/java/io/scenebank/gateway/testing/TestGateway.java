package io.scenebank.gateway.testing;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.config.Config;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Real gateways for tests: on a free port, on a real (embedded) PostgreSQL. {@link #shared()} is
 * one gateway for the whole test run; {@link #start} makes a private one for tests that stop or
 * restart it.
 */
public final class TestGateway {

  /** The bank operators' key of the shared gateway (SCENEBANK_OPERATOR_JWK). */
  public static final GeneratedKey OPERATOR_KEY =
      Keys.generate(SignatureAlgorithm.ED25519, "test-operator");

  private static Gateway shared;

  private TestGateway() {}

  /**
   * The gateway all tests share; started on first use, stopped when the test JVM exits. Its rate
   * limit is high: tests of rate limiting start their own gateway.
   */
  public static synchronized Gateway shared() {
    if (shared == null) {
      shared =
          start(
              newDataDir("shared"),
              Map.of(
                  "SCENEBANK_OPERATOR_JWK", OPERATOR_KEY.publicJwk().toJson(),
                  "SCENEBANK_RATE_LIMIT_PER_SECOND", "100000",
                  "SCENEBANK_RATE_LIMIT_BURST", "100000",
                  "SCENEBANK_WEBHOOK_RETRY_SCHEDULE", "1,1,1",
                  "SCENEBANK_WEBHOOK_POLL_MS", "100",
                  "SCENEBANK_MANAGEMENT_PORT", "0"));
      Gateway g = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> await(g.stop()), "test-gateway-stop"));
    }
    return shared;
  }

  /** A private gateway on the given data directory, with extra settings. */
  public static Gateway start(Path dataDir, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>();
    all.put("SCENEBANK_HTTP_PORT", "0");
    all.put("SCENEBANK_HTTP_HOST", "127.0.0.1");
    all.put("SCENEBANK_HTTP_INSTANCES", "2");
    all.put("SCENEBANK_DATA_DIR", dataDir.toString());
    all.put("SCENEBANK_SHUTDOWN_GRACE_SECONDS", "10");
    all.put("SCENEBANK_SHUTDOWN_DRAIN_SECONDS", "0");
    all.putAll(settings);
    return await(Gateway.start(Config.of(all)));
  }

  /** A fresh directory under target/test-work. */
  public static Path newDataDir(String name) {
    Path root = Path.of(System.getProperty("scenebank.test.work", "target/test-work"));
    try {
      return Files.createDirectories(root.resolve(name + "-" + UUID.randomUUID()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.await(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }
}
