package io.scenebank.gateway.canteen;

import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.ledger.Ledger.Transfer;
import io.scenebank.gateway.payers.PayerAccounts;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.support.ListQuery;
import io.scenebank.gateway.support.Masking;
import io.scenebank.gateway.support.Page;
import io.scenebank.gateway.support.Rows;
import io.scenebank.gateway.support.Times;
import io.scenebank.gateway.time.AppClock;
import io.scenebank.gateway.time.TimeDriven;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * Employer-funded meal subsidy programmes: enrolments with a wallet each, monthly funding into the
 * wallets (one lot per funding, with its expiry), and the clear-down of expired subsidy back to the
 * employer.
 */
final class Programmes implements TimeDriven {

  private final Pool pool;
  private final PayerAccounts payers;
  private final Ledger ledger;
  private final Events events;
  private final AppClock clock;
  private final boolean livemode;

  Programmes(
      Pool pool,
      PayerAccounts payers,
      Ledger ledger,
      Events events,
      AppClock clock,
      boolean livemode) {
    this.pool = pool;
    this.payers = payers;
    this.ledger = ledger;
    this.events = events;
    this.clock = clock;
    this.livemode = livemode;
  }

  /** The subsidy in an employee's wallet (a credit balance: owed, for meals only). */
  static String wallet(String clientId, String walletId) {
    return "canteen:" + clientId + ":wallet:" + walletId;
  }

  // ------------------------------------------------------------------ programmes

