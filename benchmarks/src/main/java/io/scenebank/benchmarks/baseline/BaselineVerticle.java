package io.scenebank.benchmarks.baseline;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One event loop's HTTP server: routes the few endpoints the SDK and the load generator call, with
 * no web framework. Public endpoints ({@code /sandbox/signup}, {@code /oauth2/token}, {@code
 * /oauth2/jwks}) answer plain JSON; every {@code /v1} request is authenticated ({@link
 * Security#authenticate}), runs its one statement ({@link Operations}) and gets a signed answer,
 * refusals included.
 */
final class BaselineVerticle extends VerticleBase {

  private static final Pattern BALANCE = Pattern.compile("/v1/merchants/([^/]+)/balance");

  private final int port;
  private final Security security;
  private final Operations operations;

  BaselineVerticle(int port, Security security, Operations operations) {
    this.port = port;
    this.security = security;
    this.operations = operations;
  }

  @Override
  public Future<?> start() {
    // as the gateway: no cleartext HTTP/2, so one client's connections spread over the event loops
    return vertx
        .createHttpServer(
            new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false))
        .requestHandler(
            request ->
                request
                    .body()
                    .onSuccess(body -> route(request, body))
                    .onFailure(e -> request.response().setStatusCode(400).end()))
        .listen(port);
  }

  private void route(HttpServerRequest request, Buffer body) {
    String path = request.path();
    HttpMethod method = request.method();
    if (path.startsWith("/v1/")) {
      Matcher balance = BALANCE.matcher(path);
      if (method == HttpMethod.POST && path.equals("/v1/payments/code-payments")) {
        v1(request, body, "payments", operations::createPayment);
      } else if (method == HttpMethod.POST && path.equals("/v1/merchants")) {
        v1(request, body, "merchants", operations::createMerchant);
      } else if (method == HttpMethod.GET && balance.matches()) {
        v1(request, body, "merchants", call -> operations.merchantBalance(call, balance.group(1)));
      } else if (method == HttpMethod.GET && path.equals("/v1/client/keys")) {
        v1(request, body, null, operations::listKeys);
      } else {
        answer(request, null, Future.failedFuture(new Problem(404, "not_found", "No " + path)));
      }
    } else if (method == HttpMethod.POST && path.equals("/sandbox/signup")) {
      publicJson(
          request, 201, Future.<Void>succeededFuture().compose(v -> operations.signUp(body)));
    } else if (method == HttpMethod.POST && path.equals("/oauth2/token")) {
      request.response().putHeader("Cache-Control", "no-store");
      publicJson(
          request,
          200,
          Future.<Void>succeededFuture().compose(v -> security.issueToken(form(body))));
    } else if (method == HttpMethod.GET && path.equals("/oauth2/jwks")) {
      request.response().putHeader("Content-Type", "application/json").end(security.jwks());
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  /** Authenticates a {@code /v1} request, runs its operation and answers, signed. */
  private void v1(
      HttpServerRequest request,
      Buffer body,
      String scope,
      Function<Operations.Call, Future<Operations.Answer>> operation) {
    Future.<Void>succeededFuture()
        .compose(v -> security.authenticate(request, body, scope))
        .onFailure(e -> answer(request, null, Future.failedFuture(e)))
        .onSuccess(
            caller -> {
              String key = request.getHeader("Idempotency-Key");
              if (request.method() == HttpMethod.POST && key == null) {
                answer(
                    request,
                    caller,
                    Future.failedFuture(Problem.badRequest("No Idempotency-Key.")));
                return;
              }
              String fingerprint = request.path() + " " + request.getHeader("Content-Digest");
              Operations.Call call = new Operations.Call(caller, body, key, fingerprint);
              Future.<Void>succeededFuture()
                  .compose(v -> operation.apply(call))
                  .onComplete(result -> answer(request, caller, result));
            });
  }

  /** Sends a {@code /v1} answer or problem, with its digest and signature. */
  private void answer(
      HttpServerRequest request, Security.Caller caller, AsyncResult<Operations.Answer> result) {
    HttpServerResponse response = request.response();
    String requestId = request.getHeader("X-Request-Id");
    response.putHeader("X-Request-Id", requestId != null ? requestId : Ids.next("req"));
    Operations.Answer answer;
    String contentType = "application/json";
    if (result.succeeded()) {
      answer = result.result();
      if (answer.replayed()) {
        response.putHeader("Idempotent-Replayed", "true");
      }
    } else {
      Problem problem = problem(result.cause());
      contentType = "application/problem+json";
      answer =
          Operations.Answer.of(
              problem.status,
              new JsonObject()
                  .put("type", "urn:scenebank:problem:" + problem.code)
                  .put("title", HttpResponseStatus.valueOf(problem.status).reasonPhrase())
                  .put("status", problem.status)
                  .put("detail", problem.getMessage())
                  .put("instance", request.path())
                  .put("code", problem.code)
                  .put("request_id", response.headers().get("X-Request-Id")));
      if (problem.status == 401) {
        response.putHeader("WWW-Authenticate", "Bearer");
      }
    }
    security.sign(request, caller, answer.status(), answer.body());
    response
        .setStatusCode(answer.status())
        .putHeader("Content-Type", contentType)
        .end(answer.body());
  }

  /** The problem a failure is answered with; a violated unique key says what was repeated. */
  private static Problem problem(Throwable failure) {
    if (failure instanceof Problem problem) {
      return problem;
    }
    if (failure instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      switch (String.valueOf(pg.getConstraint())) {
        case "request_nonces_pkey":
          return Problem.unauthorized("nonce_replayed", "This nonce was already used.");
        case "idempotency_keys_pkey":
          return new Problem(
              409, "idempotency_in_flight", "A request with this Idempotency-Key is running.");
        case "payments_merchant_id_merchant_order_ref_key":
          return new Problem(409, "duplicate_merchant_order_ref", "merchant_order_ref is used.");
        default:
          break;
      }
    }
    failure.printStackTrace();
    return new Problem(500, "internal_error", "The baseline failed: " + failure);
  }

  /** Answers a public endpoint: its JSON, or the problem (OAuth errors at the token endpoint). */
  private static void publicJson(HttpServerRequest request, int status, Future<JsonObject> body) {
    HttpServerResponse response = request.response().putHeader("Content-Type", "application/json");
    body.onSuccess(json -> response.setStatusCode(status).end(json.toBuffer()))
        .onFailure(
            e -> {
              Problem problem = problem(e);
              JsonObject json =
                  request.path().equals("/oauth2/token")
                      ? new JsonObject()
                          .put("error", problem.code)
                          .put("error_description", problem.getMessage())
                      : new JsonObject()
                          .put("status", problem.status)
                          .put("code", problem.code)
                          .put("detail", problem.getMessage());
              response.setStatusCode(problem.status).end(json.toBuffer());
            });
  }

  private static MultiMap form(Buffer body) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (String pair : body.toString(StandardCharsets.US_ASCII).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.add(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }
}
