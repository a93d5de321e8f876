package io.scenebank.gateway.ledger;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.support.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.time.OffsetDateTime;

/**
 * The double-entry consistency check, over one consistent snapshot of the whole ledger: every
 * transaction has at least two postings summing to zero, and every account's balances equal the
 * sums of its postings in each layer.
 */
public final class LedgerCheck {

  /** Discrepancies listed in one answer (the check counts them all). */
  static final int MAX_LISTED = 100;

  private final Pool pool;
  private final Mode mode;

  public LedgerCheck(Pool pool, Mode mode) {
    this.pool = pool;
    this.mode = mode;
  }

  /** Runs the check; the answer is a {@code LedgerCheck} as the contract shows it. */
  public Future<JsonObject> run() {
    return pool.withTransaction(
        tx ->
            tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute()
                .compose(v -> check(tx)));
  }

  /** The check within {@code tx}, which should see one snapshot (REPEATABLE READ). */
  Future<JsonObject> check(SqlClient tx) {
    JsonArray discrepancies = new JsonArray();
    JsonObject result =
        new JsonObject()
            .put("object", "ledger_check")
            .put("livemode", mode.livemode())
            .put("balanced", true);
    return tx.query(
            "SELECT t.id, coalesce(sum(p.amount), 0) AS total, count(p.id) AS legs"
                + " FROM ledger_transactions t LEFT JOIN ledger_postings p"
                + " ON p.transaction_id = t.id GROUP BY t.id"
                + " HAVING coalesce(sum(p.amount), 0) <> 0 OR count(p.id) < 2")
        .execute()
        .compose(
            rows -> {
              for (Row row : rows) {
                add(
                    discrepancies,
                    new JsonObject()
                        .put("kind", "TRANSACTION_UNBALANCED")
                        .put("transaction_id", row.getString("id"))
                        .put(
                            "detail",
                            "postings sum to "
                                + row.getLong("total")
                                + " over "
                                + row.getLong("legs")
                                + " legs"));
              }
              return tx.query(
                      "SELECT a.code, a.pending, a.posted,"
                          + " coalesce(sum(p.amount) FILTER (WHERE t.layer = 'PENDING'), 0) AS sp,"
                          + " coalesce(sum(p.amount) FILTER (WHERE t.layer = 'POSTED'), 0) AS sq"
                          + " FROM ledger_accounts a"
                          + " LEFT JOIN ledger_postings p ON p.account_id = a.id"
                          + " LEFT JOIN ledger_transactions t ON t.id = p.transaction_id"
                          + " GROUP BY a.id"
                          + " HAVING a.pending <> coalesce(sum(p.amount) FILTER"
                          + " (WHERE t.layer = 'PENDING'), 0)"
                          + " OR a.posted <> coalesce(sum(p.amount) FILTER"
                          + " (WHERE t.layer = 'POSTED'), 0)")
                  .execute();
            })
        .compose(
            rows -> {
              for (Row row : rows) {
                boolean pending = row.getLong("pending") != row.getLong("sp");
                long expected = pending ? row.getLong("sp") : row.getLong("sq");
                long actual = pending ? row.getLong("pending") : row.getLong("posted");
                add(
                    discrepancies,
                    new JsonObject()
                        .put("kind", "ACCOUNT_BALANCE_MISMATCH")
                        .put("account_code", row.getString("code"))
                        .put("expected", money(expected))
                        .put("actual", money(actual))
                        .put(
                            "detail",
                            (pending ? "pending" : "posted")
                                + " balance "
                                + actual
                                + " but its postings sum to "
                                + expected));
              }
              return tx.query(
                      "SELECT (SELECT count(*) FROM ledger_transactions) AS transactions,"
                          + " (SELECT count(*) FROM ledger_accounts) AS accounts")
                  .execute();
            })
        .map(
            rows -> {
              Row counts = rows.iterator().next();
              return result
                  .put("balanced", discrepancies.isEmpty())
                  .put("transactions_checked", counts.getLong("transactions"))
                  .put("accounts_checked", counts.getLong("accounts"))
                  .put("discrepancies", discrepancies)
                  .put("checked_at", Times.format(OffsetDateTime.now()));
            });
  }

  private static void add(JsonArray discrepancies, JsonObject discrepancy) {
    if (discrepancies.size() < MAX_LISTED) {
      discrepancies.add(discrepancy);
    }
  }

  /** Money as the contract shows it; a balance may be negative, the schema's amount may not. */
  private static JsonObject money(long amount) {
    return new JsonObject().put("amount", Math.abs(amount)).put("currency", "CNY");
  }
}
