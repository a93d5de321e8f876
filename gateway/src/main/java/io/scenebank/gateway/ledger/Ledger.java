package io.scenebank.gateway.ledger;

import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.tx.Cte;
import io.scenebank.gateway.tx.Statement;
import io.scenebank.gateway.tx.Tx;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The double-entry ledger. Services record transfers in their own database transaction, so the
 * money moves exactly when their state changes — in one statement with their other writes ({@link
 * #write}). Each transfer is balanced (its postings sum to zero; the database checks every
 * statement's postings again, per transaction, without re-reading the ledger), immutable once
 * written, and corrected only by another transfer. Account balances are kept per layer: {@link
 * Layer#PENDING} for holds, {@link Layer#POSTED} for booked money.
 */
public final class Ledger {

  /** Where a transfer counts: holds, or booked money. */
  public enum Layer {
    PENDING,
    POSTED
  }

  /** One leg: a debit (positive amount) or a credit (negative) on the account with this code. */
  public record Posting(String account, long amount) {

    public static Posting debit(String account, long amount) {
      return new Posting(account, amount);
    }

    public static Posting credit(String account, long amount) {
      return new Posting(account, Math.negateExact(amount));
    }
  }

  /**
   * A balanced set of postings about one thing ({@code reference}: the resource's id); {@code
   * reverses} names the transaction it corrects, if it is a reversal; {@code id} is the
   * transaction's id if the caller chose it ({@link #newTransactionId}), else one is made.
   */
  public record Transfer(
      Layer layer,
      String kind,
      String reference,
      List<Posting> postings,
      String reverses,
      String id) {

    public Transfer {
      postings = List.copyOf(postings);
    }

    public Transfer(
        Layer layer, String kind, String reference, List<Posting> postings, String reverses) {
      this(layer, kind, reference, postings, reverses, null);
    }

    public Transfer(Layer layer, String kind, String reference, List<Posting> postings) {
      this(layer, kind, reference, postings, null, null);
    }

    /** The exact opposite of a transfer recorded as {@code transactionId}. */
    public Transfer reversal(String kind, String transactionId) {
      List<Posting> opposite = new ArrayList<>();
      postings.forEach(p -> opposite.add(new Posting(p.account(), Math.negateExact(p.amount()))));
      return new Transfer(layer, kind, reference, opposite, transactionId);
    }
  }

  /** A transaction id, for a transfer that another transfer of the same statement reverses. */
  public static String newTransactionId() {
    return Ids.next("ltx");
  }

  /** An account's balances in both layers (debits positive). */
  public record Balance(long pending, long posted) {
    public static final Balance ZERO = new Balance(0, 0);
  }

  /**
   * Records the transfers in {@code tx}: postings of zero are dropped and postings to one account
   * merged; a transfer left empty is skipped. Accounts are created on first use and locked in a
   * fixed order, so concurrent transactions never deadlock on them. Fails, recording nothing, if a
   * transfer does not balance. Returns the ids of the transactions written, in the order of the
   * transfers (null for a transfer left empty). Two statements: the accounts, then the rest.
   */
  public Future<List<String>> record(
      SqlClient tx, OffsetDateTime effectiveAt, List<Transfer> transfers) {
    Cte cte = new Cte();
    List<String> written;
    try {
      written = write(cte, effectiveAt, transfers);
    } catch (IllegalStateException unbalanced) {
      return Future.failedFuture(unbalanced);
    }
    if (cte.isEmpty()) {
      return Future.succeededFuture(written);
    }
    Statement statement = cte.statement();
    List<String> codes = new ArrayList<>();
    transfers.forEach(t -> t.postings().forEach(p -> codes.add(p.account())));
    return ensureAccounts(tx, codes.stream().distinct().toList())
        .compose(v -> tx.preparedQuery(statement.sql()).execute(statement.args()))
        .map(
            v -> {
              // the caller's transaction commits later: counted when written
              cte.committed();
              return written;
            });
  }

  /** Told the kind of every transfer written (at commit when written through a {@link Tx}). */
  private final java.util.function.Consumer<String> onWritten;

  /** A ledger that tells nobody what it writes. */
  public Ledger() {
    this(kind -> {});
  }

  /** A ledger that tells {@code written} the kind of each transfer it writes. */
  public Ledger(java.util.function.Consumer<String> written) {
    this.onWritten = written;
  }

  /** Accounts known to exist (accounts are never deleted): no statement needed for them. */
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  /**
   * Makes sure the accounts exist before {@code tx}'s writes post to them: for accounts not known
   * to exist, a statement creating them goes with the transaction's reads (no round trip of its
   * own); they are known once the transaction commits.
   */
  public void ensure(Tx tx, List<String> codes) {
    List<String> unknown = codes.stream().filter(c -> !known.contains(c)).toList();
    if (unknown.isEmpty()) {
      return;
    }
    tx.send(
        "INSERT INTO ledger_accounts (code) SELECT unnest($1::text[]) ORDER BY 1"
            + " ON CONFLICT (code) DO NOTHING",
        (Object) unknown.toArray(String[]::new));
    tx.afterCommit(
        () -> {
          if (known.size() > 200_000) {
            known.clear();
          }
          known.addAll(unknown);
        });
  }

  /**
   * Creates the accounts that do not exist yet (a statement of its own: the statement that posts to
   * an account must find it).
   */
  public static Future<Void> ensureAccounts(SqlClient client, List<String> codes) {
    return client
        .preparedQuery(
            "INSERT INTO ledger_accounts (code) SELECT unnest($1::text[]) ORDER BY 1"
                + " ON CONFLICT (code) DO NOTHING")
        .execute(Tuple.of((Object) codes.toArray(String[]::new)))
        .mapEmpty();
  }

  /**
   * Adds the transfers to {@code cte} (at most once per statement), to be written by the statement
   * it becomes: the accounts locked in id order, the transactions, their postings and the new
   * balances. The accounts must exist. A transfer that does not balance fails here (and again in
   * the database, where every statement's postings must balance per transaction). Returns the
   * transaction ids, as {@link #record}.
   */
  public List<String> write(Cte cte, OffsetDateTime effectiveAt, List<Transfer> transfers) {
    List<Transfer> kept = new ArrayList<>();
    List<Integer> keptIndex = new ArrayList<>();
    for (int index = 0; index < transfers.size(); index++) {
      Transfer transfer = transfers.get(index);
      Map<String, Long> merged = new LinkedHashMap<>();
      long sum = 0;
      for (Posting posting : transfer.postings()) {
        merged.merge(posting.account(), posting.amount(), Math::addExact);
        sum = Math.addExact(sum, posting.amount());
      }
      if (sum != 0) {
        throw new IllegalStateException(
            "unbalanced " + transfer.kind() + " for " + transfer.reference() + ": " + sum);
      }
      List<Posting> legs = new ArrayList<>();
      merged.forEach(
          (account, amount) -> {
            if (amount != 0) {
              legs.add(new Posting(account, amount));
            }
          });
      if (!legs.isEmpty()) {
        keptIndex.add(index);
        kept.add(
            new Transfer(
                transfer.layer(),
                transfer.kind(),
                transfer.reference(),
                legs,
                transfer.reverses(),
                transfer.id()));
      }
    }
    List<String> written = new ArrayList<>();
    transfers.forEach(t -> written.add(null));
    if (kept.isEmpty()) {
      return written;
    }
    // per account: what changes in each layer
    Map<String, long[]> deltas = new TreeMap<>();
    for (Transfer transfer : kept) {
      int layer = transfer.layer() == Layer.PENDING ? 0 : 1;
      for (Posting posting : transfer.postings()) {
        long[] delta = deltas.computeIfAbsent(posting.account(), a -> new long[2]);
        delta[layer] = Math.addExact(delta[layer], posting.amount());
      }
    }
    List<String> txIds = new ArrayList<>();
    List<String> txLayers = new ArrayList<>();
    List<String> txKinds = new ArrayList<>();
    List<String> txRefs = new ArrayList<>();
    List<String> txReverses = new ArrayList<>();
    List<String> postTx = new ArrayList<>();
    List<String> postAccount = new ArrayList<>();
    List<Long> postAmount = new ArrayList<>();
    for (Transfer transfer : kept) {
      String id = transfer.id() != null ? transfer.id() : newTransactionId();
      txIds.add(id);
      txLayers.add(transfer.layer().name());
      txKinds.add(transfer.kind());
      txRefs.add(transfer.reference());
      txReverses.add(transfer.reverses());
      for (Posting posting : transfer.postings()) {
        postTx.add(id);
        postAccount.add(posting.account());
        postAmount.add(posting.amount());
      }
    }
    List<Long> pending = new ArrayList<>();
    List<Long> posted = new ArrayList<>();
    deltas
        .values()
        .forEach(
            delta -> {
              pending.add(delta[0]);
              posted.add(delta[1]);
            });
    String[] codes = deltas.keySet().toArray(String[]::new);
    // a statement must not update an account twice: all of a statement's transfers go here at once
    cte.once("ledger");
    cte.afterCommit(() -> kept.forEach(t -> onWritten.accept(t.kind())));
    String accounts = cte.name("accounts");
    cte.part(
        accounts,
        "SELECT id, code FROM ledger_accounts WHERE code = ANY ($1::text[]) ORDER BY id FOR UPDATE",
        (Object) codes);
    cte.part(
        cte.name("transactions"),
        "INSERT INTO ledger_transactions (id, layer, kind, reference, reverses, effective_at)"
            + " SELECT i, l, k, r, v, $6 FROM unnest($1::text[], $2::text[], $3::text[],"
            + " $4::text[], $5::text[]) AS t (i, l, k, r, v) RETURNING id",
        txIds.toArray(String[]::new),
        txLayers.toArray(String[]::new),
        txKinds.toArray(String[]::new),
        txRefs.toArray(String[]::new),
        txReverses.toArray(String[]::new),
        effectiveAt);
    cte.part(
        cte.name("postings"),
        "INSERT INTO ledger_postings (transaction_id, account_id, amount)"
            + " SELECT p.t, a.id, p.m FROM unnest($1::text[], $2::text[], $3::bigint[])"
            + " AS p (t, c, m) JOIN "
            + accounts
            + " a ON a.code = p.c RETURNING 1",
        postTx.toArray(String[]::new),
        postAccount.toArray(String[]::new),
        postAmount.toArray(Long[]::new));
    cte.part(
        cte.name("balances"),
        "UPDATE ledger_accounts x SET pending = x.pending + d.p, posted = x.posted + d.q"
            + " FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS d (c, p, q) JOIN "
            + accounts
            + " a ON a.code = d.c WHERE x.id = a.id RETURNING 1",
        (Object) codes,
        pending.toArray(Long[]::new),
        posted.toArray(Long[]::new));
    for (int i = 0; i < kept.size(); i++) {
      written.set(keptIndex.get(i), txIds.get(i));
    }
    return written;
  }

  /** The balances of the given accounts (zero for one never used). */
  public Future<Map<String, Balance>> balances(SqlClient client, List<String> codes) {
    return client
        .preparedQuery("SELECT code, pending, posted FROM ledger_accounts WHERE code = ANY ($1)")
        .execute(Tuple.of((Object) codes.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, Balance> balances = new HashMap<>();
              codes.forEach(code -> balances.put(code, Balance.ZERO));
              for (Row row : rows) {
                balances.put(
                    row.getString("code"),
                    new Balance(row.getLong("pending"), row.getLong("posted")));
              }
              return balances;
            });
  }
}
