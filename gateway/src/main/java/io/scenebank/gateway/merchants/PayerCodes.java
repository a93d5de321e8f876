package io.scenebank.gateway.merchants;

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

  private final boolean sandbox;

  public PayerCodes(boolean sandbox) {
    this.sandbox = sandbox;
  }

  public Optional<Code> resolve(String code) {
    return sandbox
        ? FIXTURES.stream().filter(c -> c.code().equals(code)).findFirst()
        : Optional.empty();
  }

  public static JsonArray fixtures() {
    JsonArray list = new JsonArray();
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
