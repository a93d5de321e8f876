package io.scenebank.gateway.canteen;

import io.scenebank.gateway.config.Mode;
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
import io.scenebank.gateway.tx.Answer;
import io.scenebank.gateway.tx.Plan;
import io.scenebank.gateway.tx.Transactions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalTime;
import java.time.OffsetDateTime;
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
  private final Mode mode;
  private final Transactions transactions;
  private final ProgrammeStore store;

  Programmes(
      Pool pool,
      PayerAccounts payers,
      Ledger ledger,
      Events events,
      AppClock clock,
      Mode mode,
      Transactions transactions) {
    this.pool = pool;
    this.payers = payers;
    this.ledger = ledger;
    this.events = events;
    this.clock = clock;
    this.mode = mode;
    this.transactions = transactions;
    this.store = new ProgrammeStore(ledger, events);
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
        .put("livemode", mode.livemode())
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

  /**
   * Enrols an employee: one transaction through {@code Transactions} — the store reads under the
   * programme's lock, {@link EnrolmentRules} decide, the store writes the enrolment. A sandbox
   * fixture payer account is made sure to exist first (its own transaction, once).
   */
  Future<Answer> enrol(Call call, String programmeId, JsonObject request) {
    String employeeRef = request.getString("employee_ref");
    String payer = request.getJsonObject("payer").getString("account_id");
    return payers
        .ensure(pool, call.clientId(), payer)
        .compose(
            ensured ->
                transactions.run(
                    call,
                    tx ->
                        Future.all(
                                store.readForEnrolment(tx, programmeId, employeeRef, payer),
                                tx.now())
                            .map(
                                read -> {
                                  ProgrammeStore.ToEnrol found = read.resultAt(0);
                                  if (found == null) {
                                    return Plan.refuse(
                                        Problem.notFound(
                                            "No subsidy programme " + programmeId + "."));
                                  }
                                  EnrolmentRules.Decision decision =
                                      EnrolmentRules.decide(
                                          new EnrolmentRules.State(
                                              programmeId,
                                              found.status(),
                                              employeeRef,
                                              found.enrolledAs(),
                                              payer,
                                              found.payerFound()));
                                  if (decision instanceof EnrolmentRules.Refuse no) {
                                    return Plan.refuse(no.problem());
                                  }
                                  OffsetDateTime now = read.resultAt(1);
                                  JsonObject enrolment =
                                      new JsonObject()
                                          .put("id", Ids.next("enr"))
                                          .put("object", "enrolment")
                                          .put("livemode", mode.livemode())
                                          .put("programme_id", programmeId)
                                          .put("employee_ref", employeeRef)
                                          // only the masked name is kept
                                          .put(
                                              "name_masked",
                                              Masking.name(request.getString("name")))
                                          .put(
                                              "payer",
                                              new JsonObject()
                                                  .put("account_id", payer)
                                                  .put("account_masked", found.accountMasked()))
                                          .put("wallet_id", Ids.next("wal"))
                                          .put("status", "ACTIVE")
                                          .put(
                                              "metadata",
                                              request.getJsonObject("metadata", new JsonObject()))
                                          .put("created_at", Times.format(now))
                                          .put("updated_at", Times.format(now));
                                  return Plan.apply(
                                      201,
                                      enrolment,
                                      store.enrol(call.clientId(), enrolment, request, now));
                                })));
  }

  private static final String ENROLMENT_SELECT =
      "SELECT e.*, a.account_masked, a.holder_name FROM enrolments e JOIN payer_accounts a"
          + " ON a.client_id = e.client_id AND a.id = e.payer_account_id";

  JsonObject enrolment(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "enrolment")
        .put("livemode", mode.livemode())
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

  /**
   * Funds a programme for a period: one transaction through {@code Transactions} — the store reads
   * under the programme's and the employer account's locks, {@link FundingRules} decide, the store
   * writes the transfer, the funding and a lot per wallet.
   */
  Future<Answer> fund(Call call, String programmeId, JsonObject request) {
    String period = request.getString("period");
    return transactions.run(
        call,
        tx ->
            Future.all(store.readForFunding(tx, programmeId, period), tx.now())
                .map(
                    read -> {
                      ProgrammeStore.ToFund found = read.resultAt(0);
                      if (found == null) {
                        return Plan.refuse(
                            Problem.notFound("No subsidy programme " + programmeId + "."));
                      }
                      Row programme = found.programme();
                      long each =
                          request.getJsonObject("amount_per_employee") == null
                              ? programme.getLong("monthly_amount")
                              : request.getJsonObject("amount_per_employee").getLong("amount");
                      FundingRules.Decision decision =
                          FundingRules.decide(
                              each,
                              period,
                              new FundingRules.State(
                                  programmeId,
                                  programme.getString("status"),
                                  programme.getString("funded_as"),
                                  found.wallets().size(),
                                  programme.getString("funding_account_id"),
                                  programme.getBoolean("funder_found"),
                                  programme.getLong("funder_available")));
                      if (decision instanceof FundingRules.Refuse no) {
                        return Plan.refuse(no.problem());
                      }
                      FundingRules.Fund fund = (FundingRules.Fund) decision;
                      OffsetDateTime now = read.resultAt(1);
                      OffsetDateTime expiresAt =
                          FundingRules.expiresAt(
                              (JsonObject) programme.getValue("expiry"), period, now);
                      JsonObject funding =
                          funding(
                              Ids.next("fnd"),
                              programmeId,
                              period,
                              fund.each(),
                              found.wallets().size(),
                              fund.total(),
                              expiresAt,
                              now);
                      return Plan.apply(
                          201,
                          funding,
                          store.fund(
                              call.clientId(),
                              call.requestId(),
                              found,
                              fund,
                              funding,
                              expiresAt,
                              now));
                    }));
  }

  JsonObject funding(Row row) {
    return funding(
        row.getString("id"),
        row.getString("programme_id"),
        row.getString("period"),
        row.getLong("amount_per_employee"),
        row.getInteger("employees_funded"),
        row.getLong("total"),
        row.getOffsetDateTime("expires_at"),
        row.getOffsetDateTime("created_at"));
  }

  /** A funding as the contract shows it, from its values. */
  JsonObject funding(
      String id,
      String programmeId,
      String period,
      long each,
      int employees,
      long total,
      OffsetDateTime expiresAt,
      OffsetDateTime createdAt) {
    return new JsonObject()
        .put("id", id)
        .put("object", "subsidy_funding")
        .put("livemode", mode.livemode())
        .put("programme_id", programmeId)
        .put("period", period)
        .put("amount_per_employee", Rows.money(each))
        .put("employees_funded", employees)
        .put("total", Rows.money(total))
        .put("expires_at", Times.format(expiresAt))
        .put("created_at", Times.format(createdAt));
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
                                .put("livemode", mode.livemode())
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
