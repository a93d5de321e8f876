package io.scenebank.gateway.security;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.Gateway;
import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-app rate limits: beyond the burst, 429 with Retry-After; other apps are not affected. */
class RateLimitTest {

  static Gateway gateway;

  @BeforeAll
  static void start() {
    gateway =
        TestGateway.start(
            TestGateway.newDataDir("ratelimit"),
            Map.of("SCENEBANK_RATE_LIMIT_PER_SECOND", "1", "SCENEBANK_RATE_LIMIT_BURST", "3"));
  }

  @AfterAll
  static void stop() {
    await(gateway.stop());
  }

  private static TestApp signUp() {
    return TestApp.signUp(gateway, SignatureAlgorithm.ED25519);
  }

  @Test
  void overTheBurst_is429WithRetryAfter_perApp() {
    TestApp busy = signUp();
    TestApp quiet = signUp();
    List<Integer> statuses = new ArrayList<>();
    Http.Response limited = null;
    for (int i = 0; i < 6; i++) {
      Http.Response r = busy.request("GET", "/v1/client/keys").send();
      statuses.add(r.status());
      if (r.status() == 429) {
        limited = r;
      }
    }
    assertThat(statuses.subList(0, 3)).containsOnly(200);
    assertThat(limited).isNotNull();
    assertProblem(limited, 429, "rate_limited");
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 5);

    assertThat(quiet.request("GET", "/v1/client/keys").send().status()).isEqualTo(200);
  }
}
