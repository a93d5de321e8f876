package io.scenebank.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** An app's answers say where it stands against its rate limit, as the contract declares. */
class RateLimitHeadersTest {

  private static final Pattern STANDING = Pattern.compile("\"app\";r=(\\d+);t=(\\d+)");

  @Test
  void successfulAnswers_carryThePolicyAndWhatIsLeft() {
    TestApp app = TestApp.create(SignatureAlgorithm.ED25519, "care");
    Http.Response first = app.request("GET", "/v1/client/keys").send();
    Http.Response second = app.request("GET", "/v1/client/keys").send();

    assertThat(first.status()).isEqualTo(200);
    // the shared gateway's limit: 100,000 per second, as many at once
    assertThat(first.header("ratelimit-policy")).isEqualTo("\"app\";q=100000;w=1");
    Matcher before = STANDING.matcher(first.header("ratelimit"));
    Matcher after = STANDING.matcher(second.header("ratelimit"));
    assertThat(before.matches()).as(first.header("ratelimit")).isTrue();
    assertThat(after.matches()).as(second.header("ratelimit")).isTrue();
    assertThat(Long.parseLong(before.group(1))).isLessThan(100_000);
  }

  @Test
  void publicEndpoints_carryNone() {
    Http.Response health = new Http(TestGateway.shared().port()).get("/health/live");
    assertThat(health.header("ratelimit")).isNull();
  }
}
