package io.scenebank.sdk.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scenebank.sdk.internal.Json;
import io.scenebank.sdk.internal.httpsig.ComponentIdentifier;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.CreatedSignature;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureSpec;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the gateway on a real local port, for what the real one never does: answer with
 * tampered, unsigned or wrongly signed responses. It serves a token, its JWKS, and answers /v1
 * calls with whatever {@link Answer} the test sets, signed (or not) as the answer says.
 */
final class FakeGateway implements AutoCloseable {

  /** How to answer the next /v1 call. */
  static final class Answer {
    int status = 200;
    String body = "{\"object\":\"list\",\"data\":[],\"has_more\":false}";
    boolean sign = true;
    boolean coverRequestSignature = true;
    String bodyAfterSigning;
    GeneratedKey signWith;
    String problemCode;

    /** The body as bytes (e.g. a file), instead of {@link #body}: sent and signed exactly. */
    byte[] bytes;

    String contentType = "application/json";

    /** Further response headers (e.g. {@code Statement-Signature}). */
    final Map<String, String> headers = new HashMap<>();
  }

  final GeneratedKey gatewayKey = Keys.generate(SignatureAlgorithm.ED25519, "fake-gw-1");

  /** Further keys the JWKS publishes after {@link #gatewayKey} (e.g. an SM2 key, a new key). */
  final List<GeneratedKey> alsoPublished = new CopyOnWriteArrayList<>();

  final List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();
  final List<Answer> script = new CopyOnWriteArrayList<>();
  int tokensIssued;
  private final HttpServer server;

  FakeGateway() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/oauth2/token", this::token);
    server.createContext("/oauth2/jwks", this::jwks);
    server.createContext("/v1/", this::api);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private synchronized void token(HttpExchange exchange) throws IOException {
    tokensIssued++;
    respond(
        exchange,
        200,
        "{\"access_token\":\"a.b.c"
            + tokensIssued
            + "\",\"token_type\":\"Bearer\",\"expires_in\":600,\"scope\":\"care\"}",
        Map.of());
  }

  private void jwks(HttpExchange exchange) throws IOException {
    List<Map<String, Object>> keys = new ArrayList<>();
    keys.add(gatewayKey.publicJwk().toMap());
    alsoPublished.forEach(k -> keys.add(k.publicJwk().toMap()));
    Map<String, Object> jwks = Map.of("keys", keys);
    respond(exchange, 200, Json.write(jwks), Map.of());
  }

  private void api(HttpExchange exchange) throws IOException {
    Map<String, List<String>> fields = new HashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> fields.put(k.toLowerCase(Locale.ROOT), v));
    requests.add(fields);
    exchange.getRequestBody().readAllBytes();
    Answer answer = script.isEmpty() ? new Answer() : script.remove(0);
    String body =
        answer.problemCode == null
            ? answer.body
            : "{\"type\":\"urn:scenebank:problem:"
                + answer.problemCode
                + "\",\"title\":\"t\",\"status\":"
                + answer.status
                + ",\"code\":\""
                + answer.problemCode
                + "\",\"request_id\":\"req_fake\"}";
    Map<String, String> headers = new HashMap<>(answer.headers);
    byte[] bytes =
        answer.bytes != null && answer.problemCode == null
            ? answer.bytes
            : body.getBytes(StandardCharsets.UTF_8);
    String digest = ContentDigest.header(ContentDigest.SHA_256, bytes);
    headers.put("Content-Digest", digest);
    if (answer.sign) {
      Message request =
          Message.request(
              exchange.getRequestMethod(), baseUrl() + exchange.getRequestURI(), fields);
      SignatureSpec.Builder spec =
          SignatureSpec.builder()
              .components("@status", "content-digest")
              .created(Instant.now().getEpochSecond())
              .tag("scenebank")
              .includeAlg(true);
      if (answer.coverRequestSignature) {
        spec.component(
            ComponentIdentifier.of("signature").withFlag("req").withParameter("key", "sig1"));
      }
      GeneratedKey key = answer.signWith != null ? answer.signWith : gatewayKey;
      CreatedSignature signature =
          HttpSignatures.sign(
              Message.response(answer.status, request).header("Content-Digest", digest).build(),
              spec.build(),
              key.signer());
      headers.put("Signature-Input", signature.signatureInputHeader());
      headers.put("Signature", signature.signatureHeader());
    } else {
      headers.remove("Content-Digest");
    }
    respond(
        exchange,
        answer.status,
        answer.bodyAfterSigning != null
            ? answer.bodyAfterSigning.getBytes(StandardCharsets.UTF_8)
            : bytes,
        answer.problemCode == null ? answer.contentType : "application/problem+json",
        headers);
  }

  private static void respond(
      HttpExchange exchange, int status, String body, Map<String, String> headers)
      throws IOException {
    respond(exchange, status, body.getBytes(StandardCharsets.UTF_8), "application/json", headers);
  }

  private static void respond(
      HttpExchange exchange,
      int status,
      byte[] bytes,
      String contentType,
      Map<String, String> headers)
      throws IOException {
    headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  List<String> header(String name) {
    List<String> values = new ArrayList<>();
    for (Map<String, List<String>> r : requests) {
      List<String> v = r.get(name);
      values.add(v == null ? null : v.get(0));
    }
    return values;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
