package io.scenebank.gateway.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.scenebank.gateway.log.JsonLayout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Captures log lines exactly as the gateway writes them (the JSON layout runs on the logging
 * thread, as with the console appender). Close it to detach.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final JsonLayout layout = new JsonLayout();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger root;

  public LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    setContext(context);
    layout.setContext(context);
    layout.start();
    start();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(this);
  }

  @Override
  protected void append(ILoggingEvent event) {
    lines.add(layout.doLayout(event));
  }

  /**
   * Waits (up to 5 s) for a line matching the condition: some lines, such as the access log, are
   * written just after the client has its response.
   */
  public String await(java.util.function.Predicate<String> condition) {
    return awaitLine(() -> {}, condition, 5, 20);
  }

  /**
   * Repeats {@code action} (which checks its own outcome) until a line matches the condition, for
   * up to 30 s: for lines written only by a later attempt (e.g. a retry every 5 seconds).
   */
  public String awaitRepeating(Runnable action, java.util.function.Predicate<String> condition) {
    return awaitLine(action, condition, 30, 200);
  }

  private String awaitLine(
      Runnable action,
      java.util.function.Predicate<String> condition,
      long seconds,
      long pauseMillis) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      action.run();
      for (String line : lines) {
        if (condition.test(line)) {
          return line;
        }
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no log line matched; captured:\n" + String.join("", lines));
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
