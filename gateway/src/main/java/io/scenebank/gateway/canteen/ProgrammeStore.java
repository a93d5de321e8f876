package io.scenebank.gateway.canteen;

import io.scenebank.gateway.events.Events;
import io.scenebank.gateway.ledger.Ledger;
import io.scenebank.gateway.ledger.Ledger.Posting;
import io.scenebank.gateway.ledger.Ledger.Transfer;
import io.scenebank.gateway.payers.PayerAccounts;
import io.scenebank.gateway.tx.Cte;
import io.scenebank.gateway.tx.Tx;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a funding. Reading locks the programme (enrolments and fundings of a programme change
 * under its lock) and the employer's account, makes sure the enrolled wallets have their ledger
 * accounts, then reads the programme with the period's funding and the employer's balance, and the
 * enrolled wallets, each in a statement of its own after the locks. Writing is one statement: the
 * transfer, the funding, a lot per wallet, {@code subsidy.funded}.
 */
final class ProgrammeStore {

  private final Ledger ledger;
  private final Events events;

  ProgrammeStore(Ledger ledger, Events events) {
    this.ledger = ledger;
    this.events = events;
  }

  /** A programme to enrol in: its status, the employee's enrolment if any, the payer account. */
  record ToEnrol(String status, String enrolledAs, boolean payerFound, String accountMasked) {}

