package io.scenebank.examples;

import io.scenebank.sdk.Environment;
import io.scenebank.sdk.Sandbox;
import io.scenebank.sdk.SandboxCredentials;
import io.scenebank.sdk.ScenebankClient;
import io.scenebank.sdk.model.ClientKeyList;
import io.scenebank.sdk.signing.SignatureAlgorithm;

/**
 * From nothing to a signed sandbox call: sign up (the key pair is made here; only the public key is
 * sent), then call the API. Run it against a gateway started with {@code bin/gateway}:
 *
 * <pre>
 * ./mvnw -q -pl examples -am install -DskipTests
 * java -cp "examples/target/classes:$(./mvnw -q -pl examples dependency:build-classpath \
 *     -Dmdep.outputFile=/dev/stdout)" io.scenebank.examples.SandboxQuickstart http://localhost:8080
 * </pre>
 */
public final class SandboxQuickstart {

  private SandboxQuickstart() {}

  public static void main(String[] args) {
    Environment sandbox = Environment.custom(args.length > 0 ? args[0] : "http://localhost:8080");

    // 1. sign up: keep the client id, key id and private key it returns
    SandboxCredentials credentials =
        Sandbox.signUp(
            sandbox,
            "Changzhou No.2 Hospital",
            // one organisation per e-mail address: a fresh one each run, so that this can run again
            "it+" + System.currentTimeMillis() + "@hospital.example",
            "HIS",
            SignatureAlgorithm.ED25519);
    System.out.println("signed up: " + credentials);

    // 2. call the API: tokens, signatures, idempotency keys and response checks are the SDK's job
    ScenebankClient client = credentials.client();
    ClientKeyList keys = client.clientKeys().list();
    System.out.println("registered keys: " + keys.getData().size());

    // later runs: build the client from the stored credentials
    ScenebankClient again =
        ScenebankClient.builder()
            .clientId(credentials.clientId())
            .privateKeyPem(credentials.privateKeyPem(), credentials.keyId())
            .environment(sandbox)
            .build();
    System.out.println("first key: " + again.clientKeys().list().getData().get(0).getKid());
  }
}
