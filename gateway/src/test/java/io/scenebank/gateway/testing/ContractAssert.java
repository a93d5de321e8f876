package io.scenebank.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.scenebank.openapi.Contract;
import io.scenebank.openapi.ContractSchemas;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Checks responses against the contract: the declared status, media type and schema. */
public final class ContractAssert {

  private static final ContractSchemas SCHEMAS = new ContractSchemas(Contract.fromClasspath());

  private ContractAssert() {}

  /** The response is one the contract declares for the operation, and its body matches. */
  public static JsonObject assertResponseMatches(String operationId, Http.Response response) {
    String mediaType = response.contentType();
    assertThat(mediaType).as("Content-Type of %s", response).isNotNull();
    mediaType = mediaType.split(";")[0].trim();
    JsonObject body = response.json();
    List<String> errors = SCHEMAS.responseErrors(operationId, response.status(), mediaType, body);
    assertThat(errors).as("%s response %s: %s", operationId, response.status(), body).isEmpty();
    return body;
  }

  /** The response is a problem+json with this status and code, valid against the Problem schema. */
  public static JsonObject assertProblem(Http.Response response, int status, String code) {
    assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    JsonObject body = response.json();
    assertThat(SCHEMAS.errors("/components/schemas/Problem", body)).as("%s", body).isEmpty();
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getString("type")).isEqualTo("urn:scenebank:problem:" + code);
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("request_id")).isEqualTo(response.header("X-Request-Id"));
    assertThat(body.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    return body;
  }
}
