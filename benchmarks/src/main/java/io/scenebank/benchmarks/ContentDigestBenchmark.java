package io.scenebank.benchmarks;

import io.scenebank.sdk.internal.httpsig.ContentDigest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Content-Digest of a 1 KiB body: computing the field, and checking a received one. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ContentDigestBenchmark {

  @Param({"sha-256", "sha-512"})
  public String digest;

  private String field;

  @Setup
  public void setUp() {
    field = ContentDigest.header(digest, Fixtures.BODY_1K);
  }

  @Benchmark
  public String header() {
    return ContentDigest.header(digest, Fixtures.BODY_1K);
  }

  @Benchmark
  public ContentDigest.Result check() {
    return ContentDigest.check(field, Fixtures.BODY_1K);
  }
}
