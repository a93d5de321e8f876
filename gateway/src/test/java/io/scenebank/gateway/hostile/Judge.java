package io.scenebank.gateway.hostile;

import io.scenebank.openapi.Contract;
import io.scenebank.openapi.ContractSchemas;
import io.scenebank.sdk.internal.client.GatewayKeys;
import io.scenebank.sdk.internal.httpsig.ComponentIdentifier;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureInput;
import io.scenebank.sdk.internal.httpsig.SignatureVerification;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Judges one answer to one hostile request: never a 5xx; an invalid request refused as the contract
 * says; every error a well-formed {@code application/problem+json} with a stable code the contract
 * declares for the operation; every {@code /v1} answer signed by a gateway key over its status, its
 * digest and the request's signature.
 */
final class Judge {

  /** What went wrong, by kind; {@code kind} groups the report. */
  record Failure(String kind, HostileCase hostile, int status, String code, String detail) {
    @Override
    public String toString() {
      return String.format(
          "%-22s %-28s %-14s %s -> %d %s%s",
          kind,
          hostile.operationId(),
          hostile.category(),
          hostile.name(),
          status,
          code == null ? "" : code,
          detail == null || detail.isEmpty() ? "" : " | " + detail);
    }
  }

  private static final Pattern CODE = Pattern.compile("^[a-z][a-z0-9_]*$");
  private static final long SIGNATURE_WINDOW_SECONDS = 300;

  private final ContractSchemas schemas = new ContractSchemas(Contract.fromClasspath());
  private final GatewayKeys keys;

  Judge(String issuer) {
    keys =
        new GatewayKeys(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
            URI.create(issuer),
            Duration.ofSeconds(10));
  }

  /** The code of a problem answer, or null. */
  static String code(Wire.Answer answer) {
    try {
      return new JsonObject(answer.text()).getString("code");
    } catch (RuntimeException e) {
      return null;
    }
  }

  List<Failure> judge(HostileCase c, Wire.Sent sent, Wire.Answer answer) {
    List<Failure> failures = new ArrayList<>();
    int status = answer.status();
    String code = code(answer);
    if (status == 0) {
      failures.add(new Failure("no HTTP answer", c, 0, null, answer.error()));
      return failures;
    }
    if (status >= 500) {
      failures.add(new Failure("5xx", c, status, code, snippet(answer.text(), 600)));
    }
    if (c.expect().refuse()) {
      if (status < 400) {
        failures.add(
            new Failure("invalid input accepted", c, status, code, snippet(answer.text(), 200)));
      } else if (status < 500
          && (!c.expect().statuses().contains(status)
              || (!c.expect().codes().isEmpty()
                  && (code == null || !c.expect().codes().contains(code))))) {
        failures.add(
            new Failure(
                "wrong refusal",
                c,
                status,
                code,
                "expected "
                    + c.expect().statuses()
                    + " "
                    + c.expect().codes()
                    + "; "
                    + detail(answer)));
      }
    }
    if (status >= 400) {
      String problem = problemFault(c, answer);
      if (problem != null) {
        failures.add(new Failure("not a proper problem", c, status, code, problem));
      }
    }
    String signature = signatureFault(c, sent, answer);
    if (signature != null) {
      failures.add(
          new Failure(
              "response not signed",
              c,
              status,
              code,
              signature + " | " + snippet(answer.text(), 200)));
    }
    return failures;
  }

  private static String detail(Wire.Answer answer) {
    try {
      JsonObject body = new JsonObject(answer.text());
      String detail = body.getString("detail", "");
      Object errors = body.getValue("errors");
      return snippet(detail + (errors == null ? "" : " " + errors), 300);
    } catch (RuntimeException e) {
      return snippet(answer.text(), 200);
    }
  }

