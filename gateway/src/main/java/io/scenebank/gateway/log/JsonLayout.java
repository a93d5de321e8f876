package io.scenebank.gateway.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code ts}, {@code level}, {@code logger}, {@code thread}, {@code msg},
 * {@code request_id} (when serving a request), the event's key/value pairs, and {@code error} with
 * the stack trace. Key/value pairs are how code adds fields: {@code
 * log.atInfo().addKeyValue("status", 200).log("...")}.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder(256);
    sb.append('{');
    field(sb, "ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    sb.append(',');
    field(sb, "level", event.getLevel().toString());
    sb.append(',');
    field(sb, "logger", event.getLoggerName());
    sb.append(',');
    field(sb, "thread", event.getThreadName());
    String requestId = requestId(event);
    if (requestId != null) {
      sb.append(',');
      field(sb, "request_id", requestId);
    }
    TraceContext trace = RequestContext.trace();
    if (trace != null) {
      sb.append(',');
      field(sb, "trace_id", trace.traceId());
    }
    sb.append(',');
    field(sb, "msg", event.getFormattedMessage());
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        sb.append(',');
        quote(sb, kv.key);
        sb.append(':');
        value(sb, kv.value);
      }
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      sb.append(",\"error\":{");
      field(sb, "class", error.getClassName());
      sb.append(',');
      field(sb, "message", String.valueOf(error.getMessage()));
      sb.append(',');
      field(sb, "stack", stack(error));
      sb.append('}');
    }
    sb.append('}').append(CoreConstants.LINE_SEPARATOR);
    return sb.toString();
  }

  private static String requestId(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null && mdc.containsKey("request_id")) {
      return mdc.get("request_id");
    }
    // the layout runs on the logging thread (console appender, no async), so the Vert.x context
    // of the request being served is still current
    return RequestContext.requestId();
  }

  private static String stack(IThrowableProxy error) {
    StringBuilder sb = new StringBuilder();
    for (IThrowableProxy t = error; t != null; t = t.getCause()) {
      if (t != error) {
        sb.append("Caused by: ");
      }
      sb.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
      for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
        sb.append("\tat ").append(frame.getStackTraceElement()).append('\n');
      }
    }
    return sb.toString();
  }

  private static void value(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else {
      quote(sb, value.toString());
    }
  }

  private static void field(StringBuilder sb, String key, String value) {
    quote(sb, key);
    sb.append(':');
    quote(sb, value);
  }

  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
