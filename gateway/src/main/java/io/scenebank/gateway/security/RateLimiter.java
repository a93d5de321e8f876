package io.scenebank.gateway.security;

import io.scenebank.gateway.http.Problem;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per key (an app, or a client address for public endpoints), in this instance: a
 * fleet of N instances admits up to N times the rate. A bucket refills at {@code perSecond} up to
 * {@code burst}; an empty bucket answers {@code 429 rate_limited} with {@code Retry-After}.
 */
public final class RateLimiter {

  private static final int MAX_BUCKETS = 100_000;

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
    this.perSecond = perSecond;
    this.burst = Math.max(burst, 1);
  }

  /** Takes one token for the key, or throws the 429 problem. */
  public void acquire(String key) {
    long now = System.nanoTime();
    if (buckets.size() > MAX_BUCKETS) {
      buckets.clear(); // a flood of distinct keys: forget them rather than grow without bound
    }
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    double wait;
    synchronized (bucket) {
      double refill = (now - bucket.refilledAt) / 1e9 * perSecond;
      bucket.tokens = Math.min(burst, bucket.tokens + refill);
      bucket.refilledAt = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      wait = (1 - bucket.tokens) / perSecond;
    }
    long retryAfter = Math.max(1, (long) Math.ceil(wait));
    throw new Problem(
            429,
            "rate_limited",
            "Too many requests",
            "The rate limit of this client is reached; retry after " + retryAfter + " s.")
        .withHeader("Retry-After", Long.toString(retryAfter));
  }
}
