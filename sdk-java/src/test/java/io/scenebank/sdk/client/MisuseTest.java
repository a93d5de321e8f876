package io.scenebank.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.sdk.ApiConnectionException;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** SDK misuse fails fast, saying what to do; an unreachable gateway is named with the cause. */
class MisuseTest {

  private static ScenebankClient.Builder builder() {
    return ScenebankClient.builder()
        .clientId("app_6Tm2Qx9KvN4pR7bLw3Zs")
        .signer(Keys.generate(SignatureAlgorithm.ED25519, null).signer());
  }

  @Test
  void noEnvironment_failsAtBuild_sayingWhichToSet() {
    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Environment.custom(\"http://localhost:8080\")")
        .hasMessageContaining("Environment.SANDBOX");
  }

  @Test
  void aGatewayThatIsNotThere_isNamed_withTheCause() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    ScenebankClient client =
        builder().environment(Environment.custom("http://127.0.0.1:" + closed)).build();

    assertThatThrownBy(() -> client.clientKeys().list())
        .isInstanceOf(ApiConnectionException.class)
        .hasMessageContaining("the token endpoint at http://127.0.0.1:" + closed + "/oauth2/token")
        .hasMessageContaining("refused")
        .hasMessageNotContaining("null");
  }

  @Test
  void anUnknownHost_saysSo() {
    ScenebankClient client =
        builder().environment(Environment.custom("http://no-such-gateway.invalid")).build();

    assertThatThrownBy(() -> client.clientKeys().list())
        .isInstanceOf(ApiConnectionException.class)
        .hasMessageContaining("no-such-gateway.invalid")
        .hasMessageContaining("unknown");
    assertThat(client.environment().baseUri().getHost()).isEqualTo("no-such-gateway.invalid");
  }

  @Test
  void anEnumsUnknown_isReadNeverSent_andSaysWhatToDo() {
    // a value a newer gateway sends reads as UNKNOWN
    assertThat(io.scenebank.sdk.model.Consent.StatusEnum.fromValue("SUSPENDED"))
        .isEqualTo(io.scenebank.sdk.model.Consent.StatusEnum.UNKNOWN);
    ScenebankClient client =
        builder().environment(Environment.custom("http://no-such-gateway.invalid")).build();

    // before any call is made: as a filter, and in a body
    assertThatThrownBy(
            () ->
                client
                    .care()
                    .listConsents(
                        new io.scenebank.sdk.Care.ConsentQuery()
                            .status(io.scenebank.sdk.model.Consent.StatusEnum.UNKNOWN)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UNKNOWN")
        .hasMessageContaining("use one of the listed values");
    assertThatThrownBy(
            () ->
                client
                    .webhooks()
                    .createWebhookEndpoint(
                        new io.scenebank.sdk.model.CreateWebhookEndpointRequest()
                            .url(java.net.URI.create("https://his.example/hooks"))
                            .eventTypes(
                                java.util.List.of(
                                    io.scenebank.sdk.model.EventTypeSubscription.UNKNOWN))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EventTypeSubscription.UNKNOWN")
        .hasMessageContaining("cannot be sent");
  }

  @Test
  void anAsyncCallToAGatewayThatIsNotThere_failsItsFuture_namingTheHostAndTheCause()
      throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    ScenebankClient client =
        builder()
            .environment(Environment.custom("http://127.0.0.1:" + closed))
            .maxRetries(1)
            .build();

    java.util.concurrent.CompletableFuture<?> keys = client.clientKeys().listAsync();

    assertThatThrownBy(keys::join)
        .isInstanceOf(java.util.concurrent.CompletionException.class)
        .cause()
        .isInstanceOf(ApiConnectionException.class)
        .hasMessageContaining("the token endpoint at http://127.0.0.1:" + closed + "/oauth2/token")
        .hasMessageContaining("refused");
  }
}
