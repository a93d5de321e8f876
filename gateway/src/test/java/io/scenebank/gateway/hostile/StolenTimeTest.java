package io.scenebank.gateway.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** What {@link HostileInputTest} subtracts from the checker's reports is really measured. */
class StolenTimeTest {

  private static final long DEADLINE_MS = TimeUnit.SECONDS.toMillis(60);

  @Test
  void aLoopWaitingForACpu_isMeasured_andItsBlockIsTheMachines() throws Exception {
    assumeTrue(StolenTime.schedstatAvailable(), "this kernel keeps no schedstat");
    String name = "stolen-time-test-loop";
    AtomicBoolean spin = new AtomicBoolean(true);
    List<Thread> spinners = new ArrayList<>();
    try (StolenTime stolen = StolenTime.start()) {
      long from = System.currentTimeMillis();
      // one "loop" that registers itself, and more busy threads than there are CPUs: the loop
      // must wait for a CPU, and the kernel counts the wait
      Thread loop =
          new Thread(
              () -> {
                StolenTime.register(name);
                busy(spin);
              },
              name);
      spinners.add(loop);
      for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors() + 1; i++) {
        spinners.add(new Thread(() -> busy(spin), "stolen-time-test-spinner-" + i));
      }
      spinners.forEach(Thread::start);

      long waited = waitFor(() -> stolen.stolenMillis(name, from, System.currentTimeMillis()), 150);
      assertThat(waited).as("ms the loop waited for a CPU, as sampled").isGreaterThanOrEqualTo(150);

      // a checker report of a block over that interval is the loop's own time less the wait; the
      // same report about a loop that was not sampled keeps its whole block
      long end = System.currentTimeMillis();
      long ms = end - from;
      assertThat(HostileInputTest.ownMillis(report(name, ms, end), stolen))
          .isLessThanOrEqualTo(ms - waited);
      assertThat(HostileInputTest.ownMillis(report("vert.x-eventloop-thread-9", ms, end), stolen))
          .isEqualTo(ms - stolen.stolenMillis("vert.x-eventloop-thread-9", from, end));
    } finally {
      spin.set(false);
      for (Thread t : spinners) {
        t.join();
      }
    }
  }

  @Test
  void aCollectorPause_isMeasured() throws Exception {
    try (StolenTime stolen = StolenTime.start()) {
      int before = stolen.pausesSeen();
      System.gc(); // a full collection: every Java thread stops
      waitFor(() -> stolen.pausesSeen() - before, 1);
      assertThat(stolen.pausesSeen()).isGreaterThan(before);
    }
  }

  @Test
  void aReportThatCannotBeRead_countsInFull() {
    try (StolenTime stolen = StolenTime.start()) {
      assertThat(HostileInputTest.isOwnTime("not json", stolen)).isTrue();
      assertThat(HostileInputTest.isOwnTime("{\"msg\":\"something else\"}", stolen)).isTrue();
    }
  }

  @Test
  void aBlockInTheClassLoader_isTheJvmsFirstUse_butNotBelowTheGatewaysCode() {
    assertThat(
            HostileInputTest.isLinking(
                withStack(
                    "java.io.FileInputStream.readBytes(Native Method)",
                    "jdk.internal.loader.BuiltinClassLoader.defineClass(BuiltinClassLoader.java:859)",
                    "java.lang.ClassLoader.loadClass(ClassLoader.java:525)",
                    "io.scenebank.gateway.security.Nonces.record(Nonces.java:51)")))
        .isTrue();
    assertThat(
            HostileInputTest.isLinking(
                withStack(
                    "java.util.regex.Pattern$Loop.match(Pattern.java:5046)",
                    "io.scenebank.gateway.http.Validation.check(Validation.java:10)",
                    "java.lang.ClassLoader.loadClass(ClassLoader.java:525)")))
        .as("the gateway's own code on top of the stack")
        .isFalse();
    assertThat(HostileInputTest.isLinking("not json")).isFalse();
  }

  private static String withStack(String... frames) {
    StringBuilder stack = new StringBuilder("io.vertx.core.VertxException: Thread blocked");
    for (String f : frames) {
      stack.append("\n\tat ").append(f);
    }
    return new io.vertx.core.json.JsonObject()
        .put("msg", "Thread vert.x-eventloop-thread-0 has been blocked for 150 ms")
        .put("error", new io.vertx.core.json.JsonObject().put("stack", stack.toString()))
        .encode();
  }

  private static String report(String thread, long ms, long endMillis) {
    return new io.vertx.core.json.JsonObject()
        .put("ts", java.time.Instant.ofEpochMilli(endMillis).toString())
        .put(
            "msg", "Thread " + thread + " has been blocked for " + ms + " ms, time limit is 100 ms")
        .encode();
  }

  private static void busy(AtomicBoolean spin) {
    long x = 0;
    while (spin.get()) {
      x += System.nanoTime() & 1;
    }
    if (x == 42) {
      System.out.print(""); // keeps the loop from being optimised away
    }
  }

  /** Polls until the value reaches {@code atLeast}; returns the last value seen. */
  private static long waitFor(LongSupplier value, long atLeast) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    long seen = value.getAsLong();
    while (seen < atLeast && System.currentTimeMillis() < deadline) {
      Thread.sleep(StolenTime.SAMPLE_EVERY_MS);
      seen = value.getAsLong();
    }
    return seen;
  }
}
