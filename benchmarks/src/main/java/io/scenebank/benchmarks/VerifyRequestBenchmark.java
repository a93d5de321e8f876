package io.scenebank.benchmarks;

import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.CreatedSignature;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureVerification;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the gateway does for each signed request, apart from key lookup and nonce storage: check the
 * Content-Digest of the 1 KiB body, parse Signature-Input and Signature, build the signature base
 * and verify it. And what a client does to sign one: digest, base, signature.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VerifyRequestBenchmark {

  @Param({"ed25519"})
  public String algorithm;

  private GeneratedKey key;
  private PublicJwk publicJwk;
  private Message signedRequest;

  @Setup
  public void setUp() {
    key = Keys.generate(SignatureAlgorithm.fromHttpName(algorithm).orElseThrow(), "bench");
    publicJwk = key.publicJwk();
    CreatedSignature created =
        HttpSignatures.sign(
            Fixtures.request(Fixtures.BODY_1K).build(), Fixtures.requestSpec(), key.signer());
    signedRequest =
        Fixtures.request(Fixtures.BODY_1K)
            .header("Signature-Input", created.signatureInputHeader())
            .header("Signature", created.signatureHeader())
            .build();
    if (!verifySignedRequest()) {
      throw new IllegalStateException("the signed request does not verify");
    }
  }

  @Benchmark
  public boolean verifySignedRequest() {
    if (ContentDigest.check(signedRequest.fieldValues("content-digest"), Fixtures.BODY_1K)
        != ContentDigest.Result.OK) {
      return false;
    }
    SignatureVerification result = HttpSignatures.verify(signedRequest, "sig1", publicJwk);
    return result.isValid();
  }

  @Benchmark
  public CreatedSignature signRequest() {
    return HttpSignatures.sign(
        Fixtures.request(Fixtures.BODY_1K).build(), Fixtures.requestSpec(), key.signer());
  }
}
