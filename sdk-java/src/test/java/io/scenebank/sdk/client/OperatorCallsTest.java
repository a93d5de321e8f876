package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.PermissionException;
import io.scenebank.sdk.model.LedgerCheck;
import io.scenebank.sdk.model.LedgerDiscrepancy;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The operator's ledger check: its request, and its answer read into {@link LedgerCheck}. */
class OperatorCallsTest extends TypedCallsHarness {

  @Test
  void checkLedger_getsTheCheck_andReadsTheDiscrepancies() {
    answer(
        200,
        "{\"object\":\"ledger_check\",\"livemode\":false,\"balanced\":false,"
            + "\"transactions_checked\":184223,\"accounts_checked\":9120,"
            + "\"discrepancies\":[{\"kind\":\"TRANSACTION_UNBALANCED\",\"transaction_id\":\"txn_1\","
            + "\"detail\":\"postings sum to 1\"}],"
            + "\"checked_at\":\"2026-11-23T10:15:30+08:00\"}");

    LedgerCheck check = client.operator().checkLedger();

    RecordingHttpClient.Call call = onlyCall();
    assertThat(call.toString()).isEqualTo("GET /v1/operator/ledger/check");
    assertThat(call.body).isNull();
    assertThat(check.getBalanced()).isFalse();
    assertThat(check.getTransactionsChecked()).isEqualTo(184223L);
    assertThat(check.getAccountsChecked()).isEqualTo(9120L);
    assertThat(check.getDiscrepancies())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getKind()).isEqualTo(LedgerDiscrepancy.KindEnum.TRANSACTION_UNBALANCED);
              assertThat(d.getTransactionId()).isEqualTo("txn_1");
            });
    assertThat(check.getCheckedAt())
        .isEqualTo(OffsetDateTime.of(2026, 11, 23, 10, 15, 30, 0, ZoneOffset.ofHours(8)));
  }

  @Test
  void checkLedger_withoutTheOperatorScope_isAPermissionError() {
    problem(403, "insufficient_scope");

    assertThatThrownBy(() -> client.operator().checkLedger())
        .isInstanceOfSatisfying(
            PermissionException.class, e -> assertThat(e.code()).isEqualTo("insufficient_scope"));
  }
}
