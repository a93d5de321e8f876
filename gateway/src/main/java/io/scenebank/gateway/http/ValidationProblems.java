package io.scenebank.gateway.http;

import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what the contract validator rejected into a problem that says what is wrong and where. */
final class ValidationProblems {

  static final int MAX_ERRORS = 20;
  private static final Pattern PARAMETER =
      Pattern.compile("(query|header|path|cookie) parameter ([A-Za-z0-9_.-]+)");

  private ValidationProblems() {}

  static Problem from(ValidatorException e) {
    String message = e.getMessage();
    if (e.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT && message.contains("body")) {
      return new Problem(
          415,
          "unsupported_media_type",
          "Unsupported media type",
          "The request body must be sent as Content-Type: application/json.");
    }
    if (e.type() == ValidatorErrorType.ILLEGAL_VALUE && message.contains("body can't be decoded")) {
      return Problem.badRequest("malformed_json", "The request body is not well-formed JSON.");
    }
    Matcher parameter = PARAMETER.matcher(message);
    String where = parameter.find() ? parameter.group(1) + ":" + parameter.group(2) : null;
    List<Problem.FieldError> errors = new ArrayList<>();
    if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      errors.addAll(fieldErrors(schema.getOutputUnit(), where));
    }
    if (errors.isEmpty()) {
      errors.add(new Problem.FieldError(where == null ? "" : where, message));
    }
    String detail =
        e.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER && where == null
            ? "The request body is required."
            : "The request does not match the API contract; see errors.";
    return Problem.badRequest("validation_failed", detail).withErrors(errors);
  }

  /**
   * The errors of a schema validation that name a true problem, each at the JSON pointer of the
   * offending value (in the body), or at the parameter ({@code query:limit}).
   *
   * <p>The validator also reports, at every ancestor of a wrong value, that the ancestor "does not
   * match" ({@code properties}, {@code $ref}, {@code allOf}, ...) and even that it is not an
   * allowed additional property. Those say nothing new, and "unknown field" for a declared field is
   * false: an error of such a composite keyword is dropped when an assertion's error at its value
   * or deeper explains it. An unknown field has no such error and stays.
   */
  private static List<Problem.FieldError> fieldErrors(OutputUnit unit, String parameter) {
    List<Found> found = new ArrayList<>();
    collect(unit, found);
    // assertions' errors are true; a composite's error is true only if no true error lies at its
    // value or deeper (decided from the deepest values up)
    List<Found> kept = new ArrayList<>(found.stream().filter(f -> !composite(f)).toList());
    found.stream()
        .filter(ValidationProblems::composite)
        .sorted(
            java.util.Comparator.comparingLong(
                    (Found f) -> f.pointer().chars().filter(c -> c == '/').count())
                .reversed())
        .forEach(
            f -> {
              boolean explained =
                  kept.stream()
                      .anyMatch(
                          o ->
                              o.pointer().equals(f.pointer())
                                  || o.pointer().startsWith(f.pointer() + "/"));
              if (!explained) {
                kept.add(f);
              }
            });
    Set<Problem.FieldError> errors = new LinkedHashSet<>();
    for (Found f : found) {
      if (kept.contains(f)) {
        errors.add(new Problem.FieldError(parameter != null ? parameter : f.pointer(), f.detail()));
      }
    }
    List<Problem.FieldError> list = new ArrayList<>(errors);
    return list.size() > MAX_ERRORS ? list.subList(0, MAX_ERRORS) : list;
  }

  /** Keywords that only combine other schemas' results. */
  private static final Pattern COMPOSITE =
      Pattern.compile(
          "/(properties|additionalProperties|patternProperties|unevaluatedProperties|\\$ref"
              + "|\\$dynamicRef|allOf|anyOf|oneOf|not|if|then|else|items|prefixItems"
              + "|unevaluatedItems|contains|dependentSchemas|propertyNames)(/\\d+)?$");

  private static boolean composite(Found f) {
    return COMPOSITE.matcher(f.keyword()).find();
  }

  /** One error as the validator reported it. */
  private record Found(String pointer, String keyword, String detail) {}

  private static void collect(OutputUnit unit, List<Found> out) {
    if (unit.getErrors() != null && !unit.getErrors().isEmpty()) {
      for (OutputUnit child : unit.getErrors()) {
        collect(child, out);
      }
      return;
    }
    if (unit.getError() == null || Boolean.TRUE.equals(unit.getValid())) {
      return;
    }
    String location = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation();
    if (location.startsWith("#")) {
      location = location.substring(1);
    }
    String keyword = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
    out.add(new Found(location, keyword, describe(unit)));
  }

  private static String describe(OutputUnit unit) {
    String keyword = unit.getKeywordLocation();
    String error = unit.getError();
    if (keyword != null && keyword.endsWith("/additionalProperties")) {
      return "unknown field (this API rejects fields it does not define): " + error;
    }
    return error;
  }
}
