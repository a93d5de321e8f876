package io.scenebank.gateway.http;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.tx.Answer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/** What the API modules' handlers share: reading a validated request, answering with a future. */
public final class Handlers {

  private Handlers() {}

  /** Answers with the future's JSON and this status, or with the problem it failed with. */
  public static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(body -> Responses.json(ctx, status, body)).onFailure(ctx::fail);
  }

  /**
   * Answers with what an operation run through {@code Transactions} answered: fresh, or replayed
   * for its idempotency key ({@code Idempotent-Replayed: true}); or with the problem it failed
   * with.
   */
  public static void answer(RoutingContext ctx, Future<Answer> result) {
    result
        .onSuccess(
            answer -> {
              if (answer.replayed()) {
                ctx.response().putHeader("Idempotent-Replayed", "true");
              }
              Responses.send(ctx, answer.status(), answer.contentType(), answer.body());
            })
        .onFailure(ctx::fail);
  }

  /** The JSON body (validated against the contract), or an empty object. */
  public static JsonObject body(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    return body == null ? new JsonObject() : body;
  }

  public static String param(RoutingContext ctx, String name) {
    return ctx.request().getParam(name);
  }

  /** A date-time query parameter, or null. */
  public static OffsetDateTime time(RoutingContext ctx, String name) {
    String value = param(ctx, name);
    return value == null ? null : OffsetDateTime.parse(value);
  }

  /** A date query parameter, or null. */
  public static LocalDate date(RoutingContext ctx, String name) {
    String value = param(ctx, name);
    return value == null ? null : LocalDate.parse(value);
  }

  /** The filters of a list, as its cursor binds them: the list's name and the named parameters. */
  public static String filters(RoutingContext ctx, String list, String... names) {
    StringBuilder key = new StringBuilder(list);
    for (String name : names) {
      key.append('|').append(param(ctx, name));
    }
    return key.toString();
  }

  /** The handler in the sandbox; {@code 404} in production. */
  public static Handler<RoutingContext> sandboxOnly(Mode mode, Handler<RoutingContext> handler) {
    return ctx -> {
      if (mode.sandbox()) {
        handler.handle(ctx);
      } else {
        ctx.fail(Problem.notFound("The simulators exist only in the sandbox."));
      }
    };
  }
}
