package io.scenebank.gateway.events;

import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

/** An event and its change commit together, or neither does. */
class OutboxTest {

  @Test
  void emit_inATransactionThatRollsBack_leavesNeitherEventNorDelivery() {
    TestApp app = TestApp.create(SignatureAlgorithm.ED25519, "events");
    app.request("POST", "/v1/webhook-endpoints")
        .body(
            new JsonObject()
                .put("url", "http://127.0.0.1:9/hooks")
                .put("event_types", new JsonArray().add("*"))
                .encode())
        .send();
    Pool pool = TestGateway.shared().database().pool();
    Events events = new Events(Mode.SANDBOX, () -> {});

    assertThatThrownBy(
            () ->
                await(
                    pool.withTransaction(
                        tx ->
                            events
                                .emit(
                                    tx,
                                    app.clientId(),
                                    "test.ping",
                                    new JsonObject().put("object", "ping"),
                                    null)
                                .compose(id -> Future.failedFuture("the change itself failed")))))
        .hasMessageContaining("the change itself failed");

    assertThat(count(pool, "SELECT count(*) FROM events WHERE client_id = $1", app.clientId()))
        .isZero();
    assertThat(
            count(
                pool, "SELECT count(*) FROM webhook_attempts WHERE client_id = $1", app.clientId()))
        .isZero();

    String id =
        await(
            pool.withTransaction(
                tx ->
                    events.emit(
                        tx,
                        app.clientId(),
                        "test.ping",
                        new JsonObject().put("object", "ping"),
                        null)));
    assertThat(count(pool, "SELECT count(*) FROM events WHERE id = $1", id)).isEqualTo(1);
    assertThat(count(pool, "SELECT count(*) FROM webhook_attempts WHERE event_id = $1", id))
        .isEqualTo(1);
  }

  private static long count(Pool pool, String sql, String param) {
    return await(pool.preparedQuery(sql).execute(Tuple.of(param))).iterator().next().getLong(0);
  }
}
