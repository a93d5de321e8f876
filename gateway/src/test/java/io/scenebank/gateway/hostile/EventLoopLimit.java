package io.scenebank.gateway.hostile;

import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.VertxThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs Vert.x's blocked-thread checker at a short limit for event loops, for one Vert.x only: the
 * one the gateway creates (with {@code Vertx.vertx()}, no options) while {@link #during} runs.
 *
 * <p>The gateway's main code takes no Vert.x options, so the limit goes in through Vert.x's own
 * extension point: Vert.x asks {@link VertxServiceProvider}s (found with the thread's context class
 * loader) to initialise the options of every Vert.x it builds. {@link #during} offers this class as
 * such a provider, on the calling thread only and for one Vert.x only, so other gateways of the
 * test run keep Vert.x's defaults.
 */
public final class EventLoopLimit implements VertxServiceProvider {

  /** The Vert.x logger the checker reports through. */
  public static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  private static final String SERVICE = "META-INF/services/" + VertxServiceProvider.class.getName();
  private static final AtomicReference<Duration> ARMED = new AtomicReference<>();
  private static final AtomicReference<VertxOptions> APPLIED = new AtomicReference<>();

  /** Instantiated by Vert.x's service loader. */
  public EventLoopLimit() {}

  @Override
  public void init(VertxBootstrap bootstrap) {
    Duration limit = ARMED.getAndSet(null);
    if (limit == null) {
      return;
    }
    VertxOptions options = bootstrap.options();
    options
        .setMaxEventLoopExecuteTime(limit.toMillis())
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        // check often enough that a block just over the limit is seen
        .setBlockedThreadCheckInterval(Math.max(10, limit.toMillis() / 5))
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        // with a stack trace: what blocked is the useful part of the report
        .setWarningExceptionTime(limit.toMillis())
        .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
    // the event loops' scheduling statistics, to tell the machine's stalls from the loops' own
    VertxThreadFactory threads = bootstrap.threadFactory();
    bootstrap.threadFactory(
        StolenTime.recording(threads == null ? VertxThreadFactory.INSTANCE : threads));
    APPLIED.set(options);
  }

  /** The options the limit was applied to (null until a Vert.x was built under {@link #during}). */
  public static VertxOptions applied() {
    return APPLIED.get();
  }

  /** Runs {@code start} (which builds one Vert.x) with the event-loop limit armed. */
  public static <T> T during(Duration limit, Path workDir, Supplier<T> start) {
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    URL services = servicesFile(workDir);
    ARMED.set(limit);
    APPLIED.set(null);
    thread.setContextClassLoader(new Offering(original, services));
    try {
      return start.get();
    } finally {
      thread.setContextClassLoader(original);
      ARMED.set(null);
    }
  }

  private static URL servicesFile(Path workDir) {
    try {
      Path file = workDir.resolve("event-loop-limit.services");
      Files.writeString(file, EventLoopLimit.class.getName() + "\n", StandardCharsets.UTF_8);
      return file.toUri().toURL();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Delegates everything; adds this class to the Vert.x service providers. */
  private static final class Offering extends ClassLoader {
    private final URL services;

    Offering(ClassLoader parent, URL services) {
      super(parent);
      this.services = services;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      Enumeration<URL> found = super.getResources(name);
      if (!SERVICE.equals(name)) {
        return found;
      }
      List<URL> all = new ArrayList<>(Collections.list(found));
      all.add(services);
      return Collections.enumeration(all);
    }
  }
}
