package io.scenebank.gateway.idempotency;

import static io.scenebank.gateway.testing.ContractAssert.assertProblem;
import static io.scenebank.gateway.testing.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.Http;
import io.scenebank.gateway.testing.TestApp;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on POST: one effect per key, whatever the retries, duplicates and races. */
class IdempotencyTest {

  static final String PATH = "/v1/client/keys";
  TestApp app;

  @BeforeEach
  void app() {
    app = TestApp.create(SignatureAlgorithm.ED25519, "care");
  }

  private static String newKeyBody() {
    return TestApp.newKeyRegistrationJson();
  }

  private int activeKeys() {
    return await(
            app.gateway()
                .database()
                .pool()
                .preparedQuery("SELECT count(*) FROM client_keys WHERE client_id = $1")
                .execute(Tuple.of(app.clientId())))
        .iterator()
        .next()
        .getInteger(0);
  }

  @Test
  void repeat_withSameKeyAndBody_returnsTheStoredAnswerAndDoesNothingTwice() {
    String body = newKeyBody();
    Http.Response first = app.request("POST", PATH).body(body).idempotencyKey("k-1").send();
    Http.Response again = app.request("POST", PATH).body(body).idempotencyKey("k-1").send();

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.body()).isEqualTo(first.body());
    // the replay is signed afresh, for the new request
    assertThat(again.header("Signature")).isNotEqualTo(first.header("Signature"));
    assertThat(activeKeys()).isEqualTo(2);
  }

  @Test
  void sameKey_withAnotherBody_isIdempotencyKeyReused() {
    app.request("POST", PATH).body(newKeyBody()).idempotencyKey("k-2").send();

    Http.Response other = app.request("POST", PATH).body(newKeyBody()).idempotencyKey("k-2").send();

    assertProblem(other, 422, "idempotency_key_reused");
    assertThat(activeKeys()).isEqualTo(2);
  }

  @Test
  void sameKey_whileTheFirstIsInFlight_isIdempotencyInFlight() throws Exception {
    String body = newKeyBody();
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    byte[] hash =
        sha.digest(
            ("POST\n" + PATH + "\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    // an attempt in progress on another instance, as the store records it
    await(
        app.gateway()
            .database()
            .pool()
            .preparedQuery(
                "INSERT INTO idempotency_keys (client_id, idempotency_key, request_hash, state,"
                    + " locked_until, expires_at) VALUES ($1, 'k-3', $2, 'IN_FLIGHT',"
                    + " now() + interval '1 minute', now() + interval '1 day')")
            .execute(Tuple.of(app.clientId(), Buffer.buffer(hash))));

    Http.Response response = app.request("POST", PATH).body(body).idempotencyKey("k-3").send();

    assertProblem(response, 409, "idempotency_in_flight");
    assertThat(activeKeys()).isEqualTo(1);
  }

  @Test
  void abandonedAttempt_isTakenOverAfterItsLockExpires() {
    String body = newKeyBody();
    Http.Response first = app.request("POST", PATH).body(body).idempotencyKey("k-4").send();
    assertThat(first.status()).isEqualTo(201);
    // make the record look like an attempt that died mid-way long ago
    await(
        app.gateway()
            .database()
            .pool()
            .preparedQuery(
                "UPDATE idempotency_keys SET state = 'IN_FLIGHT', locked_until = now() - interval"
                    + " '1 second' WHERE client_id = $1 AND idempotency_key = 'k-4'")
            .execute(Tuple.of(app.clientId())));

    Http.Response retry = app.request("POST", PATH).body(body).idempotencyKey("k-4").send();

    // the retry ran again: the key was already registered by the first attempt
    assertProblem(retry, 409, "key_id_in_use");
  }

  @Test
  void concurrentDuplicates_haveExactlyOneEffect() throws Exception {
    String body = newKeyBody();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Http.Response>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(() -> app.request("POST", PATH).body(body).idempotencyKey("k-race").send());
      }
      List<Integer> statuses = new ArrayList<>();
      String created = null;
      for (Future<Http.Response> f : pool.invokeAll(calls)) {
        Http.Response r = f.get();
        statuses.add(r.status());
        if (r.status() == 201) {
          created = created == null ? r.body() : created;
          assertThat(r.body()).isEqualTo(created);
        }
      }
      assertThat(statuses).contains(201).allMatch(s -> s == 201 || s == 409);
      assertThat(activeKeys()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void failedValidation_isNotStored_soACorrectedRetryRuns() {
    Http.Response invalid =
        app.request("POST", PATH).body("{\"algorithm\":\"ed25519\"}").idempotencyKey("k-5").send();
    assertProblem(invalid, 400, "validation_failed");

    Http.Response corrected =
        app.request("POST", PATH).body(newKeyBody()).idempotencyKey("k-5").send();

    assertThat(corrected.status()).isEqualTo(201);
  }

  @Test
  void keysArePerClient_anotherAppMayUseTheSameKey() {
    TestApp other = TestApp.create(SignatureAlgorithm.ED25519, "care");
    assertThat(
            app.request("POST", PATH).body(newKeyBody()).idempotencyKey("shared").send().status())
        .isEqualTo(201);
    assertThat(
            other.request("POST", PATH).body(newKeyBody()).idempotencyKey("shared").send().status())
        .isEqualTo(201);
  }
}