  /**
   * Locks the programme, then reads its status, the employee's enrolment in it and the payer
   * account; null if the app has no such programme.
   */
  Future<ToEnrol> readForEnrolment(
      Tx tx, String programmeId, String employeeRef, String payerAccount) {
    String clientId = tx.clientId();
    tx.send(
        "SELECT 1 FROM subsidy_programmes WHERE client_id = $1 AND id = $2 FOR UPDATE",
        clientId,
        programmeId);
    return tx.send(
            "SELECT p.status, (SELECT e.id FROM enrolments e WHERE e.programme_id = p.id"
                + " AND e.employee_ref = $3) AS enrolled_as, a.id AS payer_id, a.account_masked"
                + " FROM subsidy_programmes p LEFT JOIN payer_accounts a"
                + " ON a.client_id = p.client_id AND a.id = $4"
                + " WHERE p.client_id = $1 AND p.id = $2",
            clientId,
            programmeId,
            employeeRef,
            payerAccount)
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              return new ToEnrol(
                  row.getString("status"),
                  row.getString("enrolled_as"),
                  row.getString("payer_id") != null,
                  row.getString("account_masked"));
            });
  }

  /** The write of an enrolment (its JSON as answered): the enrolment row, with its wallet. */
  Cte enrol(String clientId, JsonObject enrolment, JsonObject request, OffsetDateTime now) {
    Cte cte = new Cte();
    cte.part(
        cte.name("enrolment"),
        "INSERT INTO enrolments (id, client_id, programme_id, employee_ref, name,"
            + " payer_account_id, wallet_id, status, metadata, created_at, updated_at)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, 'ACTIVE', $8, $9, $9) RETURNING 1",
        enrolment.getString("id"),
        clientId,
        enrolment.getString("programme_id"),
        enrolment.getString("employee_ref"),
        enrolment.getString("name_masked"),
        enrolment.getJsonObject("payer").getString("account_id"),
        enrolment.getString("wallet_id"),
        request.getJsonObject("metadata", new JsonObject()),
        now);
    return cte;
  }

  /** A programme to fund: its row (with the period's funding and the employer's account). */
  record ToFund(Row programme, List<String> wallets) {}

  /** The programme, locked, and its enrolled wallets; null if the app has no such programme. */
  Future<ToFund> readForFunding(Tx tx, String programmeId, String period) {
    String clientId = tx.clientId();
    tx.send(
        "SELECT 1 FROM subsidy_programmes WHERE client_id = $1 AND id = $2 FOR UPDATE",
        clientId,
        programmeId);
    tx.send(
        "SELECT 1 FROM payer_accounts a JOIN subsidy_programmes p ON p.client_id = a.client_id"
            + " AND p.funding_account_id = a.id WHERE p.client_id = $1 AND p.id = $2"
            + " FOR UPDATE OF a",
        clientId,
        programmeId);
    // the wallets' accounts must exist before the statement that posts to them
    tx.send(
        "INSERT INTO ledger_accounts (code) SELECT $3 || e.wallet_id FROM enrolments e"
            + " JOIN subsidy_programmes p ON p.id = e.programme_id WHERE p.client_id = $1"
            + " AND p.id = $2 AND e.status = 'ACTIVE' ORDER BY 1 ON CONFLICT (code) DO NOTHING",
        clientId,
        programmeId,
        Programmes.wallet(clientId, ""));
    Future<RowSet<Row>> programme =
        tx.send(
            "SELECT p.*, (SELECT f.id FROM subsidy_fundings f WHERE f.programme_id = p.id"
                + " AND f.period = $3) AS funded_as, EXISTS (SELECT 1 FROM payer_accounts a"
                + " WHERE a.client_id = p.client_id AND a.id = p.funding_account_id)"
                + " AS funder_found, coalesce((SELECT -x.posted FROM ledger_accounts x"
                + " WHERE x.code = $4 || p.funding_account_id), 0) AS funder_available"
                + " FROM subsidy_programmes p WHERE p.client_id = $1 AND p.id = $2",
            clientId,
            programmeId,
            period,
            PayerAccounts.deposit(clientId, ""));
    Future<RowSet<Row>> wallets =
        tx.send(
            "SELECT e.wallet_id FROM enrolments e JOIN subsidy_programmes p"
                + " ON p.id = e.programme_id WHERE p.client_id = $1 AND p.id = $2"
                + " AND e.status = 'ACTIVE' ORDER BY e.id",
            clientId,
            programmeId);
    return Future.all(programme, wallets)
        .map(
            v -> {
              if (programme.result().size() == 0) {
                return null;
              }
              List<String> ids = new ArrayList<>();
              wallets.result().forEach(r -> ids.add(r.getString(0)));
              return new ToFund(programme.result().iterator().next(), ids);
            });
  }

  /**
   * The writes of a funding: the employer's deposit debited the total, each wallet credited {@code
   * each}; the funding; a lot per wallet expiring at {@code expiresAt}; {@code subsidy.funded}.
   */
  Cte fund(
      String clientId,
      String requestId,
      ToFund found,
      FundingRules.Fund fund,
      JsonObject funding,
      OffsetDateTime expiresAt,
      OffsetDateTime now) {
    String id = funding.getString("id");
    Row programme = found.programme();
    List<Posting> legs = new ArrayList<>();
    legs.add(
        Posting.debit(
            PayerAccounts.deposit(clientId, programme.getString("funding_account_id")),
            fund.total()));
    found
        .wallets()
        .forEach(w -> legs.add(Posting.credit(Programmes.wallet(clientId, w), fund.each())));
    Cte cte = new Cte();
    ledger.write(cte, now, List.of(new Transfer(Ledger.Layer.POSTED, "canteen.funding", id, legs)));
    cte.part(
        cte.name("funding"),
        "INSERT INTO subsidy_fundings (id, client_id, programme_id, period, amount_per_employee,"
            + " employees_funded, total, expires_at, created_at)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING 1",
        id,
        clientId,
        programme.getString("id"),
        funding.getString("period"),
        fund.each(),
        found.wallets().size(),
        fund.total(),
        expiresAt,
        now);
    cte.part(
        cte.name("lots"),
        "INSERT INTO subsidy_lots (wallet_id, funding_id, amount, remaining, expires_at)"
            + " SELECT unnest($1::text[]), $2, $3, $3, $4 RETURNING 1",
        found.wallets().toArray(String[]::new),
        id,
        fund.each(),
        expiresAt);
    events.write(cte, clientId, "subsidy.funded", funding, requestId);
    return cte;
  }
}
