package io.scenebank.sdk;

import io.scenebank.sdk.signing.GeneratedKey;

/**
 * What a sandbox signup gives you: an organisation, an app (client id) and its key. Keep {@link
 * #privateKeyPem()} safe; {@link #toString()} never shows it.
 */
public final class SandboxCredentials {

  private final Environment environment;
  private final String organisationId;
  private final String clientId;
  private final String keyId;
  private final GeneratedKey key;

  SandboxCredentials(
      Environment environment,
      String organisationId,
      String clientId,
      String keyId,
      GeneratedKey key) {
    this.environment = environment;
    this.organisationId = organisationId;
    this.clientId = clientId;
    this.keyId = keyId;
    this.key = key;
  }

  public String organisationId() {
    return organisationId;
  }

  public String clientId() {
    return clientId;
  }

  public String keyId() {
    return keyId;
  }

  /** The private key, PKCS#8 PEM: store it like a password. */
  public String privateKeyPem() {
    return key.privateKeyPem();
  }

  /** The app's credentials, to {@link AppCredentials#save save} and load at the next start. */
  public AppCredentials credentials() {
    return AppCredentials.of(clientId, keyId, key.privateKeyPem());
  }

  /** A client for this app. */
  public ScenebankClient client() {
    return ScenebankClient.builder()
        .clientId(clientId)
        .signer(key.signer())
        .environment(environment)
        .build();
  }

  @Override
  public String toString() {
    return "SandboxCredentials{clientId=" + clientId + ", keyId=" + keyId + "}";
  }
}
