package io.scenebank.gateway.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/** Sends requests all at once, released together, and collects their answers. */
public final class Concurrently {

  private Concurrently() {}

  public static List<Http.Response> run(int count, IntFunction<Http.Response> call) {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Http.Response>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return call.apply(n);
                }));
      }
      start.countDown();
      List<Http.Response> responses = new ArrayList<>();
      for (Future<Http.Response> future : futures) {
        responses.add(future.get());
      }
      return responses;
    } catch (Exception e) {
      throw new AssertionError("a concurrent request failed", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** How many answers had each status. */
  public static Map<Integer, Long> statuses(List<Http.Response> responses) {
    return responses.stream()
        .collect(Collectors.groupingBy(Http.Response::status, Collectors.counting()));
  }
}
