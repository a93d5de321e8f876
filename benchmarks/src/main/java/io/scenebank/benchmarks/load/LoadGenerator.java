package io.scenebank.benchmarks.load;

import io.scenebank.sdk.Environment;
import io.scenebank.sdk.Sandbox;
import io.scenebank.sdk.SandboxCredentials;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator for the gateway: {@code threads} callers, each sending one
 * authenticated, signed request after another ({@code GET /v1/client/keys}, through the SDK, so
 * every request is signed and every response verified) for the given time after a warm-up. Prints
 * requests per second and latency percentiles.
 *
 * <p>Usage: {@code LoadGenerator <gateway URL> [seconds=30] [threads=16] [algorithm=ed25519]}. The
 * gateway's per-app rate limit must be above the rate measured (start it with {@code
 * SCENEBANK_RATE_LIMIT_PER_SECOND=100000 SCENEBANK_RATE_LIMIT_BURST=100000}).
 */
public final class LoadGenerator {

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://localhost:8080";
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    SignatureAlgorithm algorithm =
        args.length > 3
            ? SignatureAlgorithm.fromHttpName(args[3]).orElseThrow()
            : SignatureAlgorithm.ED25519;
    Environment environment = Environment.custom(url);
    SandboxCredentials credentials =
        Sandbox.signUp(environment, "Load test", "load@bank.example", "loadgen", algorithm);
    ScenebankClient client = credentials.client();

    System.out.printf("warming up (%d threads, %s, %s)...%n", threads, algorithm.httpName(), url);
    run(client, threads, Duration.ofSeconds(Math.max(5, seconds / 3)));
    Result result = run(client, threads, Duration.ofSeconds(seconds));
    long[] latencies = result.latenciesMicros;
    Arrays.sort(latencies);
    System.out.printf(
        "%d requests in %d s with %d threads: %.0f requests/s, %d errors%n",
        result.count, seconds, threads, result.count / (double) seconds, result.errors);
    System.out.printf(
        "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
        percentile(latencies, 0.50) / 1000.0,
        percentile(latencies, 0.90) / 1000.0,
        percentile(latencies, 0.99) / 1000.0,
        latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1000.0);
  }

  private static final class Result {
    long count;
    long errors;
    long[] latenciesMicros;
  }

  private static Result run(ScenebankClient client, int threads, Duration duration)
      throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong errors = new AtomicLong();
    List<long[]> perThread = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      long[] samples = new long[500_000];
      int[] count = new int[1];
      perThread.add(samples);
      counts.add(count);
      Thread thread =
          new Thread(
              () -> {
                try {
                  while (running.get()) {
                    long start = System.nanoTime();
                    try {
                      client.clientKeys().list();
                    } catch (RuntimeException e) {
                      errors.incrementAndGet();
                    }
                    if (count[0] < samples.length) {
                      samples[count[0]++] = (System.nanoTime() - start) / 1000;
                    }
                  }
                } finally {
                  done.countDown();
                }
              },
              "load-" + t);
      thread.start();
    }
    Thread.sleep(duration.toMillis());
    running.set(false);
    done.await();
    Result result = new Result();
    int total = 0;
    for (int[] c : counts) {
      total += c[0];
    }
    result.latenciesMicros = new long[total];
    int at = 0;
    for (int i = 0; i < threads; i++) {
      System.arraycopy(perThread.get(i), 0, result.latenciesMicros, at, counts.get(i)[0]);
      at += counts.get(i)[0];
    }
    result.count = total;
    result.errors = errors.get();
    return result;
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
