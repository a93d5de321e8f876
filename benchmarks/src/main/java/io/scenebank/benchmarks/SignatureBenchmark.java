package io.scenebank.benchmarks;

import io.scenebank.sdk.internal.httpsig.SignatureBase;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.scenebank.sdk.signing.Signer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Signing and verifying a realistic signature base (about 420 bytes) with each algorithm. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignatureBenchmark {

  @Param({"ed25519", "ecdsa-p256-sha256", "rsa-pss-sha512", "sm2-sm3"})
  public String algorithm;

  private Signer signer;
  private PublicJwk publicJwk;
  private byte[] base;
  private byte[] signature;

  @Setup
  public void setUp() {
    GeneratedKey key =
        Keys.generate(SignatureAlgorithm.fromHttpName(algorithm).orElseThrow(), "bench");
    signer = key.signer();
    publicJwk = key.publicJwk();
    String text =
        SignatureBase.build(
            Fixtures.requestSpec().components(),
            Fixtures.requestSpec().toInput(signer).signatureParamsValue(),
            Fixtures.request(Fixtures.BODY_1K).build());
    base = SignatureBase.toBytes(text);
    signature = signer.sign(base);
    if (!publicJwk.verify(base, signature)) {
      throw new IllegalStateException("the signature does not verify");
    }
  }

  /** The size of the signature base, for the README. */
  public int baseLength() {
    return base.length;
  }

  @Benchmark
  public byte[] sign() {
    return signer.sign(base);
  }

  @Benchmark
  public boolean verify() {
    return publicJwk.verify(base, signature);
  }
}
