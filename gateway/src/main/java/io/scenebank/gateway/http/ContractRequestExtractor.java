package io.scenebank.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands the request to the contract validator exactly as received. The library's own extractor
 * URL-decodes header values (a {@code +} in a base64 signature became a space) and decodes string
 * parameters as JSON (an {@code Idempotency-Key} of {@code 12345} became a number and failed {@code
 * type: string}). Here header values are taken raw, path and query values as routed and decoded
 * once, and every value of a string parameter is passed as a JSON string literal so that it stays
 * the string it was. The contract uses only primitive parameters (the lint checks this).
 */
final class ContractRequestExtractor implements RequestExtractor {

  private static final RequestParameter ABSENT = new RequestParameterImpl(null);

  @Override
  public Future<ValidatableRequest> extractValidatableRequest(
      RoutingContext ctx, Operation operation) {
    HttpServerRequest request = ctx.request();
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    for (Parameter param : operation.getParameters()) {
      String raw =
          switch (param.getIn()) {
            case HEADER -> request.getHeader(param.getName());
            case PATH -> ctx.pathParam(param.getName());
            case QUERY -> first(request.params().getAll(param.getName()));
            case COOKIE -> null;
          };
      RequestParameter value = raw == null ? ABSENT : new RequestParameterImpl(literal(param, raw));
      switch (param.getIn()) {
        case HEADER -> headers.put(param.getName(), value);
        case PATH -> path.put(param.getName(), value);
        case QUERY -> query.put(param.getName(), value);
        case COOKIE -> {}
      }
    }
    if (operation.getRequestBody() == null) {
      return Future.succeededFuture(new ValidatableRequestImpl(Map.of(), headers, path, query));
    }
    RequestParameter body =
        new RequestParameterImpl(ctx.body().buffer() == null ? null : ctx.body().buffer());
    return Future.succeededFuture(
        new ValidatableRequestImpl(
            Map.of(), headers, path, query, body, request.getHeader("Content-Type")));
  }

  private static String first(List<String> values) {
    return values.isEmpty() ? null : values.get(0);
  }

  private static String literal(Parameter param, String raw) {
    SchemaType type = param.getSchemaType();
    if (type == SchemaType.STRING) {
      return Json.encode(raw);
    }
    if (type == SchemaType.ARRAY || type == SchemaType.OBJECT) {
      throw new IllegalStateException(
          "non-primitive parameter " + param.getName() + " is not supported by the gateway");
    }
    return raw;
  }
}
