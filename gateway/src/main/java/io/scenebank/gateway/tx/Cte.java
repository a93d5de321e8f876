package io.scenebank.gateway.tx;

import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SQL statement assembled from parts — {@code WITH a AS (...), b AS (...) SELECT ...} — so that
 * what several owners write in one transaction (the ledger, the operation's rows, its events, the
 * idempotent answer) costs one statement. Each part is written with its own parameters {@code $1,
 * $2, ...}, renumbered here; parts run in the order PostgreSQL chooses, so a part that must see
 * another's rows reads them from that part's {@code RETURNING}, by name.
 *
 * <p>Parts can register counters: the final {@code SELECT} returns, under each counter's name, the
 * sum of the rows returned by the parts counted under it (e.g. webhook deliveries scheduled).
 */
public final class Cte {

  private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)");

  private final StringBuilder with = new StringBuilder();
  private final List<Object> args = new ArrayList<>();
  private final List<String[]> counted = new ArrayList<>();
  private final List<String> values = new ArrayList<>();
  private int parts;
  private final java.util.Set<String> once = new java.util.HashSet<>();
  private final List<Runnable> afterCommit = new ArrayList<>();

  /** A unique part name for a part kind ({@code evt} → {@code evt_3}). */
  public String name(String kind) {
    return kind + "_" + (parts + 1);
  }

  /**
   * Adds a part: {@code sql} is a data-modifying statement (or a query) whose parameters are {@code
   * $1..$n} in the order of {@code params}.
   */
  public Cte part(String name, String sql, Object... params) {
    with.append(with.length() == 0 ? "WITH " : ", ")
        .append(name)
        .append(" AS (")
        .append(renumber(sql, args.size()))
        .append(')');
    args.addAll(Arrays.asList(params));
    parts++;
    return this;
  }

  /** Counts the rows part {@code name} returns under {@code counter} in the final result. */
  public Cte count(String counter, String name) {
    counted.add(new String[] {counter, name});
    return this;
  }

  /**
   * Returns the SQL expression {@code expression} (parameters {@code $1..$n}) in the final result
   * under {@code name}.
   */
  public Cte value(String name, String expression, Object... params) {
    values.add("(" + renumber(expression, args.size()) + ") AS " + name);
    args.addAll(Arrays.asList(params));
    return this;
  }

  /**
   * Claims {@code what} for this statement; fails if it was claimed before (e.g. a second set of
   * ledger transfers, which would update an account twice in one statement).
   */
  public void once(String what) {
    if (!once.add(what)) {
      throw new IllegalStateException(what + " may be written once per statement");
    }
  }

  /** Runs {@code action} once the transaction that sent this statement commits. */
  public void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  /** The transaction that sent this statement committed. */
  public void committed() {
    afterCommit.forEach(Runnable::run);
  }

  public boolean isEmpty() {
    return parts == 0;
  }

  /** The statement: the parts, then a {@code SELECT} of the counters (or of 1). */
  public Statement statement() {
    StringBuilder select = new StringBuilder(" SELECT ");
    List<String> counters = new ArrayList<>();
    for (String[] c : counted) {
      if (!counters.contains(c[0])) {
        counters.add(c[0]);
      }
    }
    List<String> columns = new ArrayList<>(values);
    if (counters.isEmpty() && columns.isEmpty()) {
      columns.add("1 AS done");
    }
    for (String counter : counters) {
      StringBuilder sum = new StringBuilder("(");
      for (String[] c : counted) {
        if (c[0].equals(counter)) {
          sum.append(sum.length() == 1 ? "" : " + ")
              .append("(SELECT count(*) FROM ")
              .append(c[1])
              .append(')');
        }
      }
      columns.add(sum + ") AS " + counter);
    }
    select.append(String.join(", ", columns));
    return new Statement(with + select.toString(), Tuple.from(args));
  }

  /** Renumbered parts: their text is constant, so each is renumbered once per offset. */
  private static final java.util.Map<String, String> RENUMBERED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** {@code $k} becomes {@code $(k + offset)}. */
  static String renumber(String sql, int offset) {
    if (offset == 0) {
      return sql;
    }
    if (RENUMBERED.size() > 10_000) {
      RENUMBERED.clear(); // parts are constants: this never happens unless SQL is built per call
    }
    return RENUMBERED.computeIfAbsent(offset + ":" + sql, k -> renumberNow(sql, offset));
  }

  private static String renumberNow(String sql, int offset) {
    Matcher m = PARAMETER.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, "\\$" + (Integer.parseInt(m.group(1)) + offset));
    }
    m.appendTail(out);
    return out.toString();
  }
}
