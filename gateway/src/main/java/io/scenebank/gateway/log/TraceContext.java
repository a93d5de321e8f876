package io.scenebank.gateway.log;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context position ({@code traceparent}): the trace, this gateway's span in it and the
 * sampled flag. A request continues the caller's trace when its {@code traceparent} is valid (a new
 * span of the gateway's, whose parent is the caller's), else starts a new one; calls the gateway
 * makes for it (billers, webhook deliveries) carry the trace on with a span of their own.
 */
public record TraceContext(String traceId, String spanId, boolean sampled) {

  public static final String HEADER = "traceparent";

  /** Version 00: lower-case hex; a future version may append fields after a dash. */
  private static final Pattern TRACEPARENT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The gateway's span for a request that came with {@code traceparent} (may be null). */
  public static TraceContext continueOrStart(String traceparent) {
    TraceContext parent = parse(traceparent);
    return parent == null
        ? new TraceContext(hex(16), hex(8), false)
        : new TraceContext(parent.traceId, hex(8), parent.sampled);
  }

  /** A new span of this trace (a call made for the request). */
  public TraceContext child() {
    return new TraceContext(traceId, hex(8), sampled);
  }

  /** A new span in the trace {@code traceId} (a new trace if it is not a valid trace id). */
  public static TraceContext childOf(String traceId) {
    boolean valid =
        traceId != null && traceId.matches("[0-9a-f]{32}") && !traceId.equals(ZERO_TRACE);
    return new TraceContext(valid ? traceId : hex(16), hex(8), false);
  }

  /** The header's value, or null if it is not a valid {@code traceparent}. */
  static TraceContext parse(String value) {
    if (value == null) {
      return null;
    }
    var m = TRACEPARENT.matcher(value.strip());
    if (!m.matches()) {
      return null;
    }
    String version = m.group(1);
    // version ff is invalid; version 00 has exactly four fields
    if (version.equals("ff") || (version.equals("00") && m.group(5) != null)) {
      return null;
    }
    if (m.group(2).equals(ZERO_TRACE) || m.group(3).equals(ZERO_SPAN)) {
      return null;
    }
    boolean sampled = (HexFormat.fromHexDigits(m.group(4)) & 1) == 1;
    return new TraceContext(m.group(2), m.group(3), sampled);
  }

  /** The {@code traceparent} value that names this span. */
  public String header() {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
