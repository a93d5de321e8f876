package io.scenebank.gateway.security;

import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.RowCounts;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Requests that fail authentication cost the gateway no write, and an address that keeps sending
 * them is turned away before any check.
 */
class UnauthenticatedFloodTest {

  static final int REQUESTS = 10_000;

  @Test
  void tenThousandBadSignatures_writeNothing_andAreThrottledByAddress() throws Exception {
    Gateway gateway =
        TestGateway.start(
            TestGateway.newDataDir("flood"),
            Map.of("SCENEBANK_OPERATOR_JWK", TestGateway.OPERATOR_KEY.publicJwk().toJson()));
    try {
      TestApp app = TestApp.signUp(gateway, SignatureAlgorithm.ED25519);
      String[] headers = app.request("GET", "/v1/client/keys").headers().clone();
      for (int i = 0; i < headers.length; i += 2) {
        if (headers[i].equals("Signature")) {
          headers[i + 1] = "sig1=:" + "A".repeat(86) + "==:"; // well-formed, never valid
        }
      }
      Map<String, Long> before = RowCounts.of(gateway);

      Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> sent = new ArrayList<>();
        Http http = new Http(gateway.port());
        for (int i = 0; i < REQUESTS; i++) {
          sent.add(
              pool.submit(
                  () -> {
                    int status = http.send("GET", "/v1/client/keys", null, headers).status();
                    statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                  }));
        }
        for (Future<?> f : sent) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      System.out.println("bad signatures: " + REQUESTS + " requests, answers " + statuses);

      assertThat(statuses.keySet()).containsOnly(401, 429);
      assertThat(statuses.get(429).get())
          .as("most of the flood is turned away before any check")
          .isGreaterThan(REQUESTS / 2);
      assertThat(RowCounts.of(gateway)).as("rows in every table").isEqualTo(before);
    } finally {
      await(gateway.stop());
    }
  }
}
