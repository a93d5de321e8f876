package io.scenebank.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
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
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

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

  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,18})");
  private static final Pattern JSON_TYPE =
      Pattern.compile(
          "application/json(\\s*;\\s*charset\\s*=\\s*\"?utf-8\"?)?\\s*", Pattern.CASE_INSENSITIVE);

  /** Bodies up to this size are read on the event loop (a few milliseconds at most). */
  static final int ON_LOOP_BODY_BYTES = 32 * 1024;

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
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      ctx.fail(invalid("", "The query string is not valid percent-encoding."));
      return;
    }
    try {
      for (ParameterCheck check : parameters) {
        validate(ctx, check);
      }
      Buffer buffer = body == null ? null : ctx.body().buffer();
      if (buffer != null && buffer.length() > ON_LOOP_BODY_BYTES) {
        // a large body is parsed and validated on a worker: reading up to the body limit of
        // hostile JSON takes far longer than an event loop may be held
        String contentType = ctx.request().getHeader("Content-Type");
        ctx.vertx()
            .executeBlocking(
                () -> {
                  validateBody(buffer, contentType);
                  return null;
                },
                false)
            .onComplete(
                (ok, failure) -> {
                  if (failure == null) {
                    ctx.next();
                  } else {
                    fail(ctx, failure);
                  }
                });
        return;
      }
      if (body != null) {
        validateBody(buffer, ctx.request().getHeader("Content-Type"));
      }
    } catch (RuntimeException e) {
      fail(ctx, e);
      return;
    }
    ctx.next();
  }

  private static void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ValidatorException e) {
      ctx.fail(ValidationProblems.from(e));
    } else {
      ctx.fail(failure);
    }
  }

  private static void validate(RoutingContext ctx, ParameterCheck check) {
    Parameter p = check.parameter();
    String raw = raw(ctx, p);
    if (raw == null) {
      if (p.isRequired()) {
        throw ValidatorException.createMissingRequiredParameter(p);
      }
      return;
    }
    String where = p.getIn().name().toLowerCase(Locale.ROOT) + ":" + p.getName();
    if (StrictJson.hasForbiddenCharacter(raw)) {
      throw invalid(where, "contains a control character or an unpaired surrogate");
    }
    Object value =
        switch (p.getSchemaType()) {
          case STRING -> {
            if ("date-time".equals(p.getSchema().get("format")) && !isDateTime(raw)) {
              throw invalid(where, "is not an RFC 3339 date-time with an offset");
            }
            yield raw;
          }
          case INTEGER -> {
            if (!INTEGER.matcher(raw).matches()) {
              throw invalid(where, "is not an integer");
            }
            try {
              long number = Long.parseLong(raw);
              yield number == (int) number ? (Object) (int) number : (Object) number;
            } catch (NumberFormatException e) {
              throw invalid(where, "is out of range");
            }
          }
          case BOOLEAN -> {
            if (!raw.equals("true") && !raw.equals("false")) {
              throw invalid(where, "is not true or false");
            }
            yield Boolean.parseBoolean(raw);
          }
          default -> check.transformer().transform(p, raw);
        };
    OutputUnit result = check.validator().validate(value);
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createErrorFromOutputUnitType(p, result, e);
    }
  }

  /** The parameter's value as received (path and query decoded once), or null. */
  private static String raw(RoutingContext ctx, Parameter p) {
    HttpServerRequest request = ctx.request();
    try {
      return switch (p.getIn()) {
        case HEADER -> {
          List<String> values = request.headers().getAll(p.getName());
          if (values.size() > 1) {
            throw invalid("header:" + p.getName(), "is sent more than once");
          }
          yield values.isEmpty() ? null : values.get(0);
        }
        case PATH -> ctx.pathParam(p.getName());
        case QUERY -> {
          List<String> values = request.params().getAll(p.getName());
          if (values.size() > 1) {
            throw invalid("query:" + p.getName(), "is sent more than once");
          }
          yield values.isEmpty() ? null : values.get(0);
        }
        case COOKIE -> null;
      };
    } catch (IllegalArgumentException e) {
      throw invalid(
          p.getIn().name().toLowerCase(Locale.ROOT) + ":" + p.getName(),
          "is not valid percent-encoding");
    }
  }

  private static boolean isDateTime(String raw) {
    try {
      OffsetDateTime.parse(raw);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static Problem invalid(String pointer, String detail) {
    return Problem.badRequest("validation_failed", "The request does not match the API contract.")
        .withErrors(List.of(new Problem.FieldError(pointer, detail)));
  }

  private void validateBody(Buffer buffer, String contentType) {
    if (buffer == null || buffer.length() == 0) {
      if (body.isRequired()) {
        throw new ValidatorException(
            "The related request does not contain the required body.",
            ValidatorErrorType.MISSING_REQUIRED_PARAMETER);
      }
      return;
    }
    Validator validator = isJson(contentType) ? bodyValidators.get("application/json") : null;
    if (validator == null) {
      throw new ValidatorException(
          "The format of the request body is not supported",
          ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
    }
    Object json;
    try {
      json = StrictJson.parse(buffer);
    } catch (StrictJson.Refused refused) {
      if (refused.pointer() != null) {
        throw invalid(refused.pointer(), refused.getMessage());
      }
      throw Problem.badRequest("malformed_json", refused.getMessage());
    }
    OutputUnit result = validator.validate(json);
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createInvalidValueBody(result, ValidationContext.REQUEST, e);
    }
  }

  /** {@code application/json}, alone or with {@code charset=utf-8}: nothing else. */
  static boolean isJson(String contentType) {
    return contentType != null && JSON_TYPE.matcher(contentType).matches();
  }
}
