package io.scenebank.sdk;

import io.scenebank.sdk.internal.client.ConnectionFailures;
import io.scenebank.sdk.internal.client.Mapper;
import io.scenebank.sdk.internal.client.Transport;
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
          ConnectionFailures.describe(
              "the sandbox signup", environment.baseUri().resolve("/sandbox/signup"), e),
          "connection_failed",
          null,
          0,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiConnectionException("interrupted", "interrupted", null, 0, e);
    }
    try {
      if (response.statusCode() != 201) {
        // typed as every other call's: 400 InvalidRequestException (with its errors), 409
        // ConflictException (email_already_registered), 429 RateLimitException, ...
        throw Transport.error(response);
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
