package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.ConflictException;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.ServerException;
import io.scenebank.sdk.SignatureVerificationException;
import io.scenebank.sdk.model.ClientKeyList;
import io.scenebank.sdk.model.RegisterClientKeyRequest;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK trusts nothing it cannot verify: responses must carry a valid digest and a signature by a
 * published gateway key, bound to the request. And it retries only what is safe, with the same
 * idempotency key.
 */
class ResponseVerificationTest {

  FakeGateway gateway;
  ScenebankClient client;

  @BeforeEach
  void start() throws Exception {
    gateway = new FakeGateway();
    client =
        ScenebankClient.builder()
            .clientId("app_fakefakefakefake00")
            .signer(Keys.generate(SignatureAlgorithm.ED25519, "k1").signer())
            .environment(Environment.custom(gateway.baseUrl()))
            .build();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private FakeGateway.Answer answer() {
    FakeGateway.Answer answer = new FakeGateway.Answer();
    gateway.script.add(answer);
    return answer;
  }

  @Test
  void call_whenTheResponseIsProperlySigned_returnsTheBody() {
    ClientKeyList keys = client.clientKeys().list();
    assertThat(keys.getHasMore()).isFalse();
    // the request was signed, with the token, over the contract's components
    assertThat(gateway.header("signature-input").get(0))
        .startsWith("sig1=(\"@method\" \"@target-uri\" \"authorization\")")
        .contains("tag=\"scenebank\"")
        .contains("nonce=");
    assertThat(gateway.header("authorization").get(0)).startsWith("Bearer a.b.c");
  }

  @Test
  void call_whenTheBodyWasAlteredInTransit_isRefused() {
    answer().bodyAfterSigning = "{\"object\":\"list\",\"data\":[],\"has_more\":true}";
    assertThatThrownBy(() -> client.clientKeys().list())
        .isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("Content-Digest");
  }

  @Test
  void call_whenTheResponseIsUnsigned_isRefused() {
    answer().sign = false;
    assertThatThrownBy(() -> client.clientKeys().list())
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void call_whenSignedByAKeyTheGatewayDoesNotPublish_isRefused() {
    answer().signWith = Keys.generate(SignatureAlgorithm.ED25519, "fake-gw-1");
    assertThatThrownBy(() -> client.clientKeys().list())
        .isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("invalid");
  }

  @Test
  void call_whenTheSignatureIsNotBoundToTheRequest_isRefused() {
    // a validly signed response lifted from another exchange would not cover this request
    answer().coverRequestSignature = false;
    assertThatThrownBy(() -> client.clientKeys().list())
        .isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("this request");
  }

  @Test
  void post_afterServerErrors_isRetriedWithTheSameIdempotencyKeyAndFreshSignatures() {
    FakeGateway.Answer first = answer();
    first.status = 503;
    first.problemCode = "service_unavailable";
    FakeGateway.Answer second = answer();
    second.status = 409;
    second.problemCode = "idempotency_in_flight";
    FakeGateway.Answer third = answer();
    third.status = 201;
    third.body = "{\"object\":\"client_key\",\"kid\":\"k2\"}";

    client
        .clientKeys()
        .register(
            new RegisterClientKeyRequest()
                .algorithm(io.scenebank.sdk.model.SignatureAlgorithm.ED25519));

    assertThat(gateway.header("idempotency-key")).hasSize(3).doesNotContainNull();
    assertThat(gateway.header("idempotency-key").stream().distinct()).hasSize(1);
    assertThat(gateway.header("signature").stream().distinct()).hasSize(3);
  }

  @Test
  void post_whenTheStateForbidsIt_isNotRetried() {
    FakeGateway.Answer conflict = answer();
    conflict.status = 409;
    conflict.problemCode = "already_settled";
    assertThatThrownBy(() -> client.clientKeys().revoke("k1", null))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.code()).isEqualTo("already_settled"));
    assertThat(gateway.requests).hasSize(1);
  }

  @Test
  void call_whenTheTokenExpired_fetchesANewTokenAndRetriesOnce() {
    FakeGateway.Answer expired = answer();
    expired.status = 401;
    expired.problemCode = "token_expired";

    assertThat(client.clientKeys().list()).isNotNull();

    assertThat(gateway.tokensIssued).isEqualTo(2);
    assertThat(gateway.header("authorization").get(0))
        .isNotEqualTo(gateway.header("authorization").get(1));
  }

  @Test
  void call_whenAProxyAnswersUnsigned503_isAServerErrorAfterRetries() {
    for (int i = 0; i < 3; i++) {
      FakeGateway.Answer proxy = answer();
      proxy.status = 503;
      proxy.sign = false;
      proxy.body = "<html>bad gateway</html>";
    }
    assertThatThrownBy(() -> client.clientKeys().list()).isInstanceOf(ServerException.class);
    assertThat(gateway.requests).hasSize(3);
  }
}
