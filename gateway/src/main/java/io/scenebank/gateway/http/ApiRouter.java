package io.scenebank.gateway.http;

import io.scenebank.gateway.config.Config;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the gateway's router from the contract. Every request passes: request id → access log →
 * standard headers → timeout → body limit → the operation's route (contract validation → handler).
 * Operations in the contract with no handler yet answer {@code 501}; every failure is rendered by
 * {@link ProblemHandler}.
 */
public final class ApiRouter {

  private ApiRouter() {}

  /**
   * @param selfValidated operations whose request body the contract validator cannot read (form
   *     bodies); their handlers validate the body themselves
   */
  public static Router create(
      Vertx vertx,
      OpenAPIContract contract,
      Config config,
      Operations operations,
      List<String> selfValidated) {
    RouterBuilder builder =
        RouterBuilder.create(vertx, contract, new ContractRequestExtractor())
            .rootHandler(new RequestIdHandler())
            .rootHandler(new AccessLogHandler())
            .rootHandler(new ResponseHeadersHandler())
            .rootHandler(new TimeoutHandler(config.requestTimeout()))
            .rootHandler(
                BodyHandler.create(false)
                    .setBodyLimit(config.bodyLimitBytes())
                    .setHandleFileUploads(false));

    Set<String> unknown = new HashSet<>(operations.handlers().keySet());
    for (OpenAPIRoute route : builder.getRoutes()) {
      String id = route.getOperation().getOperationId();
      unknown.remove(id);
      // authentication and signatures are checked by the gateway's own handlers, not the builder's
      route.setDoSecurity(false);
      if (selfValidated.contains(id)) {
        route.setDoValidation(false);
      }
      Handler<RoutingContext> handler = operations.handlers().get(id);
      route.addHandler(handler != null ? handler : notImplemented(id));
    }
    if (!unknown.isEmpty()) {
      throw new IllegalStateException("handlers for operations not in the contract: " + unknown);
    }

    Router router = builder.createRouter();
    ProblemHandler problems = new ProblemHandler();
    router.route().failureHandler(problems);
    for (int status : new int[] {400, 404, 405, 413, 415, 500, 501, 503}) {
      router.errorHandler(status, problems);
    }
    return router;
  }

  private static Handler<RoutingContext> notImplemented(String operationId) {
    return ctx ->
        ctx.fail(
            new Problem(
                501,
                "not_implemented",
                "Not implemented",
                "The operation " + operationId + " is in the contract but not available yet."));
  }
}
