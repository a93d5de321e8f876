package io.scenebank.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.scenebank.gateway.config.Config;
import io.scenebank.gateway.config.ConfigException;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the gateway from the environment (and {@code --config FILE}); stops it on SIGTERM. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    Config config;
    try {
      config = Config.load(System.getenv(), args);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(config.logLevel()));

    // the hook is in place before anything starts, so a SIGTERM at any moment stops cleanly
    Future<Gateway> starting = Gateway.start(config);
    long waitSeconds = config.shutdownDrain().toSeconds() + config.shutdownGrace().toSeconds() + 30;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    starting
                        .await(120, TimeUnit.SECONDS)
                        .stop()
                        .await(waitSeconds, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    if (starting.succeeded()) {
                      LOG.error("unclean shutdown", e);
                    }
                  } finally {
                    logging.stop();
                  }
                },
                "scenebank-shutdown"));
    try {
      starting.await();
    } catch (Exception e) {
      System.exit(1); // the cause is logged by the gateway
    }
  }
}
