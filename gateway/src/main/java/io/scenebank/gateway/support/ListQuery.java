package io.scenebank.gateway.support;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A list query, newest first, with optional filters and cursor pagination on {@code (created_at,
 * id)}. Filters with a null value are left out; values are always bound, never spliced in.
 */
public final class ListQuery {

  private final StringBuilder sql;
  private final List<Object> params = new ArrayList<>();
  private final String alias;

  private ListQuery(String select, String alias) {
    this.sql = new StringBuilder(select).append(" WHERE true");
    this.alias = alias;
  }

  /**
   * @param select {@code SELECT ... FROM table alias [JOIN ...]}
   * @param alias the listed table's alias; its {@code created_at} and {@code id} order the list
   */
  public static ListQuery of(String select, String alias) {
    return new ListQuery(select, alias);
  }

  /** {@code column = value}, when the value is not null. */
  public ListQuery eq(String column, Object value) {
    if (value != null) {
      params.add(value);
      sql.append(" AND ").append(column).append(" = $").append(params.size());
    }
    return this;
  }

  /** {@code column IS NULL}. */
  public ListQuery isNull(String column) {
    sql.append(" AND ").append(column).append(" IS NULL");
    return this;
  }

  /** {@code column} contains {@code text}, case-insensitively (LIKE wildcards are escaped). */
  public ListQuery contains(String column, String text) {
    params.add("%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    sql.append(" AND ").append(column).append(" ILIKE $").append(params.size());
    return this;
  }

  /** {@code column >= from} for a date column, when given. */
  public ListQuery dateFrom(String column, java.time.LocalDate from) {
    if (from != null) {
      params.add(from);
      sql.append(" AND ").append(column).append(" >= $").append(params.size());
    }
    return this;
  }

  /** {@code column < until} for a date column, when given. */
  public ListQuery dateUntil(String column, java.time.LocalDate until) {
    if (until != null) {
      params.add(until);
      sql.append(" AND ").append(column).append(" < $").append(params.size());
    }
    return this;
  }

  /** {@code created_at >= from}, when given. */
  public ListQuery createdFrom(OffsetDateTime from) {
    if (from != null) {
      params.add(from);
      sql.append(" AND ").append(alias).append(".created_at >= $").append(params.size());
    }
    return this;
  }

  /** {@code created_at < until}, when given. */
  public ListQuery createdUntil(OffsetDateTime until) {
    if (until != null) {
      params.add(until);
      sql.append(" AND ").append(alias).append(".created_at < $").append(params.size());
    }
    return this;
  }

  /** Runs the query for one page and renders it as a list body. */
  public Future<JsonObject> page(
      SqlClient client, Page.Request page, Function<Row, JsonObject> render) {
    if (page.hasCursor()) {
      params.add(page.afterCreatedAt());
      params.add(page.afterId());
      sql.append(" AND (")
          .append(alias)
          .append(".created_at, ")
          .append(alias)
          .append(".id) < ($")
          .append(params.size() - 1)
          .append(", $")
          .append(params.size())
          .append(")");
    }
    sql.append(" ORDER BY ")
        .append(alias)
        .append(".created_at DESC, ")
        .append(alias)
        .append(".id DESC LIMIT ")
        .append(page.limit() + 1);
    return client
        .preparedQuery(sql.toString())
        .execute(Tuple.from(params))
        .map(
            rows -> {
              List<Row> list = new ArrayList<>();
              rows.forEach(list::add);
              return Page.of(
                  page,
                  list,
                  render,
                  r -> r.getOffsetDateTime("created_at"),
                  r -> r.getString("id"));
            });
  }
}
