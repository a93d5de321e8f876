package io.scenebank.gateway.db;

import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a database that cannot be reached (down, restarting, failing over, out of connections) from
 * a statement that failed on its own. The first is answered {@code 503} with {@code Retry-After}:
 * the caller retries with the same idempotency key and gets either the stored answer or a fresh
 * run, never a second effect.
 */
public final class DatabaseFailures {

  private DatabaseFailures() {}

  /** True if {@code failure} (or one of its causes) means the database could not be reached. */
  public static boolean unavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ClosedConnectionException || t instanceof TimeoutException) {
        return true;
      }
      if (t instanceof IOException) {
        return true; // the connection broke: reset, broken pipe, closed
      }
      if (t instanceof VertxException
          && t.getMessage() != null
          && t.getMessage().startsWith("Connection is not active now")) {
        return true; // the pool handed out a connection its server had just closed (failover)
      }
      if (t instanceof DatabaseException db && unavailableState(db.getSqlState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Connection exceptions (class 08), the server shutting down, crashed or still starting (57P01 to
   * 57P03), too many connections (53300), and a standby that cannot take writes (25006, while a
   * failover is under way).
   */
  private static boolean unavailableState(String state) {
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03")
            || state.equals("53300")
            || state.equals("25006"));
  }
}
