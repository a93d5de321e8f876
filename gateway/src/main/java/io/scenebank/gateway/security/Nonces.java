package io.scenebank.gateway.security;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.tx.Cte;
import io.scenebank.gateway.tx.Guard;
import io.scenebank.gateway.tx.Statement;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * Request nonces, single-use per key and shared by every instance (PostgreSQL). A nonce is recorded
 * only after the request's signature has verified, and only while the key, its app and organisation
 * are active and the token is not revoked — so one statement both records the nonce and re-checks
 * everything that can change after a key was cached. For a state-changing request the statement
 * runs inside the operation's transaction ({@link #part}); for a read, beside it ({@link #record}).
 * When nothing was recorded, {@link #refusal} says why.
 */
public final class Nonces {

  private final Pool pool;
  private final ClientRegistry registry;

  public Nonces(Pool pool, ClientRegistry registry) {
    this.pool = pool;
    this.registry = registry;
  }

  /** Adds the recording of {@code nonce} to {@code cte} as part {@code name} (one row if fresh). */
  public void part(Cte cte, String name, Guard.Nonce nonce) {
    cte.part(
        name,
        "INSERT INTO request_nonces (client_id, kid, nonce, expires_at)"
            + " SELECT $1, $2, $3, $4 FROM client_keys k JOIN apps a ON a.client_id = k.client_id"
            + " JOIN organisations o ON o.id = a.organisation_id"
            + " WHERE k.client_id = $1 AND k.kid = $2 AND k.status = 'ACTIVE'"
            + " AND (k.not_before IS NULL OR k.not_before <= now())"
            + " AND (k.not_after IS NULL OR k.not_after > now())"
            + " AND a.status = 'ACTIVE' AND o.status = 'ACTIVE'"
            + " AND NOT EXISTS (SELECT 1 FROM access_tokens t WHERE t.jti = $5"
            + " AND t.revoked_at IS NOT NULL)"
            + " ON CONFLICT DO NOTHING RETURNING 1",
        nonce.clientId(),
        nonce.keyId(),
        nonce.nonce(),
        nonce.expiresAt(),
        nonce.tokenId());
  }

  /** Records the nonce on its own; fails with the refusal if it was not fresh or not live. */
  public Future<Void> record(Guard.Nonce nonce) {
    Cte cte = new Cte();
    part(cte, "nonce", nonce);
    cte.count("fresh", "nonce");
    Statement statement = cte.statement();
    return pool.preparedQuery(statement.sql())
        .execute(statement.args())
        .compose(
            rows ->
                rows.iterator().next().getLong("fresh") > 0
                    ? Future.succeededFuture()
                    : refusal(nonce).compose(Future::failedFuture));
  }

  /** Why a nonce was not recorded: the key, app or token changed, or the nonce was used. */
  public Future<Problem> refusal(Guard.Nonce nonce) {
    return registry
        .requestState(nonce.clientId(), nonce.keyId(), nonce.tokenId())
        .map(
            state -> {
              registry.forget(nonce.clientId(), nonce.keyId());
              Problem refused = RequestAuthenticator.refusal(state);
              return refused != null
                  ? refused
                  : RequestAuthenticator.refuse(
                      "nonce_replayed",
                      "This nonce was already used with key " + nonce.keyId() + ".");
            });
  }
}
