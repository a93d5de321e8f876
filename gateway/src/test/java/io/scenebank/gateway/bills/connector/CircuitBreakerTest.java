package io.scenebank.gateway.bills.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.bills.connector.CircuitBreaker.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's states, on a clock the tests move. */
class CircuitBreakerTest {

  private static final Duration OPEN = Duration.ofSeconds(30);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final CircuitBreaker breaker = new CircuitBreaker("water", 3, OPEN, now::get);

  private void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onFailure();
    }
  }

  @Test
  void closedLetsCallsThrough() {
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    for (int i = 0; i < 10; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onSuccess();
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.name()).isEqualTo("water");
  }

  @Test
  void opensAfterThresholdConsecutiveFailures() {
    fail(2);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(1);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    advance(OPEN.minusNanos(1));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void aSuccessResetsTheCount() {
    fail(2);
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onSuccess();
    fail(2);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(1);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void halfOpenLetsOneTrialThroughAndItsSuccessCloses() {
    fail(3);
    advance(OPEN);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isTrue();
    // closed again with a fresh count
    breaker.onFailure();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void aFailedTrialReopensForAnotherOpenDuration() {
    fail(3);
    advance(OPEN.plusSeconds(5));
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    advance(OPEN.minusMillis(1));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    advance(Duration.ofMillis(1));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void lateResultsOfCallsFromBeforeTheOpeningDoNotMoveAnOpenBreaker() {
    for (int i = 0; i < 5; i++) {
      assertThat(breaker.tryAcquire()).isTrue(); // five calls in flight
    }
    breaker.onFailure();
    breaker.onFailure();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    advance(OPEN.minusSeconds(1));
    breaker.onFailure(); // does not extend the open time
    breaker.onSuccess(); // does not close it either
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
  }

  @Test
  void aTrialThatNeverReportsDoesNotWedgeTheBreaker() {
    fail(3);
    advance(OPEN);
    assertThat(breaker.tryAcquire()).isTrue(); // the trial, never reported
    advance(OPEN.minusMillis(1));
    assertThat(breaker.tryAcquire()).isFalse();
    advance(Duration.ofMillis(1));
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void onlyOneOfManyConcurrentCallersGetsTheTrial() throws Exception {
    fail(3);
    advance(OPEN);
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> acquired = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        acquired.add(
            pool.submit(
                () -> {
                  go.await();
                  return breaker.tryAcquire();
                }));
      }
      go.countDown();
      int granted = 0;
      for (Future<Boolean> f : acquired) {
        granted += f.get(5, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(granted).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new CircuitBreaker("x", 0, OPEN, now::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CircuitBreaker("x", 1, Duration.ZERO, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
