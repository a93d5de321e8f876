package io.scenebank.gateway.tx;

import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.http.ProblemHandler;
import io.scenebank.gateway.http.Responses;
import io.scenebank.gateway.idempotency.IdempotencyStore;
import io.scenebank.gateway.security.Nonces;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;

/**
 * The one way a request changes money: one database transaction, one commit, two round trips.
 *
 * <pre>
 * round trip 1:  BEGIN
 *                record the nonce (if the key, app and token are still live), claim the
 *                idempotency key, read the app's clock                         (one statement)
 *                the operation's reads, locking what it will change            (its statements)
 * then           the operation decides, in plain Java, from what it read: a {@link Plan}
 * round trip 2:  the operation's writes + its events + the idempotent answer   (one statement)
 *                COMMIT
 * after          nudge the webhook dispatcher if deliveries were scheduled
 * </pre>
 *
 * A nonce already used (or a key, app or token no longer live) rolls back and refuses with the
 * precise reason; an idempotency key answered before commits nothing but the nonce and replays the
 * stored answer; a duplicate in flight waits at the claim until the first commits, then replays its
 * answer. A final refusal (404, 409, 422) is stored as the answer too. A crash at any point leaves
 * the whole effect with its stored answer, or nothing — so a retry is always safe. Row locks taken
 * in the first round trip are held for one round trip.
 */
public final class Transactions {

  /** An operation: sends its reads (in the first round trip), then decides. */
  @FunctionalInterface
  public interface Work {
    Future<Plan> plan(Tx tx);
  }

  private final Pool pool;
  private final Nonces nonces;
  private final IdempotencyStore idempotency;
  private final AppClock clock;
  private final Events events;

  public Transactions(
      Pool pool, Nonces nonces, IdempotencyStore idempotency, AppClock clock, Events events) {
    this.pool = pool;
    this.nonces = nonces;
    this.idempotency = idempotency;
    this.clock = clock;
    this.events = events;
  }

  /** Runs {@code work} for the call; the answer is fresh, or the stored one replayed. */
  public Future<Answer> run(Call call, Work work) {
    return pool.getConnection()
        .compose(connection -> new Run(connection, call).run(work).eventually(connection::close));
  }

  /**
   * After an operation committed its answer: replaces it by a later state of the same effect (a
   * bill payment confirmed by the biller after its debit was answered PENDING), and passes it on.
   * If this fails, the answer stored at the commit stays: it was true when it was stored.
   */
  public Future<JsonObject> restate(Call call, int status, JsonObject body) {
    Guard.Claim claim = call.guard().claim();
    if (claim == null) {
      return Future.succeededFuture(body);
    }
    return idempotency
        .restate(
            call.clientId(),
            claim.key(),
            claim.requestHash(),
            status,
            Responses.JSON,
            Buffer.buffer(body.encode()))
        .otherwiseEmpty()
        .map(v -> body);
  }

  /** One transaction on one connection. */
  private final class Run {
    private final SqlConnection connection;
    private final Call call;
    private final Guard guard;
    private boolean ended;

    Run(SqlConnection connection, Call call) {
      this.connection = connection;
      this.call = call;
      this.guard = call.guard();
    }

    Future<Answer> run(Work work) {
      Cte first = new Cte();
      if (guard.nonce() != null) {
        nonces.part(first, "nonce", guard.nonce());
        first.count("nonce_fresh", "nonce");
      }
      if (guard.claim() != null) {
        idempotency.claimPart(
            first, "claim", call.clientId(), guard.claim(), guard.nonce() != null ? "nonce" : null);
        first.count("claimed", "claim");
      }
      clock.offset(first, "clock_offset", call.clientId());
      Statement check = first.statement();
      Future<Void> begun = connection.preparedQuery("BEGIN").execute().mapEmpty();
      Future<Row> checked =
          connection
              .preparedQuery(check.sql())
              .execute(check.args())
              .map(rows -> rows.iterator().next());
      Tx tx =
          new Tx(
              connection,
              call.clientId(),
              checked.map(row -> AppClock.at(row.getLong("clock_offset"))));
      Future<Plan> planned = plan(work, tx);
      return Future.join(begun, checked, planned)
          .transform(done -> decide(tx, begun, checked, planned))
          .recover(
              e ->
                  ended
                      ? Future.failedFuture(e)
                      : end("ROLLBACK").transform(x -> Future.failedFuture(e)));
    }

