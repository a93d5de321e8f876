package io.scenebank.gateway.bills;

import io.scenebank.gateway.bills.connector.BillerConnector;
import io.scenebank.gateway.bills.connector.BillerException;
import io.scenebank.gateway.support.Ids;
import io.scenebank.gateway.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sandbox biller's system, in process, for one app: fixture accounts with known behaviour, bills
 * issued by the simulator, magic amounts, and the fault mode the app set. Its state lives in the
 * {@code sandbox_*} tables, so it survives restarts and is shared by every instance.
 */
final class SandboxBiller implements BillerConnector {

  /** Amount (fen) whose write-off the biller rejects. */
  static final long REJECTED_AMOUNT = 5001;

  /** Amount (fen) whose write-off the biller never confirms. */
  static final long UNCONFIRMED_AMOUNT = 5008;

  enum Behaviour {
    DUES,
    NO_DUES,
    INVALID_ACCOUNT,
    BILLER_TIMEOUT,
    BILLER_REJECT,
    BILLER_MALFORMED
  }

  /** A fixture account; a bill of {@code amount} for {@code period} when it has dues. */
  record Account(
      String billerId,
      String number,
      Behaviour behaviour,
      String holder,
      String period,
      long amount,
      String description) {}

  static final List<Account> ACCOUNTS =
      List.of(
          new Account(
              SandboxBillers.WATER,
              "3204001234",
              Behaviour.DUES,
              "王*",
              "2026-10",
              8650,
              "One unpaid bill of ¥86.50 for 2026-10."),
          new Account(
              SandboxBillers.WATER,
              "3204000000",
              Behaviour.NO_DUES,
              "李*",
              null,
              0,
              "Nothing to pay."),
          new Account(
              SandboxBillers.WATER,
              "3204009999",
              Behaviour.INVALID_ACCOUNT,
              null,
              null,
              0,
              "Matches the format but is unknown: 422 invalid_account."),
          new Account(
              SandboxBillers.WATER,
              "3204005001",
              Behaviour.BILLER_REJECT,
              "赵*",
              "2026-10",
              12000,
              "A bill of ¥120.00 whose write-off the biller rejects: REVERSED BILLER_REJECTED."),
          new Account(
              SandboxBillers.WATER,
              "3204005002",
              Behaviour.BILLER_MALFORMED,
              "钱*",
              "2026-10",
              9900,
              "The biller answers garbage: inquiry 502; payments REVERSED BILLER_ERROR at the"
                  + " deadline."),
          new Account(
              SandboxBillers.ELECTRICITY,
              "3204000000101",
              Behaviour.DUES,
              "孙*",
              "2026-10",
              21530,
              "One unpaid bill of ¥215.30 for 2026-10."),
          new Account(
              SandboxBillers.ELECTRICITY,
              "3204000000408",
              Behaviour.BILLER_TIMEOUT,
              "周*",
              "2026-10",
              18800,
              "The biller never answers: inquiry 504, payment REVERSED BILLER_TIMEOUT at the"
                  + " deadline."),
          new Account(
              SandboxBillers.GAS,
              "88001234",
              Behaviour.DUES,
              "吴*",
              "2026-10",
              6420,
              "One unpaid gas bill of ¥64.20."),
          new Account(
              SandboxBillers.PROPERTY,
              "A1-1201",
              Behaviour.DUES,
              "郑*",
              "2026年第四季度",
              96000,
              "A property fee of ¥960.00; partial payments are accepted (EXACT_DOWN)."));

  private final Pool pool;
  private final AppClock clock;
  private final String clientId;
  private final String billerId;

  SandboxBiller(Pool pool, AppClock clock, String clientId, String billerId) {
    this.pool = pool;
    this.clock = clock;
    this.clientId = clientId;
    this.billerId = billerId;
  }

