package io.scenebank.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenebank.sdk.internal.client.Mapper;
import io.scenebank.sdk.model.JwkInput;
import io.scenebank.sdk.model.SignUpRequest;
import io.scenebank.sdk.model.SignUpResult;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Self-service sandbox signup: makes a key pair here (the private key never leaves this machine),
 * registers its public key with a new organisation and app, and returns working credentials.
 */
public final class Sandbox {

  private Sandbox() {}

  public static SandboxCredentials signUp(
      Environment environment,
      String organisationName,
      String email,
      String appName,
      SignatureAlgorithm algorithm) {
    GeneratedKey key = Keys.generate(algorithm, null);
    JwkInput jwk = Mapper.MAPPER.convertValue(key.publicJwk().toMap(), JwkInput.class);
    SignUpRequest request =
        new SignUpRequest()
            .organisationName(organisationName)
            .email(email)
            .appName(appName)
            .algorithm(io.scenebank.sdk.model.SignatureAlgorithm.fromValue(algorithm.httpName()))
            .publicKey(jwk);
    HttpResponse<byte[]> response;
    try {
      response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .build()
              .send(
                  HttpRequest.newBuilder(environment.baseUri().resolve("/sandbox/signup"))
                      .timeout(Duration.ofSeconds(30))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofByteArray(
                              Mapper.MAPPER.writeValueAsBytes(request)))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ApiConnectionException(
          "sandbox signup failed: " + e.getMessage(), "connection_failed", null, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiConnectionException("interrupted", "interrupted", null, 0, e);
    }
    try {
      if (response.statusCode() != 201) {
        JsonNode problem = Mapper.MAPPER.readTree(response.body());
        String code = problem.path("code").asText("http_" + response.statusCode());
        String requestId = problem.path("request_id").asText(null);
        String detail = problem.path("detail").asText("signup refused");
        if (response.statusCode() == 400) {
          throw new InvalidRequestException(detail, code, requestId, 400, List.of());
        }
        throw new ScenebankException(detail, code, requestId, response.statusCode(), null);
      }
      SignUpResult result = Mapper.MAPPER.readValue(response.body(), SignUpResult.class);
      return new SandboxCredentials(
          environment, result.getOrganisationId(), result.getClientId(), result.getKeyId(), key);
    } catch (IOException e) {
      throw new ScenebankException(
          "unreadable signup answer", "response_unreadable", null, response.statusCode(), e);
    }
  }
}
