package io.scenebank.gateway.http;

import io.scenebank.gateway.db.DatabaseFailures;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.pgclient.PgException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: renders every failure as {@code application/problem+json} with a stable
 * {@code code}. Unexpected exceptions are logged here with their stack trace and reach the client
 * only as {@code internal_error}.
 */
public final class ProblemHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);
  public static final String CONTENT_TYPE = "application/problem+json";

  @Override
  public void handle(RoutingContext ctx) {
    respond(ctx, toProblem(ctx.failure(), ctx.statusCode()));
  }

  /** Answers the request with the problem for {@code failure} (outside the failure route). */
  static void respond(RoutingContext ctx, Throwable failure) {
    respond(ctx, toProblem(failure, 500));
  }

  private static void respond(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // too late to answer properly: the client sees a broken response, never a wrong one
      LOG.atWarn().addKeyValue("code", problem.code()).log("failure after the response started");
      response.reset();
      return;
    }
    problem.headers().forEach(response::putHeader);
    ctx.put(AccessLogHandler.PROBLEM_CODE, problem.code());
    Responses.send(
        ctx,
        problem.status(),
        CONTENT_TYPE,
        Buffer.buffer(
            problem
                .toJson(instance(ctx.request().path()), RequestIdHandler.requestId(ctx))
                .encode()));
  }

  /** The database cannot be reached: the caller retries (with the same idempotency key). */
  static final Problem DATABASE_UNAVAILABLE =
      new Problem(
              503,
              "service_unavailable",
              "Service unavailable",
              "The gateway's database cannot be reached right now; nothing was done that a retry"
                  + " with the same Idempotency-Key could repeat. Retry after the indicated delay.")
          .withHeader("Retry-After", "2");

  /** The path as the problem's {@code instance}, unless it is not a valid URI reference. */
  private static String instance(String path) {
    if (path == null) {
      return null;
    }
    try {
      new java.net.URI(path);
      return path;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  static Problem toProblem(Throwable failure, int statusCode) {
    if (failure instanceof Problem p) {
      return p;
    }
    if (failure instanceof HttpException http) {
      if (http.getCause() instanceof ValidatorException invalid) {
        return ValidationProblems.from(invalid);
      }
      if (http.getCause() instanceof Problem p) {
        return p;
      }
      return forStatus(http.getStatusCode());
    }
    if (failure == null) {
      return forStatus(statusCode < 400 ? 500 : statusCode);
    }
    Problem duplicate = duplicate(failure);
    if (duplicate != null) {
      return duplicate;
    }
    if (DatabaseFailures.unavailable(failure)) {
      LOG.atWarn().addKeyValue("cause", String.valueOf(failure)).log("database unavailable");
      return DATABASE_UNAVAILABLE;
    }
    LOG.error("unexpected failure", failure);
    return forStatus(500);
  }

  /**
   * A unique constraint that caught what an operation's own duplicate check could not see (two
   * requests racing past it): the same {@code 409} the check gives, never a 500.
   */
  private static final Map<String, Problem> DUPLICATES =
      Map.of(
          "merchants_client_id_licence_number_key",
          Problem.conflict("merchant_exists", "A merchant with this licence number exists."),
          "payments_merchant_id_merchant_order_ref_key",
          Problem.conflict(
              "duplicate_merchant_order_ref", "This merchant_order_ref was already used."),
          "billers_name_region_category_key",
          Problem.conflict(
              "biller_exists", "A biller with this name exists in this region and category."),
          "sandbox_signups_pkey",
          Problem.conflict(
              "email_already_registered",
              "An organisation signed up with this e-mail address already; use its credentials,"
                  + " or sign up with another address."));

  private static Problem duplicate(Throwable failure) {
    if (failure instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      String constraint = pg.getConstraint();
      return constraint == null ? null : DUPLICATES.get(constraint);
    }
    return null;
  }

  /** The problem for a bare status code (a route not found, a body too large, ...). */
  static Problem forStatus(int status) {
    return switch (status) {
      case 400 -> Problem.badRequest("bad_request", "The request is malformed.");
      case 401 -> new Problem(401, "unauthorized", "Unauthorized", "Authentication is required.");
      case 403 -> new Problem(403, "forbidden", "Forbidden", "This client may not do this.");
      case 404 -> Problem.notFound("No such resource or operation.");
      case 405 ->
          new Problem(
              405,
              "method_not_allowed",
              "Method not allowed",
              "This path exists but does not support this HTTP method.");
      case 413 ->
          new Problem(
              413,
              "body_too_large",
              "Request body too large",
              "The request body exceeds the gateway's limit.");
      case 415 ->
          new Problem(
              415,
              "unsupported_media_type",
              "Unsupported media type",
              "The request body must be sent as Content-Type: application/json.");
      case 501 ->
          new Problem(
              501, "not_implemented", "Not implemented", "This operation is not available yet.");
      case 503 ->
          new Problem(
              503,
              "service_unavailable",
              "Service unavailable",
              "The gateway cannot serve this request now; retry later.");
      default ->
          status >= 400 && status < 500
              ? new Problem(status, "bad_request", "The request is not valid", "Client error.")
              : new Problem(
                  500,
                  "internal_error",
                  "Internal error",
                  "The gateway failed to process the request; it has been logged.");
    };
  }
}
