package io.scenebank.gateway.time;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.support.Times;
import io.scenebank.gateway.tx.Cte;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The gateway's clock, as each app sees it. In production it is the real time. In the sandbox an
 * app may move its own clock forward ({@code advanceClock}) to see grace periods and expiries pass;
 * it never goes back. Business times (expiries, settlement, due dates) come from here.
 */
public final class AppClock {

  private final Mode mode;

  public AppClock(Mode mode) {
    this.mode = mode;
  }

  /** The app's current time. */
  public Future<OffsetDateTime> now(SqlClient client, String clientId) {
    return offsetSeconds(client, clientId).map(AppClock::at);
  }

  /** How far the app's clock is ahead of the real time (always 0 in production). */
  public Future<Long> offsetSeconds(SqlClient client, String clientId) {
    if (!mode.sandbox()) {
      return Future.succeededFuture(0L);
    }
    return client
        .preparedQuery("SELECT offset_seconds FROM app_clocks WHERE client_id = $1")
        .execute(Tuple.of(clientId))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }

  /**
   * Adds the app's clock offset in seconds (always 0 in production) to {@code cte}'s result as
   * {@code name}: the transaction reads its clock in the same round trip as its first checks.
   */
  public void offset(Cte cte, String name, String clientId) {
    if (mode.sandbox()) {
      cte.value(
          name,
          "coalesce((SELECT offset_seconds FROM app_clocks WHERE client_id = $1), 0)",
          clientId);
    } else {
      cte.value(name, "0::bigint");
    }
  }

  /** Moves the app's clock forward; returns the new offset. Sandbox only. */
  public Future<Long> advance(SqlClient client, String clientId, long seconds) {
    if (!mode.sandbox() || seconds <= 0) {
      throw new IllegalStateException("the clock only moves forward, in the sandbox");
    }
    return client
        .preparedQuery(
            "INSERT INTO app_clocks AS c (client_id, offset_seconds) VALUES ($1, $2)"
                + " ON CONFLICT (client_id) DO UPDATE"
                + " SET offset_seconds = c.offset_seconds + $2, updated_at = now()"
                + " RETURNING offset_seconds")
        .execute(Tuple.of(clientId, seconds))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** The time {@code offsetSeconds} ahead of now, in China Standard Time. */
  public static OffsetDateTime at(long offsetSeconds) {
    return OffsetDateTime.now(ZoneOffset.UTC)
        .plusSeconds(offsetSeconds)
        .withOffsetSameInstant(Times.CHINA);
  }

  /** The calendar day (China Standard Time) of a time. */
  public static LocalDate day(OffsetDateTime time) {
    return time.atZoneSameInstant(Times.CHINA).toLocalDate();
  }

  /**
   * SQL for an app's current time, for queries over many apps: {@code client} is the column or
   * parameter holding the client id.
   */
  public String nowSql(String client) {
    return mode.sandbox()
        ? "(now() + make_interval(secs => coalesce((SELECT offset_seconds FROM app_clocks"
            + " WHERE client_id = "
            + client
            + "), 0)))"
        : "now()";
  }
}
