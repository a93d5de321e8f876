package io.scenebank.benchmarks;

import io.scenebank.sdk.internal.httpsig.BasicMessage;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureSpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A realistic signed request, as a partner sends it to the gateway. */
final class Fixtures {

  /** A 1 KiB JSON body. */
  static final byte[] BODY_1K = body(1024);

  static final String AUTHORIZATION =
      "Bearer eyJhbGciOiJFZERTQSIsImtpZCI6Imd3LWVkMjU1MTktMjAyNi0xMSIsInR5cCI6ImF0K2p3dCJ9"
          + ".eyJpc3MiOiJodHRwczovL3NhbmRib3guc2NlbmViYW5rLmV4YW1wbGUifQ.ZG9jdW1lbnRhdGlvbi1vbmx5";

  private Fixtures() {}

  /** The unsigned request: method, URI, Authorization, Content-Digest, Idempotency-Key. */
  static BasicMessage.Builder request(byte[] body) {
    return Message.request("POST", "https://sandbox.scenebank.example/v1/care/consents")
        .header("Authorization", AUTHORIZATION)
        .header("Content-Type", "application/json")
        .header("Content-Digest", ContentDigest.header(ContentDigest.SHA_256, body))
        .header("Idempotency-Key", "8e0f7c52-3d4b-4c1e-9a7f-2b6d5e4c3a21");
  }

  /** The contract's request signature: the components and parameters every /v1 call uses. */
  static SignatureSpec requestSpec() {
    return SignatureSpec.builder()
        .components("@method", "@target-uri", "authorization", "content-digest", "idempotency-key")
        .created(1795400130L)
        .nonce("Qm9va2luZ05vbmNlMDAwMQ")
        .includeAlg(true)
        .tag("scenebank")
        .build();
  }

  private static byte[] body(int size) {
    String prefix =
        "{\"patient\":{\"id_number\":\"999999199001010011\",\"name\":\"x\"},\"note\":\"";
    char[] filler = new char[size - prefix.length() - 2];
    Arrays.fill(filler, 'a');
    return (prefix + new String(filler) + "\"}").getBytes(StandardCharsets.UTF_8);
  }
}
