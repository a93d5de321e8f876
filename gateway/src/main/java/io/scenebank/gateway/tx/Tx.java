package io.scenebank.gateway.tx;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * An open transaction on one connection. {@link #send} does not wait for the answers of statements
 * sent before it: everything a step sends goes to PostgreSQL together, in one round trip
 * (vertx-pg-client pipelines them, in order).
 */
public final class Tx {

  private final SqlConnection connection;
  private final String clientId;
  private final Future<OffsetDateTime> now;
  private final List<Runnable> afterCommit = new ArrayList<>();

  Tx(SqlConnection connection, String clientId, Future<OffsetDateTime> now) {
    this.connection = connection;
    this.clientId = clientId;
    this.now = now;
  }

  /** Sends a statement now; its answer comes in order with the others. */
  public Future<RowSet<Row>> send(Statement statement) {
    return connection.preparedQuery(statement.sql()).execute(statement.args());
  }

  /** Sends a statement built as parts; what it asks to run after commit runs after this one's. */
  public Future<RowSet<Row>> send(Cte cte) {
    afterCommit(cte::committed);
    return send(cte.statement());
  }

  /** Sends a statement now; its answer comes in order with the others. */
  public Future<RowSet<Row>> send(String sql, Object... args) {
    return send(Statement.of(sql, args));
  }

  /** The calling app (every row the transaction touches must be the app's). */
  public String clientId() {
    return clientId;
  }

  /** The app's clock at the start of the transaction (read in the first round trip). */
  public Future<OffsetDateTime> now() {
    return now;
  }

  /** Runs {@code action} once the transaction has committed (never if it rolls back). */
  public void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  void committed() {
    afterCommit.forEach(Runnable::run);
  }
}
