package io.scenebank.gateway.bills.connector;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker for one biller. {@link State#CLOSED}: calls go through; after {@code
 * failureThreshold} consecutive failures (timeout, unavailable, malformed) it opens. {@link
 * State#OPEN}: calls are refused without reaching the biller, for {@code openDuration}. Then {@link
 * State#HALF_OPEN}: one trial call goes through; its success closes the breaker, its failure opens
 * it again for another {@code openDuration}. A business answer (no dues, unknown account, rejected)
 * is a success.
 *
 * <p>Callers ask {@link #tryAcquire()} before each call and report it with {@link #onSuccess()} or
 * {@link #onFailure()}. Results of calls that started before the breaker opened do not move an open
 * breaker. A trial that never reports (a bug) does not wedge it: after another {@code openDuration}
 * the next call becomes the trial. Thread-safe; time comes from a monotonic nanosecond source, so
 * tests can move it.
 */
public final class CircuitBreaker {

  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

  /** Whether calls go through. */
  public enum State {
    /** Calls go through. */
    CLOSED,
    /** Calls are refused. */
    OPEN,
    /** The open duration has passed: one trial call goes through. */
    HALF_OPEN
  }

  private final String name;
  private final int failureThreshold;
  private final long openNanos;
  private final LongSupplier nanoTime;

  private State state = State.CLOSED;
  private int failures;
  private long openedAt;
  private boolean trial;
  private long trialAt;

  /** A breaker on the system's monotonic clock. */
  public CircuitBreaker(String name, int failureThreshold, Duration openDuration) {
    this(name, failureThreshold, openDuration, System::nanoTime);
  }

  /**
   * @param name the biller's name, for the logs
   * @param nanoTime a monotonic time in nanoseconds, like {@link System#nanoTime()}
   */
  public CircuitBreaker(
      String name, int failureThreshold, Duration openDuration, LongSupplier nanoTime) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be at least 1");
    }
    if (openDuration.isNegative() || openDuration.isZero()) {
      throw new IllegalArgumentException("openDuration must be positive");
    }
    this.name = Objects.requireNonNull(name, "name");
    this.failureThreshold = failureThreshold;
    this.openNanos = openDuration.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** The biller's name. */
  public String name() {
    return name;
  }

  /** The current state; an open breaker whose open duration has passed is half-open. */
  public synchronized State state() {
    if (state == State.OPEN && nanoTime.getAsLong() - openedAt >= openNanos) {
      return State.HALF_OPEN;
    }
    return state;
  }

  /**
   * Whether a call may go to the biller now. When half-open, true for one trial call only; every
   * call it lets through must be reported by {@link #onSuccess()} or {@link #onFailure()}.
   */
  public synchronized boolean tryAcquire() {
    long now = nanoTime.getAsLong();
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (now - openedAt < openNanos) {
          return false;
        }
        state = State.HALF_OPEN;
        break;
      case HALF_OPEN:
        if (trial && now - trialAt < openNanos) {
          return false;
        }
        break;
      default:
        throw new IllegalStateException(state.name());
    }
    trial = true;
    trialAt = now;
    return true;
  }

  /** Reports a call that got a usable answer, business refusals included. */
  public void onSuccess() {
    boolean closed;
    synchronized (this) {
      if (state == State.OPEN) {
        return; // a call from before the breaker opened
      }
      closed = state == State.HALF_OPEN;
      state = State.CLOSED;
      failures = 0;
      trial = false;
    }
    if (closed) {
      LOG.atInfo().addKeyValue("biller", name).log("biller circuit closed");
    }
  }

  /** Reports a call that timed out, could not reach the biller, or got an unusable answer. */
  public void onFailure() {
    synchronized (this) {
      switch (state) {
        case OPEN:
          return; // a call from before the breaker opened: it does not extend the open time
        case CLOSED:
          if (++failures < failureThreshold) {
            return;
          }
          break;
        case HALF_OPEN:
          break;
        default:
          throw new IllegalStateException(state.name());
      }
      state = State.OPEN;
      openedAt = nanoTime.getAsLong();
      trial = false;
      failures = 0;
    }
    LOG.atWarn()
        .addKeyValue("biller", name)
        .addKeyValue("open_ms", openNanos / 1_000_000)
        .log("biller circuit opened");
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + name + ", " + state() + "]";
  }
}