  Future<JsonObject> create(Call call, JsonObject request) {
    JsonArray slots = request.getJsonArray("meal_slots");
    checkSlots(slots);
    JsonObject expiry = request.getJsonObject("expiry");
    if ("DAYS".equals(expiry.getString("policy")) && expiry.getInteger("days") == null) {
      return Future.failedFuture(
          Problem.unprocessable("expiry_days_required", "expiry.policy DAYS needs expiry.days."));
    }
    JsonObject employer = request.getJsonObject("employer");
    String fundingAccount = employer.getJsonObject("funding_account").getString("account_id");
    List<String> canteens = new ArrayList<>();
    request.getJsonArray("canteen_merchant_ids").forEach(id -> canteens.add((String) id));
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "SELECT id FROM merchants WHERE client_id = $1 AND id = ANY ($2)"
                        + " AND status = 'ACTIVE'")
                .execute(Tuple.of(call.clientId(), (Object) canteens.toArray(String[]::new)))
                .compose(
                    found -> {
                      List<String> active = new ArrayList<>();
                      found.forEach(r -> active.add(r.getString(0)));
                      for (String id : canteens) {
                        if (!active.contains(id)) {
                          throw Problem.unprocessable(
                              "merchant_not_eligible",
                              "Canteen " + id + " is not an ACTIVE merchant of your platform.");
                        }
                      }
                      return clock.now(tx, call.clientId());
                    })
                .compose(
                    now ->
                        payers
                            .lock(tx, call.clientId(), fundingAccount, now)
                            .compose(
                                account -> {
                                  JsonObject stored =
                                      new JsonObject()
                                          .put("name", employer.getString("name"))
                                          .put("reference", employer.getString("reference"))
                                          .put(
                                              "funding_account",
                                              new JsonObject()
                                                  .put("account_id", fundingAccount)
                                                  .put(
                                                      "account_masked",
                                                      account.getString("account_masked")));
                                  return tx.preparedQuery(
                                          "INSERT INTO subsidy_programmes (id, client_id, name,"
                                              + " status, employer, funding_account_id,"
                                              + " monthly_amount, meal_slots,"
                                              + " canteen_merchant_ids, expiry, metadata,"
                                              + " created_at, updated_at) VALUES ($1, $2, $3,"
                                              + " 'ACTIVE', $4, $5, $6, $7, $8, $9, $10, $11, $11)"
                                              + " RETURNING id")
                                      .execute(
                                          Tuple.tuple()
                                              .addString(Ids.next("sbp"))
                                              .addString(call.clientId())
                                              .addString(request.getString("name"))
                                              .addJsonObject(stored)
                                              .addString(fundingAccount)
                                              .addLong(
                                                  request
                                                      .getJsonObject("monthly_amount")
                                                      .getLong("amount"))
                                              .addJsonArray(slots)
                                              .addArrayOfString(canteens.toArray(String[]::new))
                                              .addJsonObject(expiry)
                                              .addJsonObject(
                                                  request.getJsonObject(
                                                      "metadata", new JsonObject()))
                                              .addOffsetDateTime(now));
                                }))
                .compose(
                    rows -> programme(tx, call.clientId(), rows.iterator().next().getString(0)))
                .compose(p -> call.answer(tx, 201, p)));
  }

  /** Slots must not overlap, and each must end after it starts. */
  static void checkSlots(JsonArray slots) {
    List<LocalTime[]> seen = new ArrayList<>();
    for (Object o : slots) {
      JsonObject slot = (JsonObject) o;
      LocalTime start = LocalTime.parse(slot.getString("start"));
      LocalTime end = LocalTime.parse(slot.getString("end"));
      if (!end.isAfter(start)) {
        throw Problem.unprocessable(
            "meal_slots_overlap",
            "Meal slot " + slot.getString("name") + " ends before it starts.");
      }
      for (LocalTime[] other : seen) {
        if (start.isBefore(other[1]) && other[0].isBefore(end)) {
          throw Problem.unprocessable(
              "meal_slots_overlap", "Meal slot " + slot.getString("name") + " overlaps another.");
        }
      }
      seen.add(new LocalTime[] {start, end});
    }
  }

  /** The app's programme, or 404. */
  Future<Row> find(SqlClient client, String clientId, String id) {
    return client
        .preparedQuery("SELECT * FROM subsidy_programmes WHERE client_id = $1 AND id = $2")
        .execute(Tuple.of(clientId, id))
        .map(
            found -> {
              if (found.size() == 0) {
                throw Problem.notFound("No subsidy programme " + id + ".");
              }
              return found.iterator().next();
            });
  }

  private Future<JsonObject> programme(SqlClient client, String clientId, String id) {
    return client
        .preparedQuery(
            "SELECT p.*, (SELECT count(*) FROM enrolments e WHERE e.programme_id = p.id"
                + " AND e.status = 'ACTIVE') AS enrolled FROM subsidy_programmes p"
                + " WHERE p.client_id = $1 AND p.id = $2")
        .execute(Tuple.of(clientId, id))
        .map(
            found -> {
              if (found.size() == 0) {
                throw Problem.notFound("No subsidy programme " + id + ".");
              }
              return programme(found.iterator().next());
            });
  }

  JsonObject programme(Row row) {
    JsonArray canteens = new JsonArray();
    for (String id : row.getArrayOfStrings("canteen_merchant_ids")) {
      canteens.add(id);
    }
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "subsidy_programme")
        .put("livemode", livemode)
        .put("name", row.getString("name"))
        .put("status", row.getString("status"))
        .put("employer", (JsonObject) row.getValue("employer"))
        .put("monthly_amount", Rows.money(row.getLong("monthly_amount")))
        .put("meal_slots", (JsonArray) row.getValue("meal_slots"))
        .put("canteen_merchant_ids", canteens)
        .put("expiry", (JsonObject) row.getValue("expiry"))
        .put("enrolled_count", row.getLong("enrolled").intValue())
        .put("metadata", Rows.metadata(row))
        .put("created_at", Times.format(row.getOffsetDateTime("created_at")))
        .put("updated_at", Times.format(row.getOffsetDateTime("updated_at")));
  }

  Future<JsonObject> get(String clientId, String id) {
    return programme(pool, clientId, id);
  }

  Future<JsonObject> list(String clientId, String status, Page.Request page) {
    return ListQuery.of(
            "SELECT p.*, (SELECT count(*) FROM enrolments e WHERE e.programme_id = p.id"
                + " AND e.status = 'ACTIVE') AS enrolled FROM subsidy_programmes p",
            "p")
        .eq("p.client_id", clientId)
        .eq("p.status", status)
        .page(pool, page, this::programme);
  }

  // ------------------------------------------------------------------ enrolments

  Future<JsonObject> enrol(Call call, String programmeId, JsonObject request) {
    String employeeRef = request.getString("employee_ref");
    String payer = request.getJsonObject("payer").getString("account_id");
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "SELECT * FROM subsidy_programmes WHERE client_id = $1 AND id = $2 FOR UPDATE")
                .execute(Tuple.of(call.clientId(), programmeId))
                .compose(
                    found -> {
                      if (found.size() == 0) {
                        throw Problem.notFound("No subsidy programme " + programmeId + ".");
                      }
                      if (!"ACTIVE".equals(found.iterator().next().getString("status"))) {
                        throw Problem.conflict(
                            "programme_not_active", "Programme " + programmeId + " is CLOSED.");
                      }
                      return tx.preparedQuery(
                              "SELECT id FROM enrolments WHERE programme_id = $1"
                                  + " AND employee_ref = $2")
                          .execute(Tuple.of(programmeId, employeeRef));
                    })
                .compose(
                    dup -> {
                      if (dup.size() > 0) {
                        throw Problem.conflict(
                            "employee_already_enrolled",
                            "Employee "
                                + employeeRef
                                + " is already enrolled ("
                                + dup.iterator().next().getString("id")
                                + ").");
                      }
                      return clock.now(tx, call.clientId());
                    })
                .compose(
                    now ->
                        payers
                            .lock(tx, call.clientId(), payer, now)
                            .compose(
                                account ->
                                    tx.preparedQuery(
                                            "INSERT INTO enrolments (id, client_id, programme_id,"
                                                + " employee_ref, name, payer_account_id,"
                                                + " wallet_id, status, metadata, created_at,"
                                                + " updated_at) VALUES ($1, $2, $3, $4, $5, $6,"
                                                + " $7, 'ACTIVE', $8, $9, $9) RETURNING id")
                                        .execute(
                                            Tuple.tuple()
                                                .addString(Ids.next("enr"))
                                                .addString(call.clientId())
                                                .addString(programmeId)
                                                .addString(employeeRef)
                                                // only the masked name is kept
                                                .addString(Masking.name(request.getString("name")))
                                                .addString(payer)
                                                .addString(Ids.next("wal"))
                                                .addJsonObject(
                                                    request.getJsonObject(
                                                        "metadata", new JsonObject()))
                                                .addOffsetDateTime(now))))
                .compose(rows -> enrolment(tx, rows.iterator().next().getString(0)))
                .compose(e -> call.answer(tx, 201, e)));
  }

  private static final String ENROLMENT_SELECT =
      "SELECT e.*, a.account_masked, a.holder_name FROM enrolments e JOIN payer_accounts a"
          + " ON a.client_id = e.client_id AND a.id = e.payer_account_id";

  private Future<JsonObject> enrolment(SqlClient client, String id) {
    return client
        .preparedQuery(ENROLMENT_SELECT + " WHERE e.id = $1")
        .execute(Tuple.of(id))
        .map(rows -> enrolment(rows.iterator().next()));
  }

  JsonObject enrolment(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "enrolment")
        .put("livemode", livemode)
        .put("programme_id", row.getString("programme_id"))
        .put("employee_ref", row.getString("employee_ref"))
        .put("name_masked", row.getString("name"))
        .put(
            "payer",
            new JsonObject()
                .put("account_id", row.getString("payer_account_id"))
                .put("account_masked", row.getString("account_masked")))
        .put("wallet_id", row.getString("wallet_id"))
        .put("status", row.getString("status"))
        .put("metadata", Rows.metadata(row))
        .put("created_at", Times.format(row.getOffsetDateTime("created_at")))
        .put("updated_at", Times.format(row.getOffsetDateTime("updated_at")));
  }

  Future<JsonObject> enrolments(
      String clientId, String programmeId, String employeeRef, Page.Request page) {
    return find(pool, clientId, programmeId)
        .compose(
            p ->
                ListQuery.of(ENROLMENT_SELECT, "e")
                    .eq("e.programme_id", programmeId)
                    .eq("e.employee_ref", employeeRef)
                    .page(pool, page, this::enrolment));
  }

  // ------------------------------------------------------------------ funding

  Future<JsonObject> fund(Call call, String programmeId, JsonObject request) {
    String period = request.getString("period");
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "SELECT * FROM subsidy_programmes WHERE client_id = $1 AND id = $2"
                            + " FOR UPDATE")
                    .execute(Tuple.of(call.clientId(), programmeId))
                    .compose(
                        found -> {
                          if (found.size() == 0) {
                            throw Problem.notFound("No subsidy programme " + programmeId + ".");
                          }
                          Row programme = found.iterator().next();
                          if (!"ACTIVE".equals(programme.getString("status"))) {
                            throw Problem.conflict(
                                "programme_not_active", "Programme " + programmeId + " is CLOSED.");
                          }
                          return tx.preparedQuery(
                                  "SELECT id FROM subsidy_fundings WHERE programme_id = $1"
                                      + " AND period = $2")
                              .execute(Tuple.of(programmeId, period))
                              .compose(
                                  dup -> {
                                    if (dup.size() > 0) {
                                      throw Problem.conflict(
                                          "period_already_funded",
                                          period
                                              + " was already funded ("
                                              + dup.iterator().next().getString("id")
                                              + ").");
                                    }
                                    return clock.now(tx, call.clientId());
                                  })
                              .compose(now -> fund(tx, call, programme, period, request, now));
                        }))
        .onSuccess(f -> events.nudge());
  }

  private Future<JsonObject> fund(
      SqlClient tx,
      Call call,
      Row programme,
      String period,
      JsonObject request,
      OffsetDateTime now) {
    String clientId = call.clientId();
    String programmeId = programme.getString("id");
    long each =
        request.getJsonObject("amount_per_employee") == null
            ? programme.getLong("monthly_amount")
            : request.getJsonObject("amount_per_employee").getLong("amount");
    JsonObject expiry = (JsonObject) programme.getValue("expiry");
    OffsetDateTime expiresAt =
        "DAYS".equals(expiry.getString("policy"))
            ? now.plusDays(expiry.getInteger("days"))
            : YearMonth.parse(period).plusMonths(1).atDay(1).atStartOfDay().atOffset(Times.CHINA);
    String funder = programme.getString("funding_account_id");
    return tx.preparedQuery(
            "SELECT wallet_id FROM enrolments WHERE programme_id = $1 AND status = 'ACTIVE'"
                + " ORDER BY id")
        .execute(Tuple.of(programmeId))
        .compose(
            enrolled -> {
              if (enrolled.size() == 0) {
                throw Problem.unprocessable(
                    "no_active_enrolments", "Programme " + programmeId + " has no enrolment.");
              }
              List<String> wallets = new ArrayList<>();
              enrolled.forEach(r -> wallets.add(r.getString(0)));
              long total = Math.multiplyExact(each, (long) wallets.size());
              String id = Ids.next("fnd");
              return payers
                  .lock(tx, clientId, funder, now)
                  .compose(a -> payers.available(tx, clientId, funder))
                  .compose(
                      available -> {
                        if (total > available) {
                          throw Problem.unprocessable(
                              "insufficient_funds",
                              "The employer's account cannot cover "
                                  + total
                                  + " fen; nothing was credited.");
                        }
                        List<Posting> legs = new ArrayList<>();
                        legs.add(Posting.debit(PayerAccounts.deposit(clientId, funder), total));
                        wallets.forEach(w -> legs.add(Posting.credit(wallet(clientId, w), each)));
                        return ledger.record(
                            tx,
                            now,
                            List.of(
                                new Transfer(Ledger.Layer.POSTED, "canteen.funding", id, legs)));
                      })
                  .compose(
                      v ->
                          tx.preparedQuery(
                                  "INSERT INTO subsidy_fundings (id, client_id, programme_id,"
                                      + " period, amount_per_employee, employees_funded, total,"
                                      + " expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6,"
                                      + " $7, $8, $9) RETURNING *")
                              .execute(
                                  Tuple.tuple()
                                      .addString(id)
                                      .addString(clientId)
                                      .addString(programmeId)
                                      .addString(period)
                                      .addLong(each)
                                      .addInteger(wallets.size())
                                      .addLong(total)
                                      .addOffsetDateTime(expiresAt)
                                      .addOffsetDateTime(now)))
                  .compose(
                      inserted ->
                          tx.preparedQuery(
                                  "INSERT INTO subsidy_lots (wallet_id, funding_id, amount,"
                                      + " remaining, expires_at) SELECT unnest($1::text[]), $2,"
                                      + " $3, $3, $4")
                              .execute(
                                  Tuple.of(wallets.toArray(String[]::new), id, each, expiresAt))
                              .map(inserted.iterator().next()))
                  .compose(
                      row -> {
                        JsonObject funding = funding(row);
                        return events
                            .emit(tx, clientId, "subsidy.funded", funding, call.requestId())
                            .compose(e -> call.answer(tx, 201, funding));
                      });
            });
  }

  JsonObject funding(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "subsidy_funding")
        .put("livemode", livemode)
        .put("programme_id", row.getString("programme_id"))
        .put("period", row.getString("period"))
        .put("amount_per_employee", Rows.money(row.getLong("amount_per_employee")))
        .put("employees_funded", row.getInteger("employees_funded"))
        .put("total", Rows.money(row.getLong("total")))
        .put("expires_at", Times.format(row.getOffsetDateTime("expires_at")))
        .put("created_at", Times.format(row.getOffsetDateTime("created_at")));
  }

  Future<JsonObject> fundings(String clientId, String programmeId, Page.Request page) {
    return find(pool, clientId, programmeId)
        .compose(
            p ->
                ListQuery.of("SELECT f.* FROM subsidy_fundings f", "f")
                    .eq("f.programme_id", programmeId)
                    .page(pool, page, this::funding));
  }

  // ------------------------------------------------------------------ wallets, expiry

  Future<JsonObject> wallet(SqlClient client, String clientId, String walletId) {
    return client
        .preparedQuery(
            // lots past their expiry count as expired even before the sweep clears them down
            "SELECT e.*, coalesce((SELECT sum(remaining) FROM subsidy_lots l WHERE l.wallet_id ="
                + " e.wallet_id AND NOT l.expired AND l.expires_at > "
                + clock.nowSql("e.client_id")
                + "), 0) AS balance, (SELECT min(expires_at) FROM"
                + " subsidy_lots l WHERE l.wallet_id = e.wallet_id AND NOT l.expired"
                + " AND l.remaining > 0 AND l.expires_at > "
                + clock.nowSql("e.client_id")
                + ") AS expires FROM enrolments e"
                + " WHERE e.client_id = $1 AND e.wallet_id = $2")
        .execute(Tuple.of(clientId, walletId))
        .compose(
            found -> {
              if (found.size() == 0) {
                throw Problem.notFound("No wallet " + walletId + ".");
              }
              Row row = found.iterator().next();
              return payers
                  .available(client, clientId, row.getString("payer_account_id"))
                  .map(
                      own -> {
                        JsonObject json =
                            new JsonObject()
                                .put("id", walletId)
                                .put("object", "wallet")
                                .put("livemode", livemode)
                                .put("programme_id", row.getString("programme_id"))
                                .put("enrolment_id", row.getString("id"))
                                .put("employee_ref", row.getString("employee_ref"))
                                .put("subsidy_balance", Rows.money(row.getLong("balance")));
                        if (row.getOffsetDateTime("expires") != null) {
                          json.put("expires_at", Times.format(row.getOffsetDateTime("expires")));
                        }
                        if (row.getLong("expired_last") != null) {
                          json.put("expired_last", Rows.money(row.getLong("expired_last")));
                        }
                        return json.put("own_funds_available", Rows.money(Math.max(0, own)))
                            .put("created_at", Times.format(row.getOffsetDateTime("created_at")))
                            .put("updated_at", Times.format(row.getOffsetDateTime("updated_at")));
                      });
            });
  }

  Future<JsonObject> getWallet(String clientId, String walletId) {
    // as stored: expiry is the sweeper's (and advanceClock's) work, not a read's
    return wallet(pool, clientId, walletId);
  }

  /** Expired lots: their remaining subsidy goes back to the employer; {@code subsidy.expired}. */
  @Override
  public Future<Void> runDue(String clientId) {
    return pool.preparedQuery(
            "SELECT DISTINCT e.client_id, e.wallet_id FROM subsidy_lots l JOIN enrolments e"
                + " ON e.wallet_id = l.wallet_id WHERE NOT l.expired AND l.remaining > 0"
                + " AND ($1::text IS NULL OR e.client_id = $1) AND l.expires_at <= "
                + clock.nowSql("e.client_id")
                + " LIMIT 200")
        .execute(Tuple.of(clientId))
        .compose(
            due -> {
              Future<Void> done = Future.succeededFuture();
              for (Row row : due) {
                done =
                    done.compose(
                        v -> expire(row.getString("client_id"), row.getString("wallet_id")));
              }
              return done;
            });
  }

  private Future<Void> expire(String clientId, String walletId) {
    return pool.withTransaction(
            tx ->
                clock
                    .now(tx, clientId)
                    .compose(
                        now ->
                            tx.preparedQuery(
                                    "WITH due AS (SELECT l.id, l.remaining, p.funding_account_id"
                                        + " FROM subsidy_lots l JOIN subsidy_fundings f"
                                        + " ON f.id = l.funding_id JOIN subsidy_programmes p"
                                        + " ON p.id = f.programme_id WHERE l.wallet_id = $1"
                                        + " AND NOT l.expired AND l.expires_at <= $2"
                                        + " FOR UPDATE OF l)"
                                        + " UPDATE subsidy_lots l SET expired = true,"
                                        + " remaining = 0 FROM due WHERE l.id = due.id"
                                        + " RETURNING due.remaining, due.funding_account_id")
                                .execute(Tuple.of(walletId, now))
                                .compose(
                                    lots -> {
                                      long amount = 0;
                                      String funder = null;
                                      for (Row lot : lots) {
                                        amount += lot.getLong("remaining");
                                        funder = lot.getString("funding_account_id");
                                      }
                                      if (amount == 0) {
                                        return Future.succeededFuture(false);
                                      }
                                      long cleared = amount;
                                      return ledger
                                          .record(
                                              tx,
                                              now,
                                              List.of(
                                                  new Transfer(
                                                      Ledger.Layer.POSTED,
                                                      "canteen.expiry",
                                                      walletId,
                                                      List.of(
                                                          Posting.debit(
                                                              wallet(clientId, walletId), amount),
                                                          Posting.credit(
                                                              PayerAccounts.deposit(
                                                                  clientId, funder),
                                                              amount)))))
                                          .compose(
                                              v ->
                                                  tx.preparedQuery(
                                                          "UPDATE enrolments SET expired_last = $2,"
                                                              + " updated_at = $3"
                                                              + " WHERE wallet_id = $1")
                                                      .execute(Tuple.of(walletId, cleared, now)))
                                          .compose(v -> wallet(tx, clientId, walletId))
                                          .compose(
                                              w ->
                                                  events.emit(
                                                      tx, clientId, "subsidy.expired", w, null))
                                          .map(true);
                                    })))
        .onSuccess(changed -> events.nudge())
        .mapEmpty();
  }
}
