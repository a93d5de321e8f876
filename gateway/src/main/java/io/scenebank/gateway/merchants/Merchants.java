package io.scenebank.gateway.merchants;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Masking;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.support.Times;
import io.scenebank.gateway.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Merchants onboarded under a platform app: application, review (an operator, or in the sandbox the
 * licence number), and the merchant's balance.
 */
public final class Merchants {

  /** The fee rates the platform agreement allows, in basis points. */
  static final int MIN_FEE_BPS = 20;

  static final int MAX_FEE_BPS = 100;

  /** Sandbox licence numbers with a known review outcome; any other is approved at once. */
  static final String REJECTED_LICENCE = "91999999MA0000000R";

  static final String PENDING_LICENCE = "91999999MA0000000P";

  private final Pool pool;
  private final Events events;
  private final AppClock clock;
  private final MerchantRows rows;
  private final Mode mode;

  public Merchants(Pool pool, Events events, AppClock clock, MerchantRows rows, Mode mode) {
    this.pool = pool;
    this.events = events;
    this.clock = clock;
    this.rows = rows;
    this.mode = mode;
  }

  /** The app's merchant, or 404. */
  public Future<Row> find(SqlClient client, String clientId, String id) {
    return client
        .preparedQuery("SELECT * FROM merchants WHERE client_id = $1 AND id = $2")
        .execute(Tuple.of(clientId, id))
        .map(
            found -> {
              if (found.size() == 0) {
                throw Problem.notFound("No merchant " + id + ".");
              }
              return found.iterator().next();
            });
  }

  /** The app's merchant if it takes payments: 404 if unknown, 409 if not ACTIVE. */
  public Future<Row> active(SqlClient client, String clientId, String id) {
    return find(client, clientId, id)
        .map(
            merchant -> {
              if (!"ACTIVE".equals(merchant.getString("status"))) {
                throw Problem.conflict(
                    "merchant_not_active",
                    "Merchant " + id + " is " + merchant.getString("status") + ".");
              }
              return merchant;
            });
  }

