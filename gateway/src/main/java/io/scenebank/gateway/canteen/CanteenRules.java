package io.scenebank.gateway.canteen;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.support.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * How a canteen payment is paid, decided from plain values read under the enrolment's, lots' and
 * payer's locks: the subsidy first — inside a meal slot, up to the slot's per-meal cap left for the
 * day, from the wallet's unexpired lots, earliest expiry first — and the employee's own funds for
 * the rest; declined if the own funds cannot cover it.
 */
final class CanteenRules {

  private CanteenRules() {}

  /** A wallet lot that can be spent now. */
  record Lot(long id, long remaining, OffsetDateTime expiresAt) {}

  /** Subsidy taken from a lot. */
  record Take(long lot, long amount) {}

  /** What to do. */
  sealed interface Decision {}

  /** Pay: {@code subsidy} from the lots as {@code takes}, {@code own} from the payer. */
  record Pay(long subsidy, long own, JsonObject slot, List<Take> takes) implements Decision {}

  /** Move nothing: the own funds do not cover what the subsidy leaves. */
  record Decline(String code, String message, JsonObject slot, long subsidy, long own)
      implements Decision {}

  /** The meal slot of the programme the meal time falls in, or null. */
  static JsonObject slot(JsonArray mealSlots, OffsetDateTime mealTime) {
    LocalTime local = mealTime.atZoneSameInstant(Times.CHINA).toLocalTime();
    JsonObject found = null;
    for (Object o : mealSlots) {
      JsonObject s = (JsonObject) o;
      if (!local.isBefore(LocalTime.parse(s.getString("start")))
          && local.isBefore(LocalTime.parse(s.getString("end")))) {
        found = s;
      }
    }
    return found;
  }

  /** 422 unless the meal time is within the last 24 hours (a minute ahead allowed). */
  static Problem mealTimeProblem(OffsetDateTime mealTime, OffsetDateTime now) {
    return mealTime.isAfter(now.plusMinutes(1)) || mealTime.isBefore(now.minusHours(24))
        ? Problem.unprocessable(
            "meal_time_out_of_range", "meal_time must be within the last 24 hours.")
        : null;
  }

  /**
   * @param slot the meal slot (null: no subsidy)
   * @param usedInSlot subsidy already spent by the wallet in this slot on the meal's day
   * @param lots the wallet's lots, earliest expiry first (those expired at {@code now} are skipped)
   */
  static Decision decide(
      long amount,
      JsonObject slot,
      long usedInSlot,
      List<Lot> lots,
      long ownAvailable,
      OffsetDateTime now) {
    long cap =
        slot == null
            ? 0
            : Math.max(0, slot.getJsonObject("per_meal_cap").getLong("amount") - usedInSlot);
    List<Lot> spendable = lots.stream().filter(l -> l.expiresAt().isAfter(now)).toList();
    long balance = spendable.stream().mapToLong(Lot::remaining).sum();
    long subsidy = Math.min(amount, Math.min(cap, balance));
    long own = amount - subsidy;
    if (own > ownAvailable) {
      return new Decline(
          "INSUFFICIENT_FUNDS",
          "The employee's own funds cannot pay the " + own + " fen the subsidy does not cover.",
          slot,
          subsidy,
          own);
    }
    List<Take> takes = new ArrayList<>();
    long left = subsidy;
    for (Lot lot : spendable) {
      if (left == 0) {
        break;
      }
      long take = Math.min(left, lot.remaining());
      left -= take;
      takes.add(new Take(lot.id(), take));
    }
    return new Pay(subsidy, own, slot, takes);
  }
}