  private String problemFault(HostileCase c, Wire.Answer answer) {
    String type = answer.header("content-type");
    if (!"application/problem+json".equals(type)) {
      return "Content-Type " + type + ": " + snippet(answer.text(), 120);
    }
    JsonObject body;
    try {
      body = new JsonObject(answer.text());
    } catch (RuntimeException e) {
      return "body is not a JSON object: " + snippet(answer.text(), 120);
    }
    String code = body.getString("code");
    if (code == null || !CODE.matcher(code).matches()) {
      return "no stable code: " + code;
    }
    if ("internal_error".equals(code) && answer.status() < 500) {
      return "internal_error on a " + answer.status();
    }
    if (!("urn:scenebank:problem:" + code).equals(body.getString("type"))) {
      return "type " + body.getString("type") + " does not name code " + code;
    }
    if (!Integer.valueOf(answer.status()).equals(body.getInteger("status"))) {
      return "status member " + body.getValue("status") + " on a " + answer.status();
    }
    String requestId = answer.header("x-request-id");
    if (requestId == null || !requestId.equals(body.getString("request_id"))) {
      return "request_id " + body.getString("request_id") + " != X-Request-Id " + requestId;
    }
    if (body.encode().contains("Exception") || body.encode().contains("\tat ")) {
      return "leaks an exception: " + snippet(body.encode(), 200);
    }
    List<String> errors =
        schemas.responseErrors(c.operationId(), answer.status(), "application/problem+json", body);
    if (!errors.isEmpty()) {
      return "not as the contract declares: " + snippet(String.join("; ", errors), 200);
    }
    return null;
  }

  private String signatureFault(HostileCase c, Wire.Sent sent, Wire.Answer answer) {
    if (answer.header("signature") == null || answer.header("signature-input") == null) {
      return "no Signature/Signature-Input";
    }
    ContentDigest.Result digest =
        ContentDigest.check(
            answer.headers().getOrDefault("content-digest", List.of()), answer.body());
    if (digest != ContentDigest.Result.OK) {
      return "Content-Digest " + digest;
    }
    SignatureInput input;
    try {
      input =
          SignatureInput.parseField(String.join(", ", answer.headers().get("signature-input")))
              .get("sig1");
    } catch (RuntimeException e) {
      return "unparsable Signature-Input: " + e.getMessage();
    }
    if (input == null || input.keyId().isEmpty() || input.created().isEmpty()) {
      return "no usable sig1";
    }
    List<String> covered = new ArrayList<>();
    for (ComponentIdentifier component : input.components()) {
      covered.add(component.serialized());
    }
    if (!covered.contains("\"@status\"")
        || !covered.contains("\"content-digest\"")
        || !input.tag().map("scenebank"::equals).orElse(false)) {
      return "sig1 does not cover @status and content-digest with tag scenebank: " + covered;
    }
    // a request the HTTP decoder refused (request line or headers too long, a malformed header)
    // carried no usable signature: its answer covers only @status and content-digest (contract)
    boolean unparsable =
        answer.status() == 414
            || answer.status() == 431
            || new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8)
                .contains("not well-formed HTTP");
    if (c.signatureIntact() && !unparsable && !covered.contains("\"signature\";req;key=\"sig1\"")) {
      return "sig1 is not bound to the request's signature: " + covered;
    }
    long skew = Math.abs(Instant.now().getEpochSecond() - input.created().getAsLong());
    if (skew > SIGNATURE_WINDOW_SECONDS) {
      return "signature " + skew + " s old";
    }
    try {
      Message request = Message.request(sent.method(), sent.issuerTarget(), sent.fields());
      Message response =
          Message.response(answer.status(), request).headers(answer.headers()).build();
      SignatureVerification result =
          HttpSignatures.verify(response, "sig1", keys.key(input.keyId().get()));
      return result.isValid() ? null : "invalid: " + result.detail();
    } catch (RuntimeException e) {
      return "cannot verify: " + e;
    }
  }

  static String snippet(String text, int max) {
    String flat = text.replace("\n", "\\n").replace("\r", "\\r").replace("\u0000", "\\0");
    return flat.length() <= max ? flat : flat.substring(0, max) + "…";
  }
}
