package io.scenebank.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.gateway.testing.TestApp;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.model.CreateWebhookEndpointRequest;
import io.scenebank.sdk.model.EventTypeSubscription;
import io.scenebank.sdk.model.UpdateWebhookEndpointRequest;
import io.scenebank.sdk.model.WebhookEndpoint;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Webhook endpoints through the SDK: an update changes only what the caller set. */
class WebhooksSdkTest {

  private final ScenebankClient client =
      TestApp.create(SignatureAlgorithm.ED25519, "events", "sandbox").client();

  @Test
  void anUpdate_changesOnlyTheFieldsSet() {
    WebhookEndpoint created =
        client
            .webhooks()
            .createWebhookEndpoint(
                new CreateWebhookEndpointRequest()
                    .url(URI.create("http://127.0.0.1:9/hooks"))
                    .eventTypes(
                        List.of(
                            EventTypeSubscription.fromValue("payment.succeeded"),
                            EventTypeSubscription.fromValue("refund.succeeded")))
                    .description("POS")
                    .putMetadataItem("till", "3"));
    WebhookEndpoint updated =
        client
            .webhooks()
            .updateWebhookEndpoint(
                created.getId(), new UpdateWebhookEndpointRequest().description("POS, floor 2"));
    assertThat(updated.getDescription()).isEqualTo("POS, floor 2");
    assertThat(updated.getEventTypes()).hasSize(2);
    assertThat(updated.getMetadata()).containsEntry("till", "3");
    assertThat(updated.getUrl()).isEqualTo(created.getUrl());
  }
}