    private Future<Answer> decide(
        Tx tx, Future<Void> begun, Future<Row> checked, Future<Plan> planned) {
      if (begun.failed()) {
        return Future.failedFuture(begun.cause());
      }
      if (checked.failed()) {
        return Future.failedFuture(checked.cause());
      }
      Row check = checked.result();
      if (guard.nonce() != null && check.getLong("nonce_fresh") == 0) {
        return end("ROLLBACK")
            .compose(v -> nonces.refusal(guard.nonce()))
            .compose(Future::failedFuture);
      }
      if (guard.claim() != null && check.getLong("claimed") == 0) {
        return replay(tx);
      }
      if (planned.failed()) {
        return planned.cause() instanceof Problem problem
            ? refuse(tx, problem)
            : Future.failedFuture(planned.cause());
      }
      Plan plan = planned.result();
      if (plan instanceof Plan.Refuse refusal) {
        return refuse(tx, refusal.problem());
      }
      return apply(tx, (Plan.Apply) plan);
    }

    private Future<Answer> apply(Tx tx, Plan.Apply plan) {
      Cte writes = plan.writes();
      Buffer body = Buffer.buffer(plan.answer().encode());
      if (guard.claim() != null) {
        idempotency.answerPart(
            writes, call.clientId(), guard.claim(), plan.status(), Responses.JSON, body);
      }
      Future<Row> written =
          writes.isEmpty()
              ? Future.succeededFuture(null)
              : tx.send(writes).map(rows -> rows.iterator().next());
      Future<Void> committed = end("COMMIT");
      return Future.all(written, committed)
          .map(
              v -> {
                tx.committed();
                Row row = written.result();
                if (row != null
                    && row.getColumnIndex(Events.SCHEDULED) >= 0
                    && row.getLong(Events.SCHEDULED) > 0) {
                  events.nudge();
                }
                return new Answer(plan.status(), Responses.JSON, body, false);
              });
    }

    /** A final refusal is stored as the answer (404, 409, 422); the nonce is kept either way. */
    private Future<Answer> refuse(Tx tx, Problem problem) {
      Future<?> stored = Future.succeededFuture();
      if (guard.claim() != null && IdempotencyStore.storable(problem.status())) {
        Cte answer = new Cte();
        JsonObject json = problem.toJson(call.path(), call.requestId());
        idempotency.answerPart(
            answer,
            call.clientId(),
            guard.claim(),
            problem.status(),
            ProblemHandler.CONTENT_TYPE,
            Buffer.buffer(json.encode()));
        stored = tx.send(answer);
      }
      Future<Void> committed = end("COMMIT");
      return Future.all(stored, committed).compose(v -> Future.failedFuture(problem));
    }

    /** The key was answered before (or by a request that committed while this one waited). */
    private Future<Answer> replay(Tx tx) {
      Future<IdempotencyStore.Outcome> stored =
          idempotency.stored(tx::send, call.clientId(), guard.claim());
      Future<Void> committed = end("COMMIT");
      return Future.all(stored, committed)
          .compose(
              v -> {
                IdempotencyStore.Outcome outcome = stored.result();
                if (outcome instanceof IdempotencyStore.Replay r) {
                  return Future.succeededFuture(
                      new Answer(r.status(), r.contentType(), r.body(), true));
                }
                return Future.failedFuture(IdempotencyStore.problem(outcome));
              });
    }

    /** Sends COMMIT or ROLLBACK: from here on the transaction ends whatever happens. */
    private Future<Void> end(String command) {
      ended = true;
      return connection.preparedQuery(command).execute().mapEmpty();
    }
  }

  private static Future<Plan> plan(Work work, Tx tx) {
    try {
      return work.plan(tx);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
