package io.scenebank.gateway.bills;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.events.UrlPolicy;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.support.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The biller directory: seeded with the sandbox billers in sandbox mode, managed by the bank's
 * operators through the API. Every app sees the same directory.
 */
final class Billers {

  private final Pool pool;
  private final Mode mode;
  private final UrlPolicy urls;

  Billers(Pool pool, Mode mode) {
    this.pool = pool;
    this.mode = mode;
    this.urls = new UrlPolicy(mode);
  }

  /** The biller, or 404. */
  Future<Biller> find(SqlClient client, String id) {
    return client
        .preparedQuery("SELECT * FROM billers WHERE id = $1")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.notFound("No biller " + id + ".");
              }
              return Biller.of(rows.iterator().next());
            });
  }

  /** The biller if it takes inquiries and payments: 404 if unknown, 409 if suspended. */
  Future<Biller> active(SqlClient client, String id) {
    return find(client, id)
        .map(
            biller -> {
              if (!biller.active()) {
                throw Problem.conflict("biller_suspended", "Biller " + id + " is SUSPENDED.");
              }
              return biller;
            });
  }

  Future<JsonObject> list(String category, String region, String search, Page.Request page) {
    ListQuery query =
        ListQuery.of("SELECT b.* FROM billers b", "b")
            .eq("b.category", category)
            .eq("b.region", region);
    if (search != null) {
      query.contains("b.name", search);
    }
    return query.page(pool, page, this::resource);
  }

  Future<JsonObject> get(String id) {
    return pool.preparedQuery("SELECT * FROM billers WHERE id = $1")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.notFound("No biller " + id + ".");
              }
              return resource(rows.iterator().next());
            });
  }

  /** Adds a biller (operators); {@code id} is given for the seeded sandbox billers only. */
  Future<JsonObject> create(String id, JsonObject definition) {
    validate(definition);
    return pool.preparedQuery(
            "INSERT INTO billers (id, name, category, region, region_name, account_regex,"
                + " account_example, account_description, amount_rule, min_amount, max_amount,"
                + " inquiry_required, supports_mandates, status, connector)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'ACTIVE', $14)"
                + " ON CONFLICT (name, region, category) DO NOTHING RETURNING *")
        .execute(tuple(id == null ? Ids.next("blr") : id, definition))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.conflict(
                    "biller_exists",
                    "A biller named "
                        + definition.getString("name")
                        + " exists in this region and category.");
              }
              return resource(rows.iterator().next());
            });
  }

  /** Replaces a biller's definition (operators). */
  Future<JsonObject> update(String id, JsonObject definition) {
    validate(definition);
    Tuple tuple = tuple(id, definition).addString(definition.getString("status"));
    return pool.preparedQuery(
            "UPDATE billers SET name = $2, category = $3, region = $4, region_name = $5,"
                + " account_regex = $6, account_example = $7, account_description = $8,"
                + " amount_rule = $9, min_amount = $10, max_amount = $11, inquiry_required = $12,"
                + " supports_mandates = $13, connector = $14, status = $15, updated_at = now()"
                + " WHERE id = $1 RETURNING *")
        .execute(tuple)
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw Problem.notFound("No biller " + id + ".");
              }
              return resource(rows.iterator().next());
            });
  }

  /** Adds the biller with this id, or replaces its definition (configured billers, at start). */
  Future<Void> upsert(String id, JsonObject definition) {
    validate(definition);
    return pool.preparedQuery(
            "INSERT INTO billers (id, name, category, region, region_name, account_regex,"
                + " account_example, account_description, amount_rule, min_amount, max_amount,"
                + " inquiry_required, supports_mandates, status, connector)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'ACTIVE', $14)"
                + " ON CONFLICT (id) DO UPDATE SET name = $2, category = $3, region = $4,"
                + " region_name = $5, account_regex = $6, account_example = $7,"
                + " account_description = $8, amount_rule = $9, min_amount = $10,"
                + " max_amount = $11, inquiry_required = $12, supports_mandates = $13,"
                + " connector = $14, updated_at = now()")
        .execute(tuple(id, definition))
        .mapEmpty();
  }

  /** Seeds a sandbox biller if it is not there (at start, in sandbox mode). */
  Future<Void> seed(String id, JsonObject definition) {
    return pool.preparedQuery("SELECT 1 FROM billers WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture() : create(id, definition))
        .mapEmpty();
  }

  private static Tuple tuple(String id, JsonObject d) {
    JsonObject format = d.getJsonObject("account_number_format");
    return Tuple.tuple()
        .addString(id)
        .addString(d.getString("name"))
        .addString(d.getString("category"))
        .addString(d.getString("region"))
        .addString(d.getString("region_name"))
        .addString(format.getString("regex"))
        .addString(format.getString("example"))
        .addString(format.getString("description"))
        .addString(d.getString("amount_rule"))
        .addLong(d.getJsonObject("min_amount").getLong("amount"))
        .addLong(d.getJsonObject("max_amount").getLong("amount"))
        .addBoolean(d.getBoolean("inquiry_required"))
        .addBoolean(d.getBoolean("supports_mandates"))
        .addJsonObject(d.getJsonObject("connector"));
  }

  /** The consistency rules the schema cannot express. */
  void validate(JsonObject d) {
    JsonObject format = d.getJsonObject("account_number_format");
    String problem = null;
    try {
      if (!Pattern.compile(format.getString("regex"))
          .matcher(format.getString("example"))
          .matches()) {
        problem = "account_number_format.example does not match its regex.";
      }
    } catch (PatternSyntaxException e) {
      problem = "account_number_format.regex is not a valid regular expression.";
    }
    long min = d.getJsonObject("min_amount").getLong("amount");
    long max = d.getJsonObject("max_amount").getLong("amount");
    JsonObject connector = d.getJsonObject("connector");
    if (problem == null && min > max) {
      problem = "min_amount " + min + " is above max_amount " + max + ".";
    } else if (problem == null
        && "ANY".equals(d.getString("amount_rule"))
        && Boolean.TRUE.equals(d.getBoolean("inquiry_required"))) {
      problem = "An ANY biller takes payments without a bill: inquiry_required must be false.";
    } else if (problem == null
        && "HTTP_JSON".equals(connector.getString("type"))
        && connector.getString("base_url") == null) {
      problem = "An HTTP_JSON connector needs a base_url.";
    }
    if (problem != null) {
      throw Problem.unprocessable("invalid_biller_definition", problem);
    }
    if (connector.containsKey("oauth2") && connector.containsKey("credentials_ref")) {
      throw Problem.unprocessable(
          "invalid_biller_definition",
          "A connector authenticates with credentials_ref or with oauth2, not both.");
    }
    if ("HTTP_JSON".equals(connector.getString("type"))) {
      urls.check(connector.getString("base_url")); // 422 url_not_allowed; again at each call
      if (connector.containsKey("oauth2")) {
        // the token endpoint is held to the same rule, again before each token request
        urls.check(connector.getJsonObject("oauth2").getString("token_url"));
      }
    }
  }

  JsonObject resource(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "biller")
            .put("livemode", mode.livemode())
            .put("name", row.getString("name"))
            .put("category", row.getString("category"))
            .put("region", row.getString("region"));
    if (row.getString("region_name") != null) {
      json.put("region_name", row.getString("region_name"));
    }
    return json.put(
            "account_number_format",
            new JsonObject()
                .put("regex", row.getString("account_regex"))
                .put("example", row.getString("account_example"))
                .put("description", row.getString("account_description")))
        .put("amount_rule", row.getString("amount_rule"))
        .put("min_amount", Rows.money(row.getLong("min_amount")))
        .put("max_amount", Rows.money(row.getLong("max_amount")))
        .put("inquiry_required", row.getBoolean("inquiry_required"))
        .put("supports_mandates", row.getBoolean("supports_mandates"))
        .put("status", row.getString("status"))
        .put("created_at", Times.format(row.getOffsetDateTime("created_at")))
        .put("updated_at", Times.format(row.getOffsetDateTime("updated_at")));
  }
}