  /** The fixture accounts as {@code listFixtures} shows them. */
  static JsonArray fixtures(Map<String, String> billerNames) {
    JsonArray list = new JsonArray();
    for (Account a : ACCOUNTS) {
      list.add(
          new JsonObject()
              .put("biller_id", a.billerId())
              .put("biller_name", billerNames.getOrDefault(a.billerId(), a.billerId()))
              .put("account_number", a.number())
              .put("behaviour", a.behaviour().name())
              .put("description", a.description()));
    }
    return list;
  }

  private Account fixture(String number) {
    return ACCOUNTS.stream()
        .filter(a -> a.billerId().equals(billerId) && a.number().equals(number))
        .findFirst()
        .orElse(null);
  }

  private Future<String> fault() {
    return pool.preparedQuery(
            "SELECT mode FROM sandbox_biller_faults WHERE client_id = $1 AND biller_id = $2")
        .execute(Tuple.of(clientId, billerId))
        .map(rows -> rows.size() == 0 ? "NONE" : rows.iterator().next().getString(0));
  }

  @Override
  public Future<Inquiry> inquire(String accountNumber) {
    Account account = fixture(accountNumber);
    return fault()
        .compose(
            fault -> {
              if ("TIMEOUT".equals(fault)
                  || (account != null && account.behaviour() == Behaviour.BILLER_TIMEOUT)) {
                throw new BillerException(BillerException.Kind.TIMEOUT, "sandbox biller timeout");
              }
              if ("MALFORMED".equals(fault)
                  || (account != null && account.behaviour() == Behaviour.BILLER_MALFORMED)) {
                throw new BillerException(
                    BillerException.Kind.MALFORMED, "sandbox biller answered garbage");
              }
              if (account != null && account.behaviour() == Behaviour.INVALID_ACCOUNT) {
                return Future.succeededFuture(new UnknownAccount());
              }
              return seed(account)
                  .compose(
                      v ->
                          pool.preparedQuery(
                                  "SELECT * FROM sandbox_biller_bills WHERE client_id = $1"
                                      + " AND biller_id = $2 AND account_number = $3"
                                      + " ORDER BY due_date, reference")
                              .execute(Tuple.of(clientId, billerId, accountNumber)))
                  .map(
                      rows -> {
                        if (account == null && rows.size() == 0) {
                          return new UnknownAccount();
                        }
                        List<DueBill> due = new ArrayList<>();
                        for (Row row : rows) {
                          if (row.getString("paid_by") == null) {
                            due.add(
                                new DueBill(
                                    row.getString("reference"),
                                    row.getString("period"),
                                    row.getLong("amount"),
                                    row.getLocalDate("due_date")));
                          }
                        }
                        String holder = account == null ? "张*" : account.holder();
                        return due.isEmpty() ? new NoDues(holder) : new Dues(holder, due);
                      });
            });
  }

  /** A fixture account's bill, issued the first time the app looks (due in 20 days). */
  private Future<Void> seed(Account account) {
    if (account == null || account.amount() == 0) {
      return Future.succeededFuture();
    }
    return clock
        .now(pool, clientId)
        .compose(
            now ->
                pool.preparedQuery(
                        "INSERT INTO sandbox_biller_bills (client_id, biller_id, account_number,"
                            + " reference, period, amount, due_date) VALUES ($1, $2, $3, $4, $5,"
                            + " $6, $7) ON CONFLICT DO NOTHING")
                    .execute(
                        Tuple.of(
                            clientId,
                            billerId,
                            account.number(),
                            "FIX-" + account.number() + "-" + account.period(),
                            account.period(),
                            account.amount(),
                            AppClock.day(now).plusDays(20))))
        .mapEmpty();
  }

