package io.scenebank.gateway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scenebank.gateway.testing.TestApp;
import io.scenebank.gateway.testing.TestGateway;
import io.scenebank.sdk.AuthenticationException;
import io.scenebank.sdk.Environment;
import io.scenebank.sdk.InvalidRequestException;
import io.scenebank.sdk.NotFoundException;
import io.scenebank.sdk.PermissionException;
import io.scenebank.sdk.Sandbox;
import io.scenebank.sdk.SandboxCredentials;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.model.ClientKey;
import io.scenebank.sdk.model.ClientKeyList;
import io.scenebank.sdk.model.CreateOrganisationRequest;
import io.scenebank.sdk.model.RevokeClientKeyRequest;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SDK against the real gateway: signup, tokens, signed calls, verified responses, errors. */
class SdkEndToEndTest {

  static Environment environment() {
    return Environment.custom(TestGateway.shared().issuer());
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void signedCall_withEachAlgorithm_isAcceptedAndTheResponseVerifies(SignatureAlgorithm algorithm)
      throws Exception {
    SandboxCredentials credentials =
        Sandbox.signUp(
            environment(),
            "Changzhou No.2 Hospital",
            "it-" + java.util.UUID.randomUUID() + "@hospital.test",
            "HIS",
            algorithm);
    ScenebankClient client = credentials.client();

    ClientKeyList keys = client.clientKeys().list();

    assertThat(keys.getData()).hasSize(1);
    ClientKey key = keys.getData().get(0);
    assertThat(key.getKid()).isEqualTo(credentials.keyId());
    assertThat(key.getAlgorithm().getValue()).isEqualTo(algorithm.httpName());
    assertThat(key.getStatus()).isEqualTo(ClientKey.StatusEnum.ACTIVE);

    // saved once, loaded at the next start: the same app, signing with the same key
    java.nio.file.Path saved =
        java.nio.file.Files.createTempDirectory("credentials").resolve("his");
    credentials.credentials().save(saved);
    io.scenebank.sdk.AppCredentials loaded = io.scenebank.sdk.AppCredentials.load(saved);
    assertThat(loaded.clientId()).isEqualTo(credentials.clientId());
    assertThat(loaded.client(environment()).clientKeys().list().getData())
        .extracting(ClientKey::getKid)
        .containsExactly(credentials.keyId());
  }

  @Test
  void rotation_newKeyRegistered_thenOldRevoked_oldStopsAtOnceNewWorks() {
    SandboxCredentials credentials =
        Sandbox.signUp(
            environment(),
            "Canteen Co",
            "ops-" + java.util.UUID.randomUUID() + "@canteen.test",
            "POS",
            SignatureAlgorithm.ED25519);
    ScenebankClient old = credentials.client();
    GeneratedKey next = Keys.generate(SignatureAlgorithm.ECDSA_P256_SHA256, "pos-2026-12");
    old.clientKeys().register(TestApp.registration(next));
    ScenebankClient renewed =
        ScenebankClient.builder()
            .clientId(credentials.clientId())
            .signer(next.signer())
            .environment(environment())
            .build();
    // both keys work while the partner switches over
    assertThat(renewed.clientKeys().list().getData()).hasSize(2);
    assertThat(old.clientKeys().list().getData()).hasSize(2);

    ClientKey revoked =
        renewed.clientKeys().revoke(credentials.keyId(), RevokeClientKeyRequest.ReasonEnum.ROTATED);

    assertThat(revoked.getStatus()).isEqualTo(ClientKey.StatusEnum.REVOKED);
    assertThatThrownBy(() -> old.clientKeys().list())
        .isInstanceOfSatisfying(
            AuthenticationException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(401);
              assertThat(e.code()).isEqualTo("key_revoked");
            });
    assertThat(renewed.clientKeys().list().getData()).hasSize(2);
  }

  @Test
  void errors_areTypedAndCarryCodeStatusAndRequestId() {
    ScenebankClient client =
        Sandbox.signUp(
                environment(),
                "Water Co",
                "it-" + java.util.UUID.randomUUID() + "@water.test",
                "Billing",
                SignatureAlgorithm.ED25519)
            .client();

    assertThatThrownBy(() -> client.clientKeys().revoke("no-such-key", null))
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> {
              assertThat(e.code()).isEqualTo("not_found");
              assertThat(e.httpStatus()).isEqualTo(404);
              assertThat(e.requestId()).startsWith("sdk-");
            });
    assertThatThrownBy(
            () ->
                client
                    .operator()
                    .createOrganisation(
                        new CreateOrganisationRequest()
                            .name("x")
                            .type(CreateOrganisationRequest.TypeEnum.OTHER)
                            .contactEmail("x@x.test")))
        .isInstanceOfSatisfying(
            PermissionException.class, e -> assertThat(e.code()).isEqualTo("insufficient_scope"));
    assertThatThrownBy(
            () ->
                client.clientKeys().register(new io.scenebank.sdk.model.RegisterClientKeyRequest()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.code()).isEqualTo("validation_failed");
              assertThat(e.errors()).isNotEmpty();
            });
  }

  @Test
  void oneClient_canNeitherSeeNorTouchAnothersKeys() {
    SandboxCredentials a =
        Sandbox.signUp(
            environment(),
            "Hospital A",
            "a-" + java.util.UUID.randomUUID() + "@a.test",
            "HIS",
            SignatureAlgorithm.ED25519);
    SandboxCredentials b =
        Sandbox.signUp(
            environment(),
            "Hospital B",
            "b-" + java.util.UUID.randomUUID() + "@b.test",
            "HIS",
            SignatureAlgorithm.ED25519);
    GeneratedKey second = Keys.generate(SignatureAlgorithm.ED25519, "a-second");
    a.client().clientKeys().register(TestApp.registration(second));

    assertThat(b.client().clientKeys().list().getData())
        .extracting(ClientKey::getKid)
        .containsExactly(b.keyId());
    assertThatThrownBy(() -> b.client().clientKeys().revoke("a-second", null))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> b.client().clientKeys().revoke(a.keyId(), null))
        .isInstanceOf(NotFoundException.class);
    assertThat(a.client().clientKeys().list().getData())
        .allMatch(k -> k.getStatus() == ClientKey.StatusEnum.ACTIVE)
        .hasSize(2);
  }

  @Test
  void toString_neverShowsKeysOrTokens() {
    SandboxCredentials credentials =
        Sandbox.signUp(
            environment(),
            "Shop",
            "it-" + java.util.UUID.randomUUID() + "@shop.test",
            "Till",
            SignatureAlgorithm.SM2_SM3);
    ScenebankClient client = credentials.client();
    client.clientKeys().list(); // a token is now cached

    String pemBody = credentials.privateKeyPem().split("\n")[1];
    assertThat(client.toString()).doesNotContain(pemBody).doesNotContain("eyJ");
    assertThat(credentials.toString()).doesNotContain(pemBody);
  }
}
