package io.scenebank.gateway.canteen;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.Times;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.YearMonth;

/**
 * Whether a programme may be funded for a period, decided from plain values read under the
 * programme's and the employer account's locks: the programme must be active, the period not funded
 * yet, someone enrolled, the employer's account known and able to cover every wallet's amount.
 */
final class FundingRules {

  private FundingRules() {}

  /** The programme as read under its lock. */
  record State(
      String programmeId,
      String status,
      String fundedAs,
      int enrolled,
      String funderAccount,
      boolean funderFound,
      long funderAvailable) {}

  /** What to do. */
  sealed interface Decision {}

  /** Credit {@code each} to every enrolled wallet, {@code total} from the employer. */
  record Fund(long each, long total) implements Decision {}

  /** Move nothing; answer with the problem. */
  record Refuse(Problem problem) implements Decision {}

  static Decision decide(long each, String period, State state) {
    if (!"ACTIVE".equals(state.status())) {
      return new Refuse(
          Problem.conflict(
              "programme_not_active", "Programme " + state.programmeId() + " is CLOSED."));
    }
    if (state.fundedAs() != null) {
      return new Refuse(
          Problem.conflict(
              "period_already_funded", period + " was already funded (" + state.fundedAs() + ")."));
    }
    if (state.enrolled() == 0) {
      return new Refuse(
          Problem.unprocessable(
              "no_active_enrolments", "Programme " + state.programmeId() + " has no enrolment."));
    }
    long total = Math.multiplyExact(each, (long) state.enrolled());
    if (!state.funderFound()) {
      return new Refuse(Problem.notFound("No payer account " + state.funderAccount() + "."));
    }
    if (total > state.funderAvailable()) {
      return new Refuse(
          Problem.unprocessable(
              "insufficient_funds",
              "The employer's account cannot cover " + total + " fen; nothing was credited."));
    }
    return new Fund(each, total);
  }

  /**
   * When a funding's lots expire: {@code days} after funding (policy {@code DAYS}), else at the
   * start of the month after the period (China Standard Time).
   */
  static OffsetDateTime expiresAt(JsonObject expiry, String period, OffsetDateTime now) {
    return "DAYS".equals(expiry.getString("policy"))
        ? now.plusDays(expiry.getInteger("days"))
        : YearMonth.parse(period).plusMonths(1).atDay(1).atStartOfDay().atOffset(Times.CHINA);
  }
}
