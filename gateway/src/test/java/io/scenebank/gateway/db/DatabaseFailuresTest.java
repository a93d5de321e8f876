package io.scenebank.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Which failures mean "the database cannot be reached now" (503 with Retry-After). */
class DatabaseFailuresTest {

  @Test
  void aConnectionClosedUnderTheRequest_isUnavailable() {
    // what the pool reports for a connection whose server went away in a failover
    assertThat(
            DatabaseFailures.unavailable(
                new VertxException("Connection is not active now, current status: CLOSED")))
        .isTrue();
    assertThat(DatabaseFailures.unavailable(new RuntimeException(new IOException("reset"))))
        .isTrue();
  }

  @Test
  void otherFailures_areNot() {
    assertThat(DatabaseFailures.unavailable(new VertxException("something else"))).isFalse();
    assertThat(DatabaseFailures.unavailable(new IllegalStateException("bug"))).isFalse();
  }
}
