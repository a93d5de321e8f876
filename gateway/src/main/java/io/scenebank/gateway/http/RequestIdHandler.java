package io.scenebank.gateway.http;

import io.scenebank.gateway.log.RequestContext;
import io.scenebank.gateway.log.TraceContext;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * First in the chain: takes the caller's {@code X-Request-Id} when it is well-formed (else makes
 * one), echoes it on the response and puts it where every log line finds it; continues the caller's
 * W3C trace ({@code traceparent}) or starts one, for the log lines and the calls the request leads
 * to.
 */
public final class RequestIdHandler implements PlatformHandler {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "scenebank.requestId";

  /** What a caller may send; anything else is replaced, never echoed (no header/log injection). */
  static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  public void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && VALID.matcher(given).matches() ? given : generate();
    ctx.put(KEY, id);
    RequestContext.setRequestId(Vertx.currentContext(), id);
    RequestContext.setTrace(
        Vertx.currentContext(),
        TraceContext.continueOrStart(ctx.request().getHeader(TraceContext.HEADER)));
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  public static String requestId(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id != null ? id : "unknown";
  }

  private static String generate() {
    return "req_" + UUID.randomUUID().toString().replace("-", "");
  }
}
