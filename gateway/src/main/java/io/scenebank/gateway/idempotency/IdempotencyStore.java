package io.scenebank.gateway.idempotency;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.tx.Cte;
import io.scenebank.gateway.tx.Guard;
import io.scenebank.gateway.tx.Statement;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.function.Function;

/**
 * Idempotency records in PostgreSQL, shared by every instance: per client and key, the request's
 * hash, whether it is still being processed, and the stored answer. Records live 24 hours.
 */
public final class IdempotencyStore {

  /** What {@link #begin} found. */
  public sealed interface Outcome {}

  /** First time (or the earlier attempt was abandoned): go ahead. */
  public record Proceed() implements Outcome {}

  /** Done before with the same request: here is the answer. */
  public record Replay(int status, String contentType, Buffer body) implements Outcome {}

  /** The same request is being processed right now. */
  public record InFlight() implements Outcome {}

  /** The key was used for a different request. */
  public record Reused() implements Outcome {}

  private final Pool pool;
  private final Duration lock;

  /**
   * @param lock how long an unfinished attempt holds the key; after that (the instance died) a
   *     retry may take over
   */
  public IdempotencyStore(Pool pool, Duration lock) {
    this.pool = pool;
    this.lock = lock;
  }

  /** What the operation itself answered; anything else changed nothing and may be retried. */
  public static boolean storable(int status) {
    return (status >= 200 && status < 300) || status == 404 || status == 409 || status == 422;
  }

  /** The problem for an outcome that is neither a go-ahead nor a replay. */
  public static Problem problem(Outcome outcome) {
    if (outcome instanceof InFlight) {
      return Problem.conflict(
              "idempotency_in_flight",
              "A request with this Idempotency-Key is still being processed; retry shortly.")
          .withHeader("Retry-After", "1");
    }
    return Problem.unprocessable(
        "idempotency_key_reused",
        "This Idempotency-Key was used for a different request (method, path or body) in the"
            + " last 24 hours.");
  }

  // ----------------------------------------------- inside the operation's transaction

  /**
   * Adds the claim of {@code claim}'s key to {@code cte} as part {@code name}: one row if this
   * request may go ahead (the key is new, or its record has expired). A request with the same key
   * in flight makes this wait until it commits or rolls back. With {@code after}, only if that part
   * returned a row (the nonce was fresh).
   */
  public void claimPart(Cte cte, String name, String clientId, Guard.Claim claim, String after) {
    cte.part(
        name,
        "INSERT INTO idempotency_keys AS i (client_id, idempotency_key, request_hash, state,"
            + " locked_until, expires_at)"
            + " SELECT $1, $2, $3, 'IN_FLIGHT', now(), now() + interval '24 hours'"
            + (after == null ? "" : " WHERE EXISTS (SELECT 1 FROM " + after + ")")
            + " ON CONFLICT (client_id, idempotency_key) DO UPDATE SET"
            + " request_hash = EXCLUDED.request_hash, state = 'IN_FLIGHT',"
            + " locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at,"
            + " created_at = now(), response_status = NULL, response_type = NULL,"
            + " response_body = NULL WHERE i.expires_at < now()"
            + " RETURNING 1",
        clientId,
        claim.key(),
        Buffer.buffer(claim.requestHash()));
  }

  /** Adds the storing of the answer, in the transaction that claimed the key. */
  public void answerPart(
      Cte cte, String clientId, Guard.Claim claim, int status, String type, Buffer body) {
    cte.part(
        cte.name("answer"),
        "UPDATE idempotency_keys SET state = 'DONE', response_status = $3, response_type = $4,"
            + " response_body = $5 WHERE client_id = $1 AND idempotency_key = $2 RETURNING 1",
        clientId,
        claim.key(),
        status,
        type,
        body);
  }

  /** What is stored for the key (read in the transaction that found it claimed). */
  public Future<Outcome> stored(
      Function<Statement, Future<RowSet<Row>>> send, String clientId, Guard.Claim claim) {
    return send.apply(
            Statement.of(
                "SELECT request_hash, state, response_status, response_type, response_body"
                    + " FROM idempotency_keys WHERE client_id = $1 AND idempotency_key = $2",
                clientId,
                claim.key()))
        .map(rows -> outcome(rows, claim.requestHash()));
  }

