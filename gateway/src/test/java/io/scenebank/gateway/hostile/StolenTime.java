package io.scenebank.gateway.hostile;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.vertx.core.impl.VertxThread;
import io.vertx.core.spi.VertxThreadFactory;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Time the machine took from the gateway's event loops, as opposed to time they spent on their own
 * work: what Vert.x's blocked-thread checker cannot tell apart, because it measures wall time.
 *
 * <p>Two kinds are measured. While an event-loop thread was ready to run but waited for a CPU (the
 * test, the database and the gateway share two cores), Linux adds to its {@code run_delay} in
 * {@code /proc/<pid>/task/<tid>/schedstat}; a sampler reads it every {@link #SAMPLE_EVERY_MS} ms.
 * While the collector stopped every Java thread, the JVM reports the pause. Neither counts time the
 * loop spent blocked in a call it should not make (a blocking read, a lock, a sleep): that is the
 * loop's own time, as it should be.
 *
 * <p>The threads are found as they start, through a Vert.x thread factory ({@link #recording}).
 * Where the kernel keeps no scheduling statistics, only collector pauses are subtracted.
 */
final class StolenTime implements AutoCloseable {

  static final long SAMPLE_EVERY_MS = 5;

  /** Thread name to its schedstat file, for the event loops of Vert.x instances built here. */
  private static final Map<String, Path> SCHEDSTAT = new ConcurrentHashMap<>();

  private final Map<String, Samples> samples = new ConcurrentHashMap<>();
  private final List<long[]> pauses = new CopyOnWriteArrayList<>();
  private final List<Runnable> unlisten = new ArrayList<>();
  private final Thread sampler;
  private volatile boolean running = true;

  private StolenTime() {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        NotificationListener listener = (n, handback) -> recordPause(n, jvmStart);
        emitter.addNotificationListener(listener, null, null);
        unlisten.add(
            () -> {
              try {
                emitter.removeNotificationListener(listener);
              } catch (javax.management.ListenerNotFoundException e) {
                // already gone
              }
            });
      }
    }
    sampler = new Thread(this::sample, "stolen-time-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Starts measuring (the sampler and the collector's pauses) until {@link #close}. */
  static StolenTime start() {
    return new StolenTime();
  }

  /** Whether this kernel keeps the scheduling statistics the sampler reads. */
  static boolean schedstatAvailable() {
    return Files.isReadable(Path.of("/proc/thread-self/schedstat"));
  }

  /** A thread factory that, as each event-loop thread starts, finds its schedstat file. */
  static VertxThreadFactory recording(VertxThreadFactory base) {
    return new VertxThreadFactory() {
      @Override
      public VertxThread newVertxThread(
          Runnable target, String name, boolean worker, long maxExecTime, TimeUnit unit) {
        Runnable recorded =
            worker
                ? target
                : () -> {
                  register(name);
                  target.run();
                };
        return base.newVertxThread(recorded, name, worker, maxExecTime, unit);
      }
    };
  }

  /** Records the calling thread's schedstat file under {@code name}. */
  static void register(String name) {
    try {
      // "/proc/thread-self" links to "<pid>/task/<tid>" of whichever thread reads it
      Path task = Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")));
      Path file = task.resolve("schedstat");
      if (Files.isReadable(file)) {
        SCHEDSTAT.put(name, file);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // no schedstat on this system: only the collector's pauses are subtracted
    }
  }

  /**
   * Milliseconds the machine took from {@code thread} between the two wall-clock instants: its wait
   * for a CPU, as sampled inside the interval (never more than happened), plus every collector
   * pause overlapping it.
   */
  long stolenMillis(String thread, long fromMillis, long toMillis) {
    long waited = 0;
    Samples s = samples.get(thread);
    if (s != null) {
      waited = s.runDelayBetween(fromMillis, toMillis) / 1_000_000;
    }
    long paused = 0;
    for (long[] p : pauses) {
      paused += Math.max(0, Math.min(p[1], toMillis) - Math.max(p[0], fromMillis));
    }
    return waited + paused;
  }

  /** Collector pauses seen since {@link #start}. */
  int pausesSeen() {
    return pauses.size();
  }

  /** Threads the sampler has read. */
  java.util.Set<String> sampledThreads() {
    return samples.keySet();
  }

  @Override
  public void close() {
    running = false;
    unlisten.forEach(Runnable::run);
    LockSupport.unpark(sampler);
  }

  private void sample() {
    while (running) {
      long now = System.currentTimeMillis();
      SCHEDSTAT.forEach(
          (name, file) -> {
            long delay = runDelay(file);
            if (delay >= 0) {
              samples.computeIfAbsent(name, n -> new Samples()).add(now, delay);
            }
          });
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SAMPLE_EVERY_MS));
    }
  }

  /** The second field of schedstat: nanoseconds spent runnable but waiting for a CPU. */
  private static long runDelay(Path file) {
    try {
      String[] fields = Files.readString(file).trim().split("\\s+");
      return Long.parseLong(fields[1]);
    } catch (IOException | RuntimeException e) {
      return -1; // the thread has ended
    }
  }

  private void recordPause(Notification n, long jvmStart) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    // concurrent cycles run beside the application threads; only the pauses stop them
    if (info.getGcName().contains("Concurrent") || info.getGcAction().contains("concurrent")) {
      return;
    }
    long start = jvmStart + info.getGcInfo().getStartTime();
    long end = jvmStart + info.getGcInfo().getEndTime();
    pauses.add(new long[] {start, end});
  }

  /** One thread's samples in time order: wall-clock millis and cumulative run delay (ns). */
  static final class Samples {
    private long[] at = new long[1024];
    private long[] delay = new long[1024];
    private int size;

    synchronized void add(long atMillis, long runDelayNanos) {
      if (size == at.length) {
        at = java.util.Arrays.copyOf(at, size * 2);
        delay = java.util.Arrays.copyOf(delay, size * 2);
      }
      at[size] = atMillis;
      delay[size] = runDelayNanos;
      size++;
    }

    /** Run delay between the first and the last sample inside [from, to]; 0 without two. */
    synchronized long runDelayBetween(long fromMillis, long toMillis) {
      int first = -1;
      int last = -1;
      for (int i = 0; i < size; i++) {
        if (at[i] >= fromMillis && at[i] <= toMillis) {
          if (first < 0) {
            first = i;
          }
          last = i;
        }
      }
      return first < 0 ? 0 : delay[last] - delay[first];
    }
  }
}
