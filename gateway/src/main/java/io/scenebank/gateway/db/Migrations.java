package io.scenebank.gateway.db;

import io.scenebank.gateway.support.Digests;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations, run at start-up. The scripts are {@code
 * db/migration/V<version>__<name>.sql} on the classpath, listed in order in {@code
 * db/migration/index.txt}. Each runs once, in its own transaction, recorded with its checksum in
 * {@code schema_migrations}; an applied script that has since changed stops the start-up. An
 * advisory lock keeps two instances starting together from migrating at once.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  static final String INDEX = "db/migration/index.txt";
  private static final Pattern NAME = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");
  private static final long LOCK_KEY = 0x5CE4EBA4CL;

  /** One migration script. */
  record Script(int version, String name, String sql, String checksum) {}

  private Migrations() {}

  /** Applies the pending scripts; returns the names of those it applied. */
  public static Future<List<String>> run(Pool pool) {
    List<Script> scripts = scripts();
    return pool.withConnection(
        conn ->
            conn.query("SELECT pg_advisory_lock(" + LOCK_KEY + ")")
                .execute()
                .compose(v -> migrateLocked(conn, scripts))
                .eventually(
                    () -> conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute()));
  }

  private static Future<List<String>> migrateLocked(SqlConnection conn, List<Script> scripts) {
    return conn.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
                + " version integer PRIMARY KEY,"
                + " name text NOT NULL,"
                + " checksum text NOT NULL,"
                + " applied_at timestamptz NOT NULL DEFAULT now())")
        .execute()
        .compose(v -> conn.query("SELECT version, name, checksum FROM schema_migrations").execute())
        .compose(
            rows -> {
              Map<Integer, String> applied = new HashMap<>();
              for (Row row : rows) {
                applied.put(row.getInteger("version"), row.getString("checksum"));
              }
              List<Script> pending = new ArrayList<>();
              for (Script script : scripts) {
                String checksum = applied.remove(script.version());
                if (checksum == null) {
                  pending.add(script);
                } else if (!checksum.equals(script.checksum())) {
                  return Future.failedFuture(
                      new IllegalStateException(
                          "migration V"
                              + script.version()
                              + "__"
                              + script.name()
                              + " was changed after it was applied; add a new migration instead"));
                }
              }
              if (!applied.isEmpty()) {
                LOG.atWarn()
                    .addKeyValue("versions", applied.keySet().toString())
                    .log(
                        "the database has migrations this gateway does not know (a newer version?)");
              }
              return applyInOrder(conn, pending, 0, new ArrayList<>());
            });
  }

  private static Future<List<String>> applyInOrder(
      SqlConnection conn, List<Script> pending, int i, List<String> done) {
    if (i == pending.size()) {
      return Future.succeededFuture(done);
    }
    Script script = pending.get(i);
    return conn.begin()
        .compose(
            tx ->
                conn.query(script.sql())
                    .execute()
                    .compose(
                        v ->
                            conn.preparedQuery(
                                    "INSERT INTO schema_migrations (version, name, checksum)"
                                        + " VALUES ($1, $2, $3)")
                                .execute(
                                    Tuple.of(script.version(), script.name(), script.checksum())))
                    .compose(v -> tx.commit())
                    .recover(
                        e ->
                            tx.rollback()
                                .transform(
                                    x ->
                                        Future.<Void>failedFuture(
                                            new IllegalStateException(
                                                "migration V"
                                                    + script.version()
                                                    + "__"
                                                    + script.name()
                                                    + " failed: "
                                                    + e.getMessage(),
                                                e)))))
        .compose(
            v -> {
              LOG.atInfo()
                  .addKeyValue("version", script.version())
                  .addKeyValue("name", script.name())
                  .log("applied migration");
              done.add("V" + script.version() + "__" + script.name());
              return applyInOrder(conn, pending, i + 1, done);
            });
  }

  /** The scripts listed in the index, in order, with strictly increasing versions. */
  static List<Script> scripts() {
    List<Script> scripts = new ArrayList<>();
    int last = 0;
    for (String line : read(INDEX).split("\n")) {
      String file = line.strip();
      if (file.isEmpty() || file.startsWith("#")) {
        continue;
      }
      Matcher m = NAME.matcher(file);
      if (!m.matches()) {
        throw new IllegalStateException("bad migration name in " + INDEX + ": " + file);
      }
      int version = Integer.parseInt(m.group(1));
      if (version <= last) {
        throw new IllegalStateException("migration versions must increase: " + file);
      }
      last = version;
      String sql = read("db/migration/" + file);
      scripts.add(new Script(version, m.group(2), sql, sha256(sql)));
    }
    return scripts;
  }

  private static String read(String resource) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(String text) {
    return HexFormat.of().formatHex(Digests.sha256(text.getBytes(StandardCharsets.UTF_8)));
  }
}
