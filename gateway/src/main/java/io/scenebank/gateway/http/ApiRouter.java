package io.scenebank.gateway.http;

import io.scenebank.gateway.config.Config;
import io.scenebank.gateway.metrics.GatewayMetrics;
import io.scenebank.gateway.portal.PortalRoutes;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.SecurityRequirement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Builds the gateway's router from the contract. Every request passes: request id → access log →
 * standard headers → timeout → (under /v1: response signing) → the request's shape (Host, path) →
 * 503 while shutting down → body limit → the operation's route: authentication (token, signature,
 * scopes, rate limit) → contract validation → idempotency (POST under /v1) → the operation's
 * handler. Operations in the contract with no handler yet answer {@code 501}; every failure is
 * rendered by {@link ProblemHandler}.
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
      List<String> selfValidated,
      ApiSecurity security,
      BooleanSupplier draining,
      GatewayMetrics metrics) {
    Handler<RoutingContext> signing = security.responseSigning();
    RouterBuilder builder =
        RouterBuilder.create(vertx, contract)
            .rootHandler(new RequestIdHandler())
            .rootHandler(new AccessLogHandler(metrics))
            .rootHandler(new ResponseHeadersHandler())
            .rootHandler(new TimeoutHandler(config.requestTimeout()))
            .rootHandler(
                (PlatformHandler)
                    ctx -> {
                      // a request the decoder refused may have lost its path: sign its answer
                      if (ctx.request().path().startsWith("/v1/")
                          || ctx.request().getHeader(RequestShapeHandler.INVALID) != null) {
                        signing.handle(ctx);
                      } else {
                        ctx.next();
                      }
                    })
            .rootHandler(new RequestShapeHandler())
            .rootHandler(new DrainingHandler(draining))
            .rootHandler(
                BodyHandler.create(false)
                    .setBodyLimit(config.bodyLimitBytes())
                    .setHandleFileUploads(false));

    Set<String> unknown = new HashSet<>(operations.handlers().keySet());
    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation operation = route.getOperation();
      String id = operation.getOperationId();
      unknown.remove(id);
      // the chain is built here, explicitly, rather than by the builder
      route.setDoSecurity(false).setDoValidation(false);
      route.addHandler(
          ctx -> {
            ctx.put(AccessLogHandler.OPERATION, id);
            ctx.next();
          });
      List<SecurityRequirement> requirements = operation.getSecurityRequirements();
      if (requirements != null && !requirements.isEmpty() && !requirements.get(0).isEmpty()) {
        SecurityRequirement requirement = requirements.get(0);
        List<String> scopes = new ArrayList<>();
        requirement.getNames().forEach(name -> scopes.addAll(requirement.getScopes(name)));
        route.addHandler(security.authenticator(scopes));
      }
      if (!selfValidated.contains(id)) {
        route.addHandler(new ContractValidationHandler(contract, operation));
      }
      if (operation.getHttpMethod() == HttpMethod.POST
          && operation.getOpenAPIPath().startsWith("/v1/")) {
        route.addHandler(security.idempotency(operations.transactional(id)));
      }
      Handler<RoutingContext> handler = operations.handlers().get(id);
      route.addHandler(handler != null ? handler : notImplemented(id));
    }
    if (!unknown.isEmpty()) {
      throw new IllegalStateException("handlers for operations not in the contract: " + unknown);
    }

    Router router = builder.createRouter();
    // the developer portal: public static pages under /portal/
    PortalRoutes.mount(router, config.mode());
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
