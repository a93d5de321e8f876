package io.scenebank.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a request against its operation in the contract, on the event loop, with validators
 * built once per operation (the library's own request validator builds a validator per parameter
 * per request, copying the whole contract's schema index each time). Failures are 400/415 problems
 * with pointers.
 *
 * <p>Values are taken exactly as received: header values raw (a {@code +} in base64 stays a {@code
 * +}), path and query values decoded once; the value of a string parameter is checked as that
 * string (never decoded as JSON, which would turn an {@code Idempotency-Key} of {@code 12345} into
 * a number). The contract uses only primitive parameters (the lint checks this).
 */
final class ContractValidationHandler implements Handler<RoutingContext> {

  private record ParameterCheck(
      Parameter parameter, Validator validator, ParameterTransformer transformer) {}

  private final List<ParameterCheck> parameters = new ArrayList<>();
  private final RequestBody body;
  private final Map<String, Validator> bodyValidators = new HashMap<>();

  ContractValidationHandler(OpenAPIContract contract, Operation operation) {
    SchemaRepository schemas = contract.getSchemaRepository();
    for (Parameter p : operation.getParameters()) {
      if (p.getSchemaType() == SchemaType.ARRAY || p.getSchemaType() == SchemaType.OBJECT) {
        throw new IllegalStateException(
            operation.getOperationId() + ": non-primitive parameter " + p.getName());
      }
      ParameterTransformer transformer =
          p.getStyle() == Style.FORM ? new FormTransformer() : new SimpleTransformer();
      parameters.add(new ParameterCheck(p, schemas.validator(p.getSchema()), transformer));
    }
    this.body = operation.getRequestBody();
    if (body != null) {
      for (MediaType type : body.getContent().values()) {
        bodyValidators.put(type.getIdentifier(), schemas.validator(type.getSchema()));
      }
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    try {
      for (ParameterCheck check : parameters) {
        validate(ctx, check);
      }
      if (body != null) {
        validateBody(ctx);
      }
    } catch (ValidatorException e) {
      ctx.fail(ValidationProblems.from(e));
      return;
    }
    ctx.next();
  }

  private static void validate(RoutingContext ctx, ParameterCheck check) {
    Parameter p = check.parameter();
    HttpServerRequest request = ctx.request();
    String raw =
        switch (p.getIn()) {
          case HEADER -> request.getHeader(p.getName());
          case PATH -> ctx.pathParam(p.getName());
          case QUERY -> request.params().get(p.getName());
          case COOKIE -> null;
        };
    if (raw == null) {
      if (p.isRequired()) {
        throw ValidatorException.createMissingRequiredParameter(p);
      }
      return;
    }
    Object value =
        check
            .transformer()
            .transform(p, p.getSchemaType() == SchemaType.STRING ? Json.encode(raw) : raw);
    OutputUnit result = check.validator().validate(value);
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createErrorFromOutputUnitType(p, result, e);
    }
  }

  private void validateBody(RoutingContext ctx) {
    Buffer buffer = ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      if (body.isRequired()) {
        throw new ValidatorException(
            "The related request does not contain the required body.",
            ValidatorErrorType.MISSING_REQUIRED_PARAMETER);
      }
      return;
    }
    MediaType type = body.determineContentType(ctx.request().getHeader("Content-Type"));
    Validator validator = type == null ? null : bodyValidators.get(type.getIdentifier());
    if (validator == null) {
      throw new ValidatorException(
          "The format of the request body is not supported",
          ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
    }
    Object json;
    try {
      json = Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw new ValidatorException(
          "The request body can't be decoded", ValidatorErrorType.ILLEGAL_VALUE);
    }
    OutputUnit result = validator.validate(json);
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createInvalidValueBody(result, ValidationContext.REQUEST, e);
    }
  }
}
