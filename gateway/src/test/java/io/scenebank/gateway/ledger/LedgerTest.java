package io.scenebank.gateway.ledger;

import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.ledger.Ledger.Layer;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.ledger.Ledger.Transfer;
import io.scenebank.gateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The ledger's guarantees, checked on the real database. */
class LedgerTest {

  private final Pool pool = TestGateway.shared().database().pool();
  private final Ledger ledger = new Ledger();
  private final String prefix = "test:" + UUID.randomUUID() + ":";

  private Future<List<String>> move(String from, String to, long amount, Layer layer) {
    return pool.withTransaction(
        tx ->
            ledger.record(
                tx,
                OffsetDateTime.now(),
                List.of(
                    new Transfer(
                        layer,
                        "test.move",
                        "ref",
                        List.of(
                            Posting.debit(prefix + to, amount),
                            Posting.credit(prefix + from, amount))))));
  }

  private Map<String, Ledger.Balance> balances(String... accounts) {
    List<String> codes = new ArrayList<>();
    for (String account : accounts) {
      codes.add(prefix + account);
    }
    return await(ledger.balances(pool, codes));
  }

  @Test
  void transfers_moveBalancesPerLayer() {
    await(move("a", "b", 700, Layer.POSTED));
    await(move("a", "b", 300, Layer.PENDING));
    Map<String, Ledger.Balance> balances = balances("a", "b", "never-used");
    assertThat(balances.get(prefix + "a")).isEqualTo(new Ledger.Balance(-300, -700));
    assertThat(balances.get(prefix + "b")).isEqualTo(new Ledger.Balance(300, 700));
    assertThat(balances.get(prefix + "never-used")).isEqualTo(Ledger.Balance.ZERO);
  }

  @Test
  void anUnbalancedTransfer_isRefused_andRecordsNothing() {
    Future<List<String>> unbalanced =
        pool.withTransaction(
            tx ->
                ledger.record(
                    tx,
                    OffsetDateTime.now(),
                    List.of(
                        new Transfer(
                            Layer.POSTED,
                            "test.bad",
                            "ref",
                            List.of(
                                Posting.debit(prefix + "a", 100),
                                Posting.credit(prefix + "b", 99))))));
    assertThatThrownBy(() -> await(unbalanced)).hasMessageContaining("unbalanced");
    assertThat(balances("a").get(prefix + "a")).isEqualTo(Ledger.Balance.ZERO);
  }

  @Test
  void theDatabase_refusesPostingsThatDoNotBalance_inTheStatementThatInsertsThem() {
    await(move("a", "b", 100, Layer.POSTED));
    Future<?> sneaky =
        pool.withTransaction(
            tx ->
                tx.query(
                        "INSERT INTO ledger_transactions (id, layer, kind, reference, effective_at)"
                            + " VALUES ('ltx_sneaky_"
                            + UUID.randomUUID().toString().substring(0, 8)
                            + "', 'POSTED', 'x', 'x', now()) RETURNING id")
                    .execute()
                    .compose(
                        rows ->
                            tx.preparedQuery(
                                    "INSERT INTO ledger_postings (transaction_id, account_id,"
                                        + " amount) SELECT $1, id, 5 FROM ledger_accounts"
                                        + " WHERE code = $2 OR code = $3")
                                .execute(
                                    Tuple.of(
                                        rows.iterator().next().getString(0),
                                        prefix + "a",
                                        prefix + "b"))));
    // two legs of +5: as many legs as a transfer needs, but they sum to 10
    assertThatThrownBy(() -> await(sneaky)).hasMessageContaining("does not balance");
  }

  @Test
  void postings_areAppendOnly() {
    await(move("a", "b", 100, Layer.POSTED));
    Future<?> edit =
        pool.preparedQuery(
                "UPDATE ledger_postings SET amount = amount * 2 WHERE account_id ="
                    + " (SELECT id FROM ledger_accounts WHERE code = $1)")
            .execute(Tuple.of(prefix + "a"));
    assertThatThrownBy(() -> await(edit)).hasMessageContaining("append-only");
    Future<?> delete =
        pool.query("DELETE FROM ledger_transactions WHERE kind = 'test.move'").execute();
    assertThatThrownBy(() -> await(delete)).hasMessageContaining("append-only");
  }

  @Test
  void theCheck_findsABalanceThatDisagreesWithItsPostings() {
    await(move("a", "b", 100, Layer.POSTED));
    LedgerCheck check = new LedgerCheck(pool, Mode.SANDBOX);
    assertThat(await(check.run()).getBoolean("balanced")).isTrue();
    // tamper inside a transaction that is rolled back, so the shared ledger stays intact
    Future<JsonObject> tampered =
        pool.withTransaction(
            tx ->
                tx.preparedQuery("UPDATE ledger_accounts SET posted = posted + 1 WHERE code = $1")
                    .execute(Tuple.of(prefix + "b"))
                    .compose(v -> check.check(tx))
                    .compose(result -> Future.failedFuture(new Tampered(result))));
    Tampered result = (Tampered) catchCause(tampered);
    assertThat(result.check.getBoolean("balanced")).isFalse();
    JsonObject discrepancy = result.check.getJsonArray("discrepancies").getJsonObject(0);
    assertThat(discrepancy.getString("kind")).isEqualTo("ACCOUNT_BALANCE_MISMATCH");
    assertThat(discrepancy.getString("account_code")).isEqualTo(prefix + "b");
    assertThat(discrepancy.getJsonObject("expected").getLong("amount")).isEqualTo(100);
    assertThat(discrepancy.getJsonObject("actual").getLong("amount")).isEqualTo(101);
    assertThat(await(check.run()).getBoolean("balanced")).isTrue();
  }

  @Test
  void manyConcurrentTransfers_keepEveryBalanceExact() {
    List<Future<List<String>>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      // opposite directions at once: account locks are taken in one order, so no deadlock
      all.add(i % 2 == 0 ? move("x", "y", 3, Layer.POSTED) : move("y", "x", 1, Layer.POSTED));
    }
    await(Future.all(all));
    assertThat(balances("x").get(prefix + "x").posted()).isEqualTo(-100 * 3 + 100);
    assertThat(balances("y").get(prefix + "y").posted()).isEqualTo(100 * 3 - 100);
    assertThat(await(new LedgerCheck(pool, Mode.SANDBOX).run()).getBoolean("balanced")).isTrue();
  }

  private static final class Tampered extends RuntimeException {
    final JsonObject check;

    Tampered(JsonObject check) {
      super("rolled back on purpose", null, false, false);
      this.check = check;
    }
  }

  private static Throwable catchCause(Future<?> future) {
    try {
      await(future);
    } catch (Throwable e) {
      Throwable cause = e;
      while (cause != null && !(cause instanceof Tampered)) {
        cause = cause.getCause();
      }
      return cause;
    }
    throw new AssertionError("expected the transaction to fail");
  }
}
