package io.scenebank.gateway.security;

import io.scenebank.gateway.http.Problem;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token buckets per key (an app, or a client address for public endpoints), in this instance: a
 * fleet of N instances admits up to N times the rate. A bucket refills at {@code perSecond} up to
 * {@code burst}; an empty bucket answers {@code 429 rate_limited} with {@code Retry-After}.
 */
public final class RateLimiter {

  private static final int MAX_BUCKETS = 100_000;
  private static final String OVERFLOW = "\u0000overflow";
  private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

  private final int maxBuckets;
  private final AtomicLong lastSweep = new AtomicLong(System.nanoTime() - SWEEP_EVERY_NANOS);
  private final double perSecond;
  private final double burst;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }
  }

  public RateLimiter(int perSecond, int burst) {
    this(perSecond, burst, MAX_BUCKETS);
  }

  RateLimiter(int perSecond, int burst, int maxBuckets) {
    this.maxBuckets = maxBuckets;
    this.perSecond = perSecond;
    this.burst = Math.max(burst, 1);
  }

  /** Whether the key's bucket is empty now (without taking anything). */
  public boolean exhausted(String key) {
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      return false;
    }
    long now = System.nanoTime();
    synchronized (bucket) {
      return bucket.tokens + (now - bucket.refilledAt) / 1e9 * perSecond < 1;
    }
  }

  /** Takes one token for the key if there is one (an event to count, not a request to refuse). */
  public void record(String key) {
    try {
      acquire(key);
    } catch (Problem empty) {
      // already empty: nothing more to count
    }
  }

  /** The 429 for a key whose bucket is empty. */
  public Problem refusal() {
    return limited(Math.max(1, (long) Math.ceil(1 / perSecond)));
  }

  /**
   * Takes one token for the key, or throws the 429 problem; returns the whole tokens left (what the
   * {@code RateLimit} header reports).
   */
  public long acquire(String key) {
    long now = System.nanoTime();
    if (buckets.size() >= maxBuckets && !buckets.containsKey(key)) {
      // a flood of distinct keys: forget only the buckets that are full again (they hold no
      // information), at most once a second; if none is, newcomers share one bucket, so that
      // nobody's limit is ever reset by someone else's traffic
      sweep(now);
      if (buckets.size() >= maxBuckets) {
        key = OVERFLOW;
      }
    }
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    double wait;
    synchronized (bucket) {
      double refill = (now - bucket.refilledAt) / 1e9 * perSecond;
      bucket.tokens = Math.min(burst, bucket.tokens + refill);
      bucket.refilledAt = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return (long) Math.floor(bucket.tokens);
      }
      wait = (1 - bucket.tokens) / perSecond;
    }
    long retryAfter = Math.max(1, (long) Math.ceil(wait));
    throw limited(retryAfter);
  }

  /** The {@code RateLimit-Policy} value: {@code q} at once, refilled over {@code w} seconds. */
  public String policy(String name) {
    return "\""
        + name
        + "\";q="
        + (long) burst
        + ";w="
        + Math.max(1, (long) Math.ceil(burst / perSecond));
  }

  /** The {@code RateLimit} value: {@code r} left now, whole again in {@code t} seconds. */
  public String standing(String name, long remaining) {
    long full = (long) Math.ceil((burst - remaining) / perSecond);
    return "\"" + name + "\";r=" + remaining + ";t=" + Math.max(0, full);
  }

  private void sweep(long now) {
    long last = lastSweep.get();
    if (now - last < SWEEP_EVERY_NANOS || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    buckets
        .entrySet()
        .removeIf(
            e -> {
              synchronized (e.getValue()) {
                double refill = (now - e.getValue().refilledAt) / 1e9 * perSecond;
                return e.getValue().tokens + refill >= burst;
              }
            });
  }

  private static Problem limited(long retryAfter) {
    return new Problem(
            429,
            "rate_limited",
            "Too many requests",
            "The rate limit of this client is reached; retry after " + retryAfter + " s.")
        .withHeader("Retry-After", Long.toString(retryAfter));
  }
}
