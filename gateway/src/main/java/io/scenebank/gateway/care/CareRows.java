package io.scenebank.gateway.care;

import static io.scenebank.gateway.support.Rows.metadata;
import static io.scenebank.gateway.support.Rows.money;
import static io.scenebank.gateway.support.Rows.putIfPresent;
import static io.scenebank.gateway.support.Rows.time;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Rows of the care tables as the contract shows them, and the ledger accounts of care. */
final class CareRows {

  /** A credit line with its balances from the ledger (held, principal and penalty owed). */
  static final String LINE_SELECT =
      "SELECT l.*, coalesce(p.pending, 0) AS held, coalesce(p.posted, 0) AS principal_owed,"
          + " coalesce(q.posted, 0) AS penalty_owed FROM care_credit_lines l"
          + " LEFT JOIN ledger_accounts p ON p.code = l.principal_account"
          + " LEFT JOIN ledger_accounts q ON q.code = l.penalty_account";

  private final Mode mode;

  CareRows(Mode mode) {
    this.mode = mode;
  }

  // ledger accounts, per hospital app: the line's own two, and the hospital's counterparts

  static String principalAccount(String clientId, String lineId) {
    return "care:" + clientId + ":line:" + lineId + ":principal";
  }

  static String penaltyAccount(String clientId, String lineId) {
    return "care:" + clientId + ":line:" + lineId + ":penalty";
  }

  /**
   * The counterpart of the line's holds (pending layer). Per line, so that charges on different
   * lines never wait for one another's ledger rows.
   */
  static String holds(String clientId, String lineId) {
    return "care:" + clientId + ":line:" + lineId + ":holds";
  }

  /** What the bank owes the hospital for settled care. */
  static String hospitalSettlement(String clientId) {
    return "care:" + clientId + ":hospital_settlement";
  }

  /** What the insurer owes the bank: {@code pooled_fund} or {@code personal_account}. */
  static String insurerReceivable(String clientId, String part) {
    return "care:" + clientId + ":insurer_receivable:" + part;
  }

  /** Repayments received from patients, to be cleared from their payment accounts. */
  static String repaymentsReceived(String clientId) {
    return "care:" + clientId + ":repayments_received";
  }

  /** Refunds owed to patients who had already repaid. */
  static String patientRefunds(String clientId) {
    return "care:" + clientId + ":patient_refunds_payable";
  }

  /** The bank's income from penalty interest. */
  static String penaltyIncome(String clientId) {
    return "care:" + clientId + ":penalty_income";
  }

  static Row one(RowSet<Row> rows, String what, String id) {
    if (rows.size() == 0) {
      throw Problem.notFound("No " + what + " " + id + ".");
    }
    return rows.iterator().next();
  }