  /** Issues a bill for the account (the simulator); returns its reference. */
  Future<String> issue(String accountNumber, String period, long amount, java.time.LocalDate due) {
    String reference = "ISS-" + Ids.random(12);
    return pool.preparedQuery(
            "INSERT INTO sandbox_biller_bills (client_id, biller_id, account_number, reference,"
                + " period, amount, due_date) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .execute(Tuple.of(clientId, billerId, accountNumber, reference, period, amount, due))
        .map(reference);
  }

  @Override
  public Future<WriteOff> writeOff(WriteOffRequest request) {
    Account account = fixture(request.accountNumber());
    return status(request.paymentId(), false)
        .compose(
            known -> {
              if (known != null) {
                return Future.succeededFuture(known);
              }
              return fault().compose(fault -> decide(fault, account, request));
            });
  }

  private Future<WriteOff> decide(String fault, Account account, WriteOffRequest request) {
    Behaviour behaviour = account == null ? null : account.behaviour();
    if ("MALFORMED".equals(fault) || behaviour == Behaviour.BILLER_MALFORMED) {
      return record(request.paymentId(), "UNDECIDED", null, null)
          .compose(
              v ->
                  Future.failedFuture(
                      new BillerException(
                          BillerException.Kind.MALFORMED, "sandbox biller answered garbage")));
    }
    if ("TIMEOUT".equals(fault)
        || behaviour == Behaviour.BILLER_TIMEOUT
        || request.amount() == UNCONFIRMED_AMOUNT) {
      return record(request.paymentId(), "UNDECIDED", null, null).map(v -> new Undecided());
    }
    if ("REJECT".equals(fault)
        || behaviour == Behaviour.BILLER_REJECT
        || request.amount() == REJECTED_AMOUNT) {
      String message = "write-off refused by the biller";
      return record(request.paymentId(), "REJECTED", null, message).map(v -> new Rejected(message));
    }
    Future<Boolean> billPaid =
        request.billReference() == null
            ? Future.succeededFuture(true)
            : pool.preparedQuery(
                    "UPDATE sandbox_biller_bills SET paid_by = $4 WHERE client_id = $1"
                        + " AND biller_id = $2 AND reference = $3 AND paid_by IS NULL RETURNING 1")
                .execute(Tuple.of(clientId, billerId, request.billReference(), request.paymentId()))
                .map(rows -> rows.size() > 0);
    return billPaid.compose(
        paid -> {
          if (!paid) {
            String message = "the bill was already written off";
            return record(request.paymentId(), "REJECTED", null, message)
                .map(v -> new Rejected(message));
          }
          String reference = "WO" + Ids.random(14).toUpperCase(java.util.Locale.ROOT);
          return record(request.paymentId(), "CONFIRMED", reference, null)
              .map(v -> new Confirmed(reference));
        });
  }

  private Future<Void> record(String paymentId, String status, String reference, String message) {
    return pool.preparedQuery(
            "INSERT INTO sandbox_write_offs (client_id, payment_id, status, reference, message)"
                + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(clientId, paymentId, status, reference, message))
        .mapEmpty();
  }

  @Override
  public Future<WriteOff> status(String paymentId) {
    return fault()
        .compose(
            fault -> {
              if ("MALFORMED".equals(fault)) {
                throw new BillerException(
                    BillerException.Kind.MALFORMED, "sandbox biller answered garbage");
              }
              return status(paymentId, true);
            });
  }

  /** The recorded write-off; null when none ({@code undecidedIfNone} false). */
  private Future<WriteOff> status(String paymentId, boolean undecidedIfNone) {
    return pool.preparedQuery(
            "SELECT status, reference, message FROM sandbox_write_offs"
                + " WHERE client_id = $1 AND payment_id = $2")
        .execute(Tuple.of(clientId, paymentId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return undecidedIfNone ? new Undecided() : null;
              }
              Row row = rows.iterator().next();
              return switch (row.getString("status")) {
                case "CONFIRMED" -> new Confirmed(row.getString("reference"));
                case "REJECTED" -> new Rejected(row.getString("message"));
                default -> new Undecided();
              };
            });
  }
}
