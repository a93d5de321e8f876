package io.scenebank.gateway.idempotency;

import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The answer of a request that moves money is stored in the transaction that moves it. If the first
 * attempt is slow enough for a retry to take its key over, only one of the two commits.
 */
class CompletionInTransactionTest {

  private final Pool pool = TestGateway.shared().database().pool();
  private final String clientId = TestApp.create(SignatureAlgorithm.ED25519, "care").clientId();

  private long effects(String marker) {
    return await(
            pool.preparedQuery("SELECT count(*) FROM events WHERE client_id = $1 AND type = $2")
                .execute(Tuple.of(clientId, marker)))
        .iterator()
        .next()
        .getLong(0);
  }

  /** An effect (an event row) and the stored answer, in one transaction. */
  private io.vertx.core.Future<Void> effect(
      IdempotencyStore store, String key, byte[] hash, String marker) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "INSERT INTO events (id, client_id, type, api_version, payload)"
                        + " VALUES ($1, $2, $3, 'v', '{}')")
                .execute(Tuple.of("evt_" + UUID.randomUUID(), clientId, marker))
                .compose(
                    v ->
                        store.completeWithin(
                            tx,
                            clientId,
                            key,
                            hash,
                            201,
                            "application/json",
                            Buffer.buffer("{\"ok\":true}"))));
  }

  @Test
  void aRetryThatTookOverTheKey_cannotMakeTheEffectAgain() {
    // a lock of zero: the key is up for takeover at once, as if the first attempt hung
    IdempotencyStore store = new IdempotencyStore(pool, Duration.ZERO);
    String key = UUID.randomUUID().toString();
    byte[] hash = "same request".getBytes(StandardCharsets.UTF_8);
    String marker = "test.effect." + key;
    assertThat(await(store.begin(clientId, key, hash)))
        .isInstanceOf(IdempotencyStore.Proceed.class);
    assertThat(await(store.begin(clientId, key, hash)))
        .isInstanceOf(IdempotencyStore.Proceed.class);

    await(effect(store, key, hash, marker));
    assertThatThrownBy(() -> await(effect(store, key, hash, marker)))
        .isInstanceOfSatisfying(
            Problem.class, p -> assertThat(p.code()).isEqualTo("idempotency_in_flight"));
    assertThat(effects(marker)).isEqualTo(1);

    // and the stored answer is the first one's, replayed from now on
    IdempotencyStore.Outcome replay = await(store.begin(clientId, key, hash));
    assertThat(replay).isInstanceOf(IdempotencyStore.Replay.class);
    assertThat(((IdempotencyStore.Replay) replay).status()).isEqualTo(201);
    // a late completion of the response does not overwrite it
    await(store.complete(clientId, key, 409, "application/problem+json", Buffer.buffer("{}")));
    assertThat(((IdempotencyStore.Replay) await(store.begin(clientId, key, hash))).status())
        .isEqualTo(201);
  }
}
