package io.scenebank.sdk;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonGetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount of money, exact: an integer number of minor units (fen for CNY) and an ISO 4217
 * currency. The one money type of the SDK: every amount the contract takes or returns ({@code
 * Money}, {@code MoneyInput}, {@code NonNegativeMoneyInput}) is one of these.
 *
 * <pre>{@code
 * Money.cny(8650)         // ¥86.50, from fen
 * Money.yuan("86.50")     // ¥86.50, from the yuan a person reads (at most two decimals)
 * }</pre>
 *
 * Amounts are never negative; the gateway checks the rest (a payment's amount at least 1 fen, a fee
 * 0 or more). Never a float or a double: {@code yuan} takes the decimal text.
 */
public final class Money implements Comparable<Money> {

  /** The largest amount the contract accepts: 999,999,999,999 fen. */
  public static final long MAX_AMOUNT = 999_999_999_999L;

  private final long amount;
  private final String currency;

  private Money(long amount, String currency) {
    if (amount < 0 || amount > MAX_AMOUNT) {
      throw new IllegalArgumentException(
          "an amount is 0 to " + MAX_AMOUNT + " minor units (fen), not " + amount);
    }
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException(
          "a currency is an ISO 4217 code such as CNY, not " + currency);
    }
    this.amount = amount;
    this.currency = currency;
  }

  /** An amount in fen, e.g. {@code cny(8650)} is ¥86.50. */
  public static Money cny(long fen) {
    return new Money(fen, "CNY");
  }

  /**
   * An amount in yuan, written as a person reads it: {@code "86.50"}, {@code "86.5"}, {@code "86"}
   * (no sign, no grouping, at most two decimals: {@code "86.505"} is refused, never rounded).
   */
  public static Money yuan(String yuan) {
    if (yuan == null || !yuan.matches("\\d{1,10}(\\.\\d{1,2})?")) {
      throw new IllegalArgumentException(
          "write yuan as digits with at most two decimals, e.g. 86.50, not " + yuan);
    }
    return cny(new BigDecimal(yuan).movePointRight(2).longValueExact());
  }

  /** An amount of any currency, in its minor units (as the contract carries it). */
  @JsonCreator
  public static Money of(
      @JsonProperty(value = "amount", required = true) long amount,
      @JsonProperty(value = "currency", required = true) String currency) {
    return new Money(amount, currency);
  }

  /** The amount in minor units (fen for CNY). */
  @JsonGetter("amount")
  public long amount() {
    return amount;
  }

  /** The ISO 4217 currency code, e.g. {@code CNY}. */
  @JsonGetter("currency")
  public String currency() {
    return currency;
  }

  /** The same as {@link #amount()}, for code written against the generated models. */
  public long getAmount() {
    return amount;
  }

  /** The same as {@link #currency()}, for code written against the generated models. */
  public String getCurrency() {
    return currency;
  }

  /** The sum; both amounts must be in the same currency. */
  public Money plus(Money other) {
    sameCurrency(other);
    return new Money(Math.addExact(amount, other.amount), currency);
  }

  /** The difference; both in the same currency, and it may not go below zero. */
  public Money minus(Money other) {
    sameCurrency(other);
    return new Money(Math.subtractExact(amount, other.amount), currency);
  }

  /** The amount in major units as text, e.g. {@code "86.50"} (for display, never for sums). */
  public String toDecimalString() {
    return BigDecimal.valueOf(amount, 2).toPlainString();
  }

  @Override
  public int compareTo(Money other) {
    sameCurrency(other);
    return Long.compare(amount, other.amount);
  }

  private void sameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException(
          "cannot combine " + currency + " and " + other.currency + " amounts");
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Money)) {
      return false;
    }
    Money m = (Money) o;
    return m.amount == amount && m.currency.equals(currency);
  }

  @Override
  public int hashCode() {
    return Objects.hash(amount, currency);
  }

  /** E.g. {@code CNY 86.50}. */
  @Override
  public String toString() {
    return currency + " " + toDecimalString();
  }
}
