package io.scenebank.gateway.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.http.Problem;
import org.junit.jupiter.api.Test;

/** The token buckets, without a gateway. */
class RateLimiterTest {

  @Test
  void aFloodOfNewKeys_neverResetsAnExhaustedBucket() {
    // one token per 1,000 s: an exhausted bucket stays exhausted for the whole test
    RateLimiter limiter = new RateLimiter(1, 1, 10);
    limiter.acquire("attacker-known");
    assertThatThrownBy(() -> limiter.acquire("attacker-known")).isInstanceOf(Problem.class);
    for (int i = 0; i < 1_000; i++) {
      try {
        limiter.acquire("flood-" + i);
      } catch (Problem limited) {
        // newcomers beyond the cap share one bucket and are throttled together
      }
    }
    assertThatThrownBy(() -> limiter.acquire("attacker-known"))
        .isInstanceOfSatisfying(
            Problem.class,
            p -> org.assertj.core.api.Assertions.assertThat(p.status()).isEqualTo(429));
  }

  @Test
  void beyondTheCap_newcomersShareOneBucket() {
    RateLimiter limiter = new RateLimiter(1, 1, 2);
    limiter.acquire("a");
    limiter.acquire("b");
    assertThatCode(() -> limiter.acquire("c")).doesNotThrowAnyException();
    assertThatThrownBy(() -> limiter.acquire("d")).isInstanceOf(Problem.class);
  }

  @Test
  void theHeaders_sayTheBucketAndWhatIsLeft() {
    RateLimiter limiter = new RateLimiter(25, 50);
    org.assertj.core.api.Assertions.assertThat(limiter.policy("app")).isEqualTo("\"app\";q=50;w=2");
    long left = limiter.acquire("x");
    org.assertj.core.api.Assertions.assertThat(left).isEqualTo(49);
    org.assertj.core.api.Assertions.assertThat(limiter.standing("app", left))
        .isEqualTo("\"app\";r=49;t=1");
    org.assertj.core.api.Assertions.assertThat(limiter.standing("app", 0))
        .isEqualTo("\"app\";r=0;t=2");
  }
}
