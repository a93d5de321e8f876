package io.scenebank.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.internal.client.Mapper;
import io.scenebank.sdk.model.CreateChargeRequest;
import io.scenebank.sdk.model.Settlement;
import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void fenAndYuan_makeTheSameExactAmount() {
    assertThat(Money.cny(8650)).isEqualTo(Money.yuan("86.50")).isEqualTo(Money.yuan("86.5"));
    assertThat(Money.yuan("86").amount()).isEqualTo(8600);
    assertThat(Money.yuan("0.01").amount()).isEqualTo(1);
    assertThat(Money.yuan("9999999999.99").amount()).isEqualTo(999_999_999_999L);
    assertThat(Money.cny(8650).toString()).isEqualTo("CNY 86.50");
    assertThat(Money.cny(5).toDecimalString()).isEqualTo("0.05");
  }

  @Test
  void whatIsNotAnExactAmount_isRefused_neverRounded() {
    for (String bad : new String[] {"86.505", "-1", "1,000", "", "1e3", " 86.50", "86.", "¥86"}) {
      assertThatThrownBy(() -> Money.yuan(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at most two decimals");
    }
    assertThatThrownBy(() -> Money.cny(-1)).hasMessageContaining("not -1");
    assertThatThrownBy(() -> Money.cny(Money.MAX_AMOUNT + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.of(100, "cny")).hasMessageContaining("ISO 4217");
  }

  @Test
  void sumsAndComparisons_stayInOneCurrency() {
    assertThat(Money.cny(100).plus(Money.cny(50))).isEqualTo(Money.cny(150));
    assertThat(Money.cny(100).minus(Money.cny(100))).isEqualTo(Money.cny(0));
    assertThat(Money.cny(100)).isGreaterThan(Money.cny(99));
    assertThatThrownBy(() -> Money.cny(1).minus(Money.cny(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.cny(1).plus(Money.of(1, "HKD")))
        .hasMessageContaining("cannot combine CNY and HKD");
  }

  @Test
  void onTheWire_itIsTheContractsAmountAndCurrency_inRequestsAndResponses() throws Exception {
    String json =
        Mapper.MAPPER.writeValueAsString(
            new CreateChargeRequest().amount(Money.yuan("65.00")).quantity(1));
    assertThat(json).contains("\"amount\":{\"amount\":6500,\"currency\":\"CNY\"}");

    Settlement read =
        Mapper.MAPPER.readValue(
            "{\"total\":{\"amount\":17500,\"currency\":\"CNY\"}}", Settlement.class);
    assertThat(read.getTotal()).isEqualTo(Money.cny(17500));
    // a currency added later is read as it is
    assertThat(Mapper.MAPPER.readValue("{\"amount\":1,\"currency\":\"HKD\"}", Money.class))
        .isEqualTo(Money.of(1, "HKD"));
    assertThatThrownBy(() -> Mapper.MAPPER.readValue("{\"currency\":\"CNY\"}", Money.class))
        .hasMessageContaining("amount");
  }
}