  Future<JsonObject> create(Call call, JsonObject request) {
    int fee = request.getInteger("fee_rate_bps");
    if (fee < MIN_FEE_BPS || fee > MAX_FEE_BPS) {
      return Future.failedFuture(
          Problem.unprocessable(
              "fee_rate_not_allowed",
              "fee_rate_bps "
                  + fee
                  + " is outside your platform agreement ("
                  + MIN_FEE_BPS
                  + " to "
                  + MAX_FEE_BPS
                  + ")."));
    }
    String licence = request.getString("licence_number");
    JsonObject account = request.getJsonObject("settlement_account");
    String number = account.getString("account_number");
    JsonObject contact = request.getJsonObject("contact");
    JsonObject maskedContact =
        new JsonObject()
            .put("name_masked", Masking.name(contact.getString("name")))
            .put("phone_masked", Masking.phone(contact.getString("phone")));
    if (contact.getString("email") != null) {
      maskedContact.put("email", contact.getString("email"));
    }
    String id = Ids.next("mch");
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "SELECT id FROM merchants WHERE client_id = $1 AND licence_number = $2")
                    .execute(Tuple.of(call.clientId(), licence))
                    .compose(
                        dup -> {
                          if (dup.size() > 0) {
                            throw Problem.conflict(
                                "merchant_exists",
                                "Merchant "
                                    + dup.iterator().next().getString("id")
                                    + " already has licence "
                                    + licence
                                    + ".");
                          }
                          return clock.now(tx, call.clientId());
                        })
                    .compose(
                        now -> {
                          // the sandbox reviews at once, by the licence number
                          String status = "PENDING_REVIEW";
                          JsonObject review = null;
                          if (mode.sandbox() && !PENDING_LICENCE.equals(licence)) {
                            boolean rejected = REJECTED_LICENCE.equals(licence);
                            status = rejected ? "REJECTED" : "ACTIVE";
                            review =
                                new JsonObject()
                                    .put("decision", rejected ? "REJECTED" : "APPROVED")
                                    .put("decided_at", Times.format(now));
                            if (rejected) {
                              review.put("reason", "The licence does not match the registry.");
                            }
                          }
                          return tx.preparedQuery(
                                  "INSERT INTO merchants (id, client_id, status, business_name,"
                                      + " short_name, licence_number, category,"
                                      + " settlement_account, contact, fee_rate_bps, address,"
                                      + " review, metadata, created_at, updated_at) VALUES ($1,"
                                      + " $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
                                      + " $14, $14) RETURNING *")
                              .execute(
                                  Tuple.tuple()
                                      .addString(id)
                                      .addString(call.clientId())
                                      .addString(status)
                                      .addString(request.getString("business_name"))
                                      .addString(request.getString("short_name"))
                                      .addString(licence)
                                      .addString(request.getString("category"))
                                      .addJsonObject(
                                          new JsonObject()
                                              .put("bank_name", account.getString("bank_name"))
                                              .put(
                                                  "account_number_masked",
                                                  "****" + number.substring(number.length() - 4))
                                              .put(
                                                  "account_name",
                                                  account.getString("account_name")))
                                      .addJsonObject(maskedContact)
                                      .addInteger(fee)
                                      .addString(request.getString("address"))
                                      .addJsonObject(review)
                                      .addJsonObject(
                                          request.getJsonObject("metadata", new JsonObject()))
                                      .addOffsetDateTime(now));
                        })
                    .compose(
                        inserted -> {
                          JsonObject merchant = rows.merchant(inserted.iterator().next());
                          return decided(tx, call.clientId(), merchant, call.requestId())
                              .compose(v -> call.answer(tx, 201, merchant));
                        }))
        .onSuccess(m -> events.nudge());
  }

  private Future<Void> decided(
      SqlClient tx, String clientId, JsonObject merchant, String requestId) {
    String status = merchant.getString("status");
    String type =
        "ACTIVE".equals(status)
            ? "merchant.approved"
            : "REJECTED".equals(status) ? "merchant.rejected" : null;
    return type == null
        ? Future.succeededFuture()
        : events.emit(tx, clientId, type, merchant, requestId).mapEmpty();
  }

  /** The bank's review (operators): approves or rejects a PENDING_REVIEW merchant. */
  Future<JsonObject> review(String merchantId, String decision, String reason) {
    if ("REJECT".equals(decision) && reason == null) {
      return Future.failedFuture(
          Problem.unprocessable("reason_required", "A rejection needs a reason."));
    }
    boolean approve = "APPROVE".equals(decision);
    return pool.withTransaction(
            tx ->
                tx.preparedQuery("SELECT * FROM merchants WHERE id = $1 FOR UPDATE")
                    .execute(Tuple.of(merchantId))
                    .compose(
                        found -> {
                          if (found.size() == 0) {
                            throw Problem.notFound("No merchant " + merchantId + ".");
                          }
                          Row merchant = found.iterator().next();
                          if (!"PENDING_REVIEW".equals(merchant.getString("status"))) {
                            throw Problem.conflict(
                                "merchant_not_pending",
                                "Merchant "
                                    + merchantId
                                    + " is "
                                    + merchant.getString("status")
                                    + ".");
                          }
                          OffsetDateTime now = OffsetDateTime.now();
                          JsonObject review =
                              new JsonObject()
                                  .put("decision", approve ? "APPROVED" : "REJECTED")
                                  .put("decided_at", Times.format(now));
                          if (reason != null) {
                            review.put("reason", reason);
                          }
                          return tx.preparedQuery(
                                  "UPDATE merchants SET status = $2, review = $3, updated_at = $4"
                                      + " WHERE id = $1 RETURNING *")
                              .execute(
                                  Tuple.of(
                                      merchantId, approve ? "ACTIVE" : "REJECTED", review, now));
                        })
                    .compose(
                        updated -> {
                          Row row = updated.iterator().next();
                          JsonObject merchant = rows.merchant(row);
                          return decided(tx, row.getString("client_id"), merchant, null)
                              .map(merchant);
                        }))
        .onSuccess(m -> events.nudge());
  }

  Future<JsonObject> list(
      String clientId,
      String status,
      OffsetDateTime from,
      OffsetDateTime until,
      Page.Request page) {
    return ListQuery.of("SELECT m.* FROM merchants m", "m")
        .eq("m.client_id", clientId)
        .eq("m.status", status)
        .createdFrom(from)
        .createdUntil(until)
        .page(pool, page, rows::merchant);
  }

  Future<JsonObject> get(String clientId, String id) {
    return find(pool, clientId, id).map(rows::merchant);
  }

  /**
   * The unsettled balance: what today's payments and refunds (not yet settled) come to, the fees
   * they will bear, and what is being paid out.
   */
  Future<JsonObject> balance(String clientId, String id) {
    return find(pool, clientId, id)
        .compose(
            merchant ->
                pool.preparedQuery(
                        "SELECT coalesce((SELECT -posted FROM ledger_accounts WHERE code = $1), 0)"
                            + " AS pending, coalesce((SELECT sum(fee) FROM payments p"
                            + " JOIN merchant_days d ON d.merchant_id = p.merchant_id"
                            + " AND d.business_date = p.business_date AND d.statement_id IS NULL"
                            + " WHERE p.merchant_id = $2 AND p.status IN ('SUCCEEDED')), 0)"
                            + " AS fees")
                    .execute(Tuple.of(MerchantRows.balance(clientId, id), id)))
        .map(
            found -> {
              Row row = found.iterator().next();
              return new JsonObject()
                  .put("object", "merchant_balance")
                  .put("merchant_id", id)
                  .put("livemode", rows.livemode())
                  .put("pending", Rows.money(Math.max(0, row.getLong("pending"))))
                  .put("settling", Rows.money(0))
                  .put("fees_pending", Rows.money(row.getLong("fees")))
                  .put("as_of", Times.format(OffsetDateTime.now()));
            });
  }

  static List<JsonObject> licenceFixtures() {
    return List.of(
        new JsonObject()
            .put("licence_number", REJECTED_LICENCE)
            .put("review_outcome", "REJECTED")
            .put("description", "Rejected: the licence does not match the registry."),
        new JsonObject()
            .put("licence_number", PENDING_LICENCE)
            .put("review_outcome", "PENDING_REVIEW")
            .put(
                "description",
                "Stays PENDING_REVIEW, to test waiting for review; only the bank's operators"
                    + " (reviewMerchant) decide it."),
        new JsonObject()
            .put("licence_number", "91320400MA1XY00001")
            .put("review_outcome", "APPROVED")
            .put("description", "Any other valid licence number is approved at once."));
  }
}
