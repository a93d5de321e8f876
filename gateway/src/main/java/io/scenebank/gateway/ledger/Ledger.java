package io.scenebank.gateway.ledger;

import io.scenebank.gateway.support.Ids;
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
import java.util.TreeMap;

/**
 * The double-entry ledger. Services record transfers in their own database transaction, so the
 * money moves exactly when their state changes. Each transfer is balanced (its postings sum to
 * zero; the database checks it again at commit), immutable once written, and corrected only by
 * another transfer. Account balances are kept per layer: {@link Layer#PENDING} for holds, {@link
 * Layer#POSTED} for booked money.
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
   * reverses} names the transaction it corrects, if it is a reversal.
   */
  public record Transfer(
      Layer layer, String kind, String reference, List<Posting> postings, String reverses) {

    public Transfer {
      postings = List.copyOf(postings);
    }

    public Transfer(Layer layer, String kind, String reference, List<Posting> postings) {
      this(layer, kind, reference, postings, null);
    }

    /** The exact opposite of a transfer recorded as {@code transactionId}. */
    public Transfer reversal(String kind, String transactionId) {
      List<Posting> opposite = new ArrayList<>();
      postings.forEach(p -> opposite.add(new Posting(p.account(), Math.negateExact(p.amount()))));
      return new Transfer(layer, kind, reference, opposite, transactionId);
    }
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
   * transfers (null for a transfer left empty).
   */
  public Future<List<String>> record(
      SqlClient tx, OffsetDateTime effectiveAt, List<Transfer> transfers) {
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
        return Future.failedFuture(
            new IllegalStateException(
                "unbalanced " + transfer.kind() + " for " + transfer.reference() + ": " + sum));
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
                transfer.reverses()));
      }
    }
    List<String> written = new ArrayList<>();
    transfers.forEach(t -> written.add(null));
    if (kept.isEmpty()) {
      return Future.succeededFuture(written);
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
    String[] codes = deltas.keySet().toArray(String[]::new);
    return lockAccounts(tx, codes)
        .compose(
            ids -> {
              List<String> txIds = new ArrayList<>();
              List<String> txLayers = new ArrayList<>();
              List<String> txKinds = new ArrayList<>();
              List<String> txRefs = new ArrayList<>();
              List<String> txReverses = new ArrayList<>();
              List<String> postTx = new ArrayList<>();
              List<Long> postAccount = new ArrayList<>();
              List<Long> postAmount = new ArrayList<>();
              for (Transfer transfer : kept) {
                String id = Ids.next("ltx");
                txIds.add(id);
                txLayers.add(transfer.layer().name());
                txKinds.add(transfer.kind());
                txRefs.add(transfer.reference());
                txReverses.add(transfer.reverses());
                for (Posting posting : transfer.postings()) {
                  postTx.add(id);
                  postAccount.add(ids.get(posting.account()));
                  postAmount.add(posting.amount());
                }
              }
              List<Long> accountIds = new ArrayList<>();
              List<Long> pending = new ArrayList<>();
              List<Long> posted = new ArrayList<>();
              deltas.forEach(
                  (code, delta) -> {
                    accountIds.add(ids.get(code));
                    pending.add(delta[0]);
                    posted.add(delta[1]);
                  });
              return tx.preparedQuery(
                      "INSERT INTO ledger_transactions (id, layer, kind, reference, reverses,"
                          + " effective_at) SELECT i, l, k, r, v, $6 FROM unnest($1::text[],"
                          + " $2::text[], $3::text[], $4::text[], $5::text[]) AS t (i, l, k, r, v)")
                  .execute(
                      Tuple.of(
                          txIds.toArray(String[]::new),
                          txLayers.toArray(String[]::new),
                          txKinds.toArray(String[]::new),
                          txRefs.toArray(String[]::new),
                          txReverses.toArray(String[]::new),
                          effectiveAt))
                  .compose(
                      v ->
                          tx.preparedQuery(
                                  "INSERT INTO ledger_postings (transaction_id, account_id, amount)"
                                      + " SELECT * FROM unnest($1::text[], $2::bigint[],"
                                      + " $3::bigint[])")
                              .execute(
                                  Tuple.of(
                                      postTx.toArray(String[]::new),
                                      postAccount.toArray(Long[]::new),
                                      postAmount.toArray(Long[]::new))))
                  .compose(
                      v ->
                          tx.preparedQuery(
                                  "UPDATE ledger_accounts a SET pending = a.pending + d.p,"
                                      + " posted = a.posted + d.q FROM unnest($1::bigint[],"
                                      + " $2::bigint[], $3::bigint[]) AS d (i, p, q)"
                                      + " WHERE a.id = d.i")
                              .execute(
                                  Tuple.of(
                                      accountIds.toArray(Long[]::new),
                                      pending.toArray(Long[]::new),
                                      posted.toArray(Long[]::new))))
                  .map(
                      v -> {
                        for (int i = 0; i < kept.size(); i++) {
                          written.set(keptIndex.get(i), txIds.get(i));
                        }
                        return written;
                      });
            });
  }

  /** Creates the accounts that do not exist yet and locks all of them, in id order. */
  private static Future<Map<String, Long>> lockAccounts(SqlClient tx, String[] codes) {
    return tx.preparedQuery(
            "INSERT INTO ledger_accounts (code) SELECT unnest($1::text[]) ORDER BY 1"
                + " ON CONFLICT (code) DO NOTHING")
        .execute(Tuple.of((Object) codes))
        .compose(
            v ->
                tx.preparedQuery(
                        "SELECT id, code FROM ledger_accounts WHERE code = ANY ($1)"
                            + " ORDER BY id FOR UPDATE")
                    .execute(Tuple.of((Object) codes)))
        .map(
            rows -> {
              Map<String, Long> ids = new HashMap<>();
              for (Row row : rows) {
                ids.put(row.getString("code"), row.getLong("id"));
              }
              if (ids.size() != codes.length) {
                throw new IllegalStateException("ledger accounts missing");
              }
              return ids;
            });
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
