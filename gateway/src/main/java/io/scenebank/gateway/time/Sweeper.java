package io.scenebank.gateway.time;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs every {@link TimeDriven} job: periodically for all apps, or at once for one app. */
public final class Sweeper {

  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

  private final Vertx vertx;
  private final List<TimeDriven> jobs;
  private final Duration period;
  private final AtomicBoolean running = new AtomicBoolean();
  private long timer = -1;

  public Sweeper(Vertx vertx, List<TimeDriven> jobs, Duration period) {
    this.vertx = vertx;
    this.jobs = List.copyOf(jobs);
    this.period = period;
  }

  public void start() {
    timer = vertx.setPeriodic(period.toMillis(), t -> sweepAll());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Runs the jobs for one app, one after the other; fails if one fails. */
  public Future<Void> runFor(String clientId) {
    Future<Void> done = Future.succeededFuture();
    for (TimeDriven job : jobs) {
      done = done.compose(v -> job.runDue(clientId));
    }
    return done;
  }

  private void sweepAll() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    runFor(null)
        .onFailure(e -> LOG.warn("a time-driven job failed; it runs again next period", e))
        .onComplete(ar -> running.set(false));
  }
}