  JsonObject consent(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "consent")
            .put("livemode", mode.livemode())
            .put("status", row.getString("status"))
            .put("purpose", row.getString("purpose"))
            .put("patient", (JsonObject) row.getValue("patient_masked"))
            .put("hospital_patient_ref", row.getString("hospital_patient_ref"));
    Long requested = row.getLong("requested_limit");
    if (requested != null) {
      json.put("requested_limit", money(requested));
    }
    json.put("expires_at", time(row, "expires_at"));
    putIfPresent(json, "decided_at", time(row, "decided_at"));
    putIfPresent(json, "credit_line_id", row.getString("credit_line_id"));
    return json.put("metadata", metadata(row))
        .put("created_at", time(row, "created_at"))
        .put("updated_at", time(row, "updated_at"));
  }

  /** A credit line; the row comes from {@link #LINE_SELECT}. */
  JsonObject creditLine(Row row) {
    long limit = row.getLong("limit_amount");
    long held = row.getLong("held");
    long outstanding = row.getLong("principal_owed") + row.getLong("penalty_owed");
    String status = row.getString("status");
    long available = "ACTIVE".equals(status) ? Math.max(0, limit - held - outstanding) : 0;
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "credit_line")
            .put("livemode", mode.livemode())
            .put("consent_id", row.getString("consent_id"))
            .put("status", status);
    putIfPresent(json, "frozen_reason", row.getString("frozen_reason"));
    json.put("patient", (JsonObject) row.getValue("patient_masked"))
        .put("limit", money(limit))
        .put("available", money(available))
        .put("held", money(held))
        .put("outstanding", money(outstanding))
        .put("decision", (JsonObject) row.getValue("decision"))
        .put("grace_period_days", row.getInteger("grace_period_days"))
        .put("penalty_daily_rate_bps", row.getInteger("penalty_daily_rate_bps"));
    putIfPresent(json, "closed_at", time(row, "closed_at"));
    return json.put("metadata", metadata(row))
        .put("created_at", time(row, "created_at"))
        .put("updated_at", time(row, "updated_at"));
  }

  JsonObject encounter(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "encounter")
            .put("livemode", mode.livemode())
            .put("credit_line_id", row.getString("credit_line_id"))
            .put("hospital_encounter_ref", row.getString("hospital_encounter_ref"))
            .put("department", row.getString("department"))
            .put("visit_type", row.getString("visit_type"))
            .put("status", row.getString("status"))
            .put(
                "totals",
                new JsonObject()
                    .put("held", money(row.getLong("held")))
                    .put("voided", money(row.getLong("voided")))
                    .put("settled", money(row.getLong("settled")))
                    .put("refunded", money(row.getLong("refunded"))))
            .put("charge_count", row.getInteger("charge_count"));
    putIfPresent(json, "settlement_id", row.getString("settlement_id"));
    putIfPresent(json, "settled_at", time(row, "settled_at"));
    putIfPresent(json, "cancelled_at", time(row, "cancelled_at"));
    return json.put("metadata", metadata(row))
        .put("created_at", time(row, "created_at"))
        .put("updated_at", time(row, "updated_at"));
  }

  /** A charge just held, as {@link #charge(Row)} will show it once written. */
  JsonObject heldCharge(
      String id, String encounterId, String lineId, JsonObject request, OffsetDateTime now) {
    return new JsonObject()
        .put("id", id)
        .put("object", "charge")
        .put("livemode", mode.livemode())
        .put("encounter_id", encounterId)
        .put("credit_line_id", lineId)
        .put("item_code", request.getString("item_code"))
        .put("description", request.getString("description"))
        .put("category", request.getString("category"))
        .put("quantity", request.getInteger("quantity"))
        .put("unit_amount", money(request.getJsonObject("unit_amount").getLong("amount")))
        .put("amount", money(request.getJsonObject("amount").getLong("amount")))
        .put("refunded_amount", money(0))
        .put("status", "HELD")
        .put("hospital_charge_ref", request.getString("hospital_charge_ref"))
        .put("metadata", request.getJsonObject("metadata", new JsonObject()))
        .put("created_at", Times.format(now))
        .put("updated_at", Times.format(now));
  }

  JsonObject charge(Row row) {
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "charge")
            .put("livemode", mode.livemode())
            .put("encounter_id", row.getString("encounter_id"))
            .put("credit_line_id", row.getString("credit_line_id"))
            .put("item_code", row.getString("item_code"))
            .put("description", row.getString("description"))
            .put("category", row.getString("category"))
            .put("quantity", row.getInteger("quantity"))
            .put("unit_amount", money(row.getLong("unit_amount")))
            .put("amount", money(row.getLong("amount")))
            .put("refunded_amount", money(row.getLong("refunded_amount")))
            .put("status", row.getString("status"))
            .put("hospital_charge_ref", row.getString("hospital_charge_ref"));
    putIfPresent(json, "voided_at", time(row, "voided_at"));
    putIfPresent(json, "void_reason", row.getString("void_reason"));
    return json.put("metadata", metadata(row))
        .put("created_at", time(row, "created_at"))
        .put("updated_at", time(row, "updated_at"));
  }

  JsonObject settlement(Row row) {
    return settlement(
        row.getString("id"),
        row.getString("encounter_id"),
        row.getString("credit_line_id"),
        row.getLong("pooled_fund"),
        row.getLong("personal_account"),
        row.getLong("self_pay"),
        row.getValue("insurer") instanceof JsonObject i ? i : null,
        row.getString("debt_id"),
        row.getLocalDate("due_date"),
        (JsonArray) row.getValue("lines"),
        metadata(row),
        row.getOffsetDateTime("settled_at"),
        row.getOffsetDateTime("created_at"));
  }

  /** A settlement as the contract shows it, from its values. */
  JsonObject settlement(
      String id,
      String encounterId,
      String lineId,
      long pooled,
      long personal,
      long selfPay,
      JsonObject insurer,
      String debtId,
      java.time.LocalDate dueDate,
      JsonArray lines,
      JsonObject metadata,
      OffsetDateTime settledAt,
      OffsetDateTime createdAt) {
    long total = pooled + personal + selfPay;
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("object", "settlement")
            .put("livemode", mode.livemode())
            .put("encounter_id", encounterId)
            .put("credit_line_id", lineId)
            .put("total", money(total))
            .put("split", split(pooled, personal, selfPay));
    if (insurer != null) {
      json.put("insurer", insurer);
    }
    JsonObject due =
        new JsonObject().put("amount", money(selfPay)).put("due_date", dueDate.toString());
    putIfPresent(due, "debt_id", debtId);
    return json.put("hospital_credited", money(total))
        .put("patient_due", due)
        .put("lines", lines)
        .put("settled_at", Times.format(settledAt))
        .put("metadata", metadata)
        .put("created_at", Times.format(createdAt));
  }

  static JsonObject split(long pooled, long personal, long selfPay) {
    return new JsonObject()
        .put("pooled_fund", money(pooled))
        .put("personal_account", money(personal))
        .put("self_pay", money(selfPay));
  }

  JsonObject debt(Row row) {
    long principal = row.getLong("principal");
    long penalty = row.getLong("penalty_accrued");
    long repaid = row.getLong("repaid_principal") + row.getLong("repaid_penalty");
    JsonObject json =
        new JsonObject()
            .put("id", row.getString("id"))
            .put("object", "debt")
            .put("livemode", mode.livemode())
            .put("credit_line_id", row.getString("credit_line_id"))
            .put("encounter_id", row.getString("encounter_id"))
            .put("settlement_id", row.getString("settlement_id"))
            .put("status", row.getString("status"))
            .put("principal", money(principal))
            .put("penalty_accrued", money(penalty))
            .put("repaid", money(repaid))
            .put("outstanding", money(principal + penalty - repaid))
            .put("due_date", row.getLocalDate("due_date").toString());
    LocalDate overdueSince = row.getLocalDate("overdue_since");
    if (overdueSince != null) {
      json.put("overdue_since", overdueSince.toString());
    }
    json.put("penalty_daily_rate_bps", row.getInteger("penalty_daily_rate_bps"));
    putIfPresent(json, "repaid_at", time(row, "repaid_at"));
    return json.put("created_at", time(row, "created_at"))
        .put("updated_at", time(row, "updated_at"));
  }

  JsonObject refund(Row row) {
    long amount = row.getLong("amount");
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "care_refund")
        .put("livemode", mode.livemode())
        .put("encounter_id", row.getString("encounter_id"))
        .put("settlement_id", row.getString("settlement_id"))
        .put("status", "SUCCEEDED")
        .put("amount", money(amount))
        .put("items", (JsonArray) row.getValue("items"))
        .put(
            "split",
            split(
                row.getLong("pooled_fund"),
                row.getLong("personal_account"),
                row.getLong("self_pay")))
        .put("hospital_debited", money(amount))
        .put("debt_reduced", money(row.getLong("debt_reduced")))
        .put("patient_refunded", money(row.getLong("patient_refunded")))
        .put("reason", row.getString("reason"))
        .put("metadata", metadata(row))
        .put("created_at", time(row, "created_at"));
  }

  JsonObject repayment(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("object", "repayment")
        .put("livemode", mode.livemode())
        .put("credit_line_id", row.getString("credit_line_id"))
        .put("status", "SUCCEEDED")
        .put("amount", money(row.getLong("amount")))
        .put("allocations", (JsonArray) row.getValue("allocations"))
        .put("source_ref", row.getString("source_ref"))
        .put("metadata", metadata(row))
        .put("created_at", time(row, "created_at"));
  }

  /** A debt's JSON as time left it (what its events show), from its row as read. */
  JsonObject debtAfterTime(Row row, DebtRules.Debt debt, OffsetDateTime now) {
    JsonObject json = debt(row);
    json.put("status", debt.status())
        .put("penalty_accrued", money(debt.penaltyAccrued()))
        .put(
            "outstanding",
            money(
                debt.principal()
                    + debt.penaltyAccrued()
                    - debt.repaidPrincipal()
                    - debt.repaidPenalty()));
    if (debt.overdueSince() != null) {
      CareJson.with(
          json, "penalty_daily_rate_bps", "overdue_since", debt.overdueSince().toString());
    }
    return json.put("updated_at", Times.format(now));
  }

  /**
   * The events of what time did to a line's debts before an operation (the line frozen for an
   * overdue debt, each debt's notice), as the rows read and the rules' catch-up show them.
   */
  List<DebtStore.Event> timeEvents(
      Row line, boolean froze, DebtRules.CatchUp time, List<Row> debtRows, OffsetDateTime now) {
    List<DebtStore.Event> emitted = new ArrayList<>();
    if (froze) {
      // as the line reads once frozen: the penalty time accrued is outstanding, nothing available
      JsonObject frozen = creditLine(line);
      long outstanding =
          frozen.getJsonObject("outstanding").getLong("amount") + time.penaltyTotal();
      CareJson.with(frozen, "patient", "status", DebtRules.FROZEN);
      CareJson.with(frozen, "patient", "frozen_reason", DebtRules.DEBT_OVERDUE);
      frozen
          .put("available", money(0))
          .put("outstanding", money(outstanding))
          .put("updated_at", Times.format(now));
      emitted.add(new DebtStore.Event("credit_line.frozen", frozen));
    }
    for (DebtRules.Notice notice : time.notices()) {
      Row row =
          debtRows.stream()
              .filter(d -> d.getString("id").equals(notice.debtId()))
              .findFirst()
              .orElseThrow();
      DebtRules.Debt debt =
          time.debts().stream()
              .filter(d -> d.id().equals(notice.debtId()))
              .findFirst()
              .orElseThrow();
      emitted.add(new DebtStore.Event(notice.type(), debtAfterTime(row, debt, now)));
    }
    return emitted;
  }
}
