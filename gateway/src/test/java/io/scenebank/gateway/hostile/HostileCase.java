package io.scenebank.gateway.hostile;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** One hostile request for one operation, and what the gateway must answer to it. */
record HostileCase(
    String operationId,
    boolean operatorApp,
    String category,
    String name,
    String method,
    String target,
    Supplier<byte[]> bodySource,
    String contentType,
    List<String[]> extraHeaders,
    EnumSet<Tamper> tamper,
    Expect expect) {

  /** Changes made on the wire after signing. */
  enum Tamper {
    NO_HOST,
    SECOND_SIGNATURE,
    SECOND_SIGNATURE_GARBAGE,
    SECOND_SIGNATURE_INPUT,
    SECOND_SIGNATURE_INPUT_GARBAGE
  }

  /**
   * What must happen. {@code refuse}: the request is invalid by the contract, so it must be refused
   * with one of {@code statuses} and (if not empty) one of {@code codes}, and nothing may be
   * written for it. Otherwise the gateway may take it (a boundary value, a rare but valid
   * character) and only the general rules apply (no 5xx, well-formed signed problems).
   */
  record Expect(boolean refuse, Set<Integer> statuses, Set<String> codes) {
    static final Expect MAY_ACCEPT = new Expect(false, Set.of(), Set.of());

    static Expect refuse(int status, String... codes) {
      return new Expect(true, Set.of(status), Set.of(codes));
    }

    static Expect refuseAny(Set<Integer> statuses, String... codes) {
      return new Expect(true, statuses, Set.of(codes));
    }

    static Expect validation() {
      return refuse(400, "validation_failed");
    }

    static Expect malformed() {
      return refuse(400, "malformed_json");
    }
  }

  /**
   * The body bytes (null for none), made when the request is sent: thousands of cases with bodies
   * of up to a megabyte would otherwise stay on the test's heap, and the long GC pauses of a large
   * live heap stop the gateway's event loops (which run in the same JVM) as well.
   */
  byte[] body() {
    return bodySource == null ? null : bodySource.get();
  }

  /** True when the request's own signature reached the gateway untouched. */
  boolean signatureIntact() {
    return tamper.stream().noneMatch(t -> t.name().startsWith("SECOND_"));
  }

  @Override
  public String toString() {
    return operationId + " [" + category + "] " + name;
  }
}