  public Future<Outcome> begin(String clientId, String key, byte[] requestHash) {
    return pool.preparedQuery(
            "INSERT INTO idempotency_keys AS i (client_id, idempotency_key, request_hash, state,"
                + " locked_until, expires_at)"
                + " VALUES ($1, $2, $3, 'IN_FLIGHT', now() + make_interval(secs => $4),"
                + " now() + interval '24 hours')"
                + " ON CONFLICT (client_id, idempotency_key) DO UPDATE SET"
                + " request_hash = EXCLUDED.request_hash, state = 'IN_FLIGHT',"
                + " locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at,"
                + " created_at = now(), response_status = NULL, response_type = NULL,"
                + " response_body = NULL"
                + " WHERE i.expires_at < now()"
                + " OR (i.state = 'IN_FLIGHT' AND i.locked_until < now()"
                + " AND i.request_hash = EXCLUDED.request_hash)"
                + " RETURNING 1")
        .execute(Tuple.of(clientId, key, Buffer.buffer(requestHash), (double) lock.toSeconds()))
        .compose(
            claimed ->
                claimed.size() > 0
                    ? Future.succeededFuture(new Proceed())
                    : existing(clientId, key, requestHash));
  }

  private Future<Outcome> existing(String clientId, String key, byte[] requestHash) {
    return pool.preparedQuery(
            "SELECT request_hash, state, response_status, response_type, response_body"
                + " FROM idempotency_keys WHERE client_id = $1 AND idempotency_key = $2")
        .execute(Tuple.of(clientId, key))
        .map(rows -> outcome(rows, requestHash));
  }

  private static Outcome outcome(RowSet<Row> rows, byte[] requestHash) {
    if (rows.size() == 0) {
      // deleted between the two statements (a failed attempt released it): the caller retries
      // shortly, as with any request in flight
      return new InFlight();
    }
    Row row = rows.iterator().next();
    if (!Buffer.buffer(requestHash).equals(row.getBuffer("request_hash"))) {
      return new Reused();
    }
    if ("DONE".equals(row.getString("state"))) {
      return new Replay(
          row.getInteger("response_status"),
          row.getString("response_type"),
          row.getBuffer("response_body"));
    }
    return new InFlight();
  }

  /**
   * Stores the answer once the response is ready. Does nothing if the answer was already stored (by
   * {@link #completeWithin}, or by another attempt that took the key over).
   */
  public Future<Void> complete(String clientId, String key, int status, String type, Buffer body) {
    return pool.preparedQuery(
            "UPDATE idempotency_keys SET state = 'DONE', response_status = $3,"
                + " response_type = $4, response_body = $5"
                + " WHERE client_id = $1 AND idempotency_key = $2 AND state = 'IN_FLIGHT'")
        .execute(Tuple.of(clientId, key, status, type, body))
        .mapEmpty();
  }

  /**
   * Stores the answer in {@code tx}, the transaction that makes the request's effect: both commit
   * or neither. Fails with {@code 409 idempotency_in_flight} (rolling the effect back) if another
   * attempt with this key finished first — the effect is then made exactly once.
   */
  public Future<Void> completeWithin(
      SqlClient tx,
      String clientId,
      String key,
      byte[] requestHash,
      int status,
      String type,
      Buffer body) {
    return tx.preparedQuery(
            "UPDATE idempotency_keys SET state = 'DONE', response_status = $3,"
                + " response_type = $4, response_body = $5"
                + " WHERE client_id = $1 AND idempotency_key = $2 AND state = 'IN_FLIGHT'"
                + " AND request_hash = $6")
        .execute(Tuple.of(clientId, key, status, type, body, Buffer.buffer(requestHash)))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                throw Problem.conflict(
                        "idempotency_in_flight",
                        "Another request with this Idempotency-Key finished first; retry to get"
                            + " its answer.")
                    .withHeader("Retry-After", "1");
              }
              return null;
            });
  }

  /**
   * Replaces an answer stored by {@link #completeWithin} with a later state of the same effect;
   * only the answer of this same request, and only once it is stored.
   */
  public Future<Void> restate(
      String clientId, String key, byte[] requestHash, int status, String type, Buffer body) {
    return pool.preparedQuery(
            "UPDATE idempotency_keys SET response_status = $3, response_type = $4,"
                + " response_body = $5 WHERE client_id = $1 AND idempotency_key = $2"
                + " AND state = 'DONE' AND request_hash = $6")
        .execute(Tuple.of(clientId, key, status, type, body, Buffer.buffer(requestHash)))
        .mapEmpty();
  }

  /** Forgets an attempt that changed nothing, so that a retry runs anew. */
  public Future<Void> release(String clientId, String key) {
    return pool.preparedQuery(
            "DELETE FROM idempotency_keys WHERE client_id = $1 AND idempotency_key = $2"
                + " AND state = 'IN_FLIGHT'")
        .execute(Tuple.of(clientId, key))
        .mapEmpty();
  }

  public Future<Void> purgeExpired() {
    return pool.query("DELETE FROM idempotency_keys WHERE expires_at < now()").execute().mapEmpty();
  }
}
