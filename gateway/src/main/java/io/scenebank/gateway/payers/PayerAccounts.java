package io.scenebank.gateway.payers;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.ledger.Ledger.Transfer;
import io.scenebank.gateway.support.Masking;
import io.scenebank.gateway.support.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Payers' accounts at the bank. Their money is the ledger account {@code deposit:<app>:<id>} (a
 * credit balance: the bank owes it to the payer). In the sandbox the fixture accounts exist for
 * every app and are funded on first use; in production they come from the core banking system.
 */
public final class PayerAccounts {

  /** A sandbox payer account. */
  public record Fixture(
      String id, String holder, String masked, long balance, String description) {}

  public static final List<Fixture> FIXTURES =
      List.of(
          new Fixture(
              "acc_5Tn9Qx2KmR7vL4pWb8Zc",
              "王小明",
              "6222 **** **** 0188",
              1_000_000,
              "A payer with ¥10,000 for bills and payments."),
          new Fixture(
              "acc_9Rm4Tx7KqN2vW8pLb3Zd",
              "江南科技有限公司（示例）",
              "3204 **** 8866",
              100_000_000,
              "An employer account to fund subsidy programmes."),
          new Fixture(
              "acc_7Wb3Nq8KxT2mR6pLv4Zs",
              "赵六",
              "6222 **** **** 0601",
              128_000,
              "An employee with ¥1,280 of own funds."));

  /** How many "many payers" accounts the sandbox has: acc_Load000000000001 and on. */
  public static final int MANY = 9_999;

  private static final java.util.regex.Pattern MANY_ACCOUNT =
      java.util.regex.Pattern.compile("acc_Load[0-9]{12}");

  /** The N-th of the sandbox's many payer accounts. */
  public static String manyAccount(int n) {
    return String.format("acc_Load%012d", n);
  }

  /** The sandbox fixture with this id, if it is one. */
  static Optional<Fixture> fixture(String id) {
    Optional<Fixture> named = FIXTURES.stream().filter(f -> f.id().equals(id)).findFirst();
    if (named.isPresent() || !MANY_ACCOUNT.matcher(id).matches()) {
      return named;
    }
    long n = Long.parseLong(id.substring(8));
    return n >= 1 && n <= MANY
        ? Optional.of(
            new Fixture(
                id,
                "测试付款人" + n,
                String.format("6222 **** **** %04d", n),
                1_000_000,
                "One of the sandbox's many payers, with ¥10,000."))
        : Optional.empty();
  }

  private final Ledger ledger;
  private final Mode mode;
  private final Set<String> ensured = ConcurrentHashMap.newKeySet();

  public PayerAccounts(Ledger ledger, Mode mode) {
    this.ledger = ledger;
    this.mode = mode;
  }

  /** The ledger account holding the payer's money at the bank. */
  public static String deposit(String clientId, String accountId) {
    return "deposit:" + clientId + ":" + accountId;
  }

  /** The fixtures as {@code listFixtures} shows them. */
  public static JsonArray fixtures() {
    JsonArray list = new JsonArray();
    for (Fixture f : FIXTURES) {
      list.add(
          new JsonObject()
              .put("account_id", f.id())
              .put("holder_name", Masking.name(f.holder()))
              .put("balance", Rows.money(f.balance()))
              .put("description", f.description()));
    }
    Fixture many = fixture(manyAccount(1)).orElseThrow();
    list.add(
        new JsonObject()
            .put("account_id", many.id())
            .put("holder_name", Masking.name(many.holder()))
            .put("balance", Rows.money(many.balance()))
            .put(
                "description",
                "One of "
                    + MANY
                    + " payers acc_Load000000000001 to "
                    + manyAccount(MANY)
                    + ", ¥10,000 each (the payer codes 2899991000000NNNNN pay from them)."));
    return list;
  }

  /**
   * Locks the app's payer account (creating and funding a sandbox fixture on first use): payments
   * from one account are serialised, so its balance never goes below zero. 404 if unknown.
   */
  public Future<Row> lock(SqlClient tx, String clientId, String accountId, OffsetDateTime now) {
    return ensureFixture(tx, clientId, accountId, now)
        .compose(
            v ->
                tx.preparedQuery(
                        "SELECT * FROM payer_accounts WHERE client_id = $1 AND id = $2 FOR UPDATE")
                    .execute(Tuple.of(clientId, accountId)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.notFound("No payer account " + accountId + ".");
              }
              return rows.iterator().next();
            });
  }

  /**
   * Makes sure a sandbox fixture account exists and is funded, in a transaction of its own, once
   * per account and process: the money path then only reads and locks it.
   */
  public Future<Void> ensure(Pool pool, String clientId, String accountId) {
    String key = clientId + "/" + accountId;
    if (!mode.sandbox()
        || accountId == null
        || ensured.contains(key)
        || fixture(accountId).isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(tx -> ensureFixture(tx, clientId, accountId, OffsetDateTime.now()))
        .onSuccess(
            v -> {
              if (ensured.size() > 100_000) {
                ensured.clear();
              }
              ensured.add(key);
            });
  }

  /** What the payer can spend: the deposit account's credit balance. */
  public Future<Long> available(SqlClient tx, String clientId, String accountId) {
    String code = PayerAccounts.deposit(clientId, accountId);
    return ledger.balances(tx, List.of(code)).map(balances -> -balances.get(code).posted());
  }

  private Future<Void> ensureFixture(
      SqlClient tx, String clientId, String accountId, OffsetDateTime now) {
    Fixture fixture = mode.sandbox() ? fixture(accountId).orElse(null) : null;
    if (fixture == null) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(
            "INSERT INTO payer_accounts (client_id, id, holder_name, account_masked)"
                + " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id")
        .execute(Tuple.of(clientId, accountId, fixture.holder(), fixture.masked()))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.succeededFuture()
                    : ledger
                        .record(
                            tx,
                            now,
                            List.of(
                                new Transfer(
                                    Ledger.Layer.POSTED,
                                    "sandbox.funding",
                                    accountId,
                                    List.of(
                                        Posting.debit(
                                            "sandbox:" + clientId + ":funding", fixture.balance()),
                                        Posting.credit(
                                            PayerAccounts.deposit(clientId, accountId),
                                            fixture.balance())))))
                        .mapEmpty());
  }
}
