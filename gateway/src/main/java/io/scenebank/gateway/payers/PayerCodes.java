package io.scenebank.gateway.payers;

import io.scenebank.gateway.config.Mode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * Payer-shown payment codes (付款码) and what the payer's bank does with them. In the sandbox these
 * are fixtures; in production the bank's wallet service would resolve them.
 */
public final class PayerCodes {

  /** What the payer's bank answers for a code. */
  public enum Behaviour {
    APPROVE,
    INSUFFICIENT_FUNDS,
    RISK_DECLINE,
    BANK_TIMEOUT,
    EXPIRED
  }

  /** A fixture code: its payer account and behaviour. */
  public record Code(String code, String accountId, Behaviour behaviour, String description) {}

  public static final String EMPLOYEE_CODE = "289999000000000011";

  static final List<Code> FIXTURES =
      List.of(
          new Code(
              "289999000000000001",
              "acc_5Tn9Qx2KmR7vL4pWb8Zc",
              Behaviour.APPROVE,
              "Pays successfully."),
          new Code(
              "289999000000000002",
              "acc_5Tn9Qx2KmR7vL4pWb8Zc",
              Behaviour.INSUFFICIENT_FUNDS,
              "Declined INSUFFICIENT_FUNDS."),
          new Code(
              "289999000000000003",
              "acc_5Tn9Qx2KmR7vL4pWb8Zc",
              Behaviour.RISK_DECLINE,
              "Declined VELOCITY_LIMIT; emits risk.declined."),
          new Code(
              "289999000000000004",
              "acc_5Tn9Qx2KmR7vL4pWb8Zc",
              Behaviour.BANK_TIMEOUT,
              "The payer's bank does not answer: the debit is reversed, REVERSED."),
          new Code(
              "289999000000000005",
              "acc_5Tn9Qx2KmR7vL4pWb8Zc",
              Behaviour.EXPIRED,
              "Declined PAYER_CODE_EXPIRED."),
          new Code(
              EMPLOYEE_CODE,
              "acc_7Wb3Nq8KxT2mR6pLv4Zs",
              Behaviour.APPROVE,
              "Employee E10086 (赵六): pays from ¥1,280 of own funds."));

  private final Mode mode;

  public PayerCodes(Mode mode) {
    this.mode = mode;
  }

  /** The first of the sandbox's many paying codes, one per payer account (load tests). */
  public static final String FIRST_OF_MANY = "289999100000000001";

  public Optional<Code> resolve(String code) {
    if (!mode.sandbox()) {
      return Optional.empty();
    }
    Optional<Code> fixture = FIXTURES.stream().filter(c -> c.code().equals(code)).findFirst();
    if (fixture.isPresent()) {
      return fixture;
    }
    int n = many(code);
    return n == 0
        ? Optional.empty()
        : Optional.of(
            new Code(code, PayerAccounts.manyAccount(n), Behaviour.APPROVE, "Pays successfully."));
  }

  /** N for the code 2899991000000NNNNN (1 to {@link PayerAccounts#MANY}), else 0. */
  private static int many(String code) {
    if (code.length() != 18
        || !code.startsWith("2899991")
        || !code.chars().allMatch(Character::isDigit)) {
      return 0;
    }
    long n = Long.parseLong(code.substring(7));
    return n >= 1 && n <= PayerAccounts.MANY ? (int) n : 0;
  }

  public static JsonArray fixtures() {
    JsonArray list = new JsonArray();
    list.add(
        new JsonObject()
            .put("payer_code", FIRST_OF_MANY)
            .put("account_id", PayerAccounts.manyAccount(1))
            .put("behaviour", Behaviour.APPROVE.name())
            .put(
                "description",
                "Pays successfully. One of "
                    + PayerAccounts.MANY
                    + " codes 289999100000000001 to "
                    + String.format("2899991%011d", PayerAccounts.MANY)
                    + ", each paying from its own account (acc_Load000000000001 …), so that"
                    + " load tests do not queue on one payer."));
    FIXTURES.forEach(
        c ->
            list.add(
                new JsonObject()
                    .put("payer_code", c.code())
                    .put("account_id", c.accountId())
                    .put("behaviour", c.behaviour().name())
                    .put("description", c.description())));
    return list;
  }
}
