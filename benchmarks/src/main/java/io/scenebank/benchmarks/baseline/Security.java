package io.scenebank.benchmarks.baseline;

import io.scenebank.sdk.internal.httpsig.ComponentIdentifier;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.CreatedSignature;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureFormatException;
import io.scenebank.sdk.internal.httpsig.SignatureInput;
import io.scenebank.sdk.internal.httpsig.SignatureSpec;
import io.scenebank.sdk.internal.httpsig.SignatureVerification;
import io.scenebank.sdk.internal.jose.Jws;
import io.scenebank.sdk.signing.GeneratedKey;
import io.scenebank.sdk.signing.Keys;
import io.scenebank.sdk.signing.PublicJwk;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The baseline's cryptography, done with the SDK's own code as the gateway does it: the server's
 * Ed25519 and SM2 keys and their JWKS; access tokens (issued for a {@code private_key_jwt} client
 * assertion, verified once per token string and then looked up in a map); the check of a signed
 * {@code /v1} request (token, {@code Content-Digest}, RFC 9421 signature with the key the token is
 * bound to, scope); and the RFC 9421 signature of every {@code /v1} response. Apps' keys are read
 * from PostgreSQL once and kept for five minutes, like the gateway's key cache. One instance is
 * shared by every event loop.
 */
final class Security {

  static final String LABEL = "sig1";
  static final String TAG = "scenebank";
  static final List<String> SCOPES =
      List.of("care", "bills", "payments", "merchants", "canteen", "events", "sandbox");
  static final Duration WINDOW = Duration.ofSeconds(300);
  private static final Duration TOKEN_TTL = Duration.ofSeconds(600);
  private static final Duration ASSERTION_MAX_LIFETIME = Duration.ofMinutes(5);
  private static final long KEY_CACHE_NANOS = Duration.ofMinutes(5).toNanos();
  private static final int MAX_CACHED = 50_000;
  private static final String ASSERTION_TYPE =
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  private static final Set<String> PARAMETERS = Set.of("created", "nonce", "keyid", "alg", "tag");
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");

  /** A verified access token. */
  record Claims(String clientId, Set<String> scopes, String thumbprint, long expiresAt) {}

  /**
   * A request whose token and signature verified: its app, the signature's nonce (not yet recorded:
   * the operation's statement records it) and the algorithm of the key that signed it.
   */
  record Caller(String clientId, String nonce, SignatureAlgorithm algorithm) {}

  private record CachedKey(PublicJwk jwk, long until) {}

  final String issuer;
  private final Pool pool;
  private final GeneratedKey ed25519;
  private final GeneratedKey sm2;
  private final Buffer jwks;
  private final Map<String, Claims> tokens = new ConcurrentHashMap<>();
  private final Map<String, CachedKey> keys = new ConcurrentHashMap<>();

  Security(String issuer, Pool pool) {
    this.issuer = issuer;
    this.pool = pool;
    String suffix = Ids.next("k").substring(2, 10);
    this.ed25519 = Keys.generate(SignatureAlgorithm.ED25519, "baseline-ed25519-" + suffix);
    this.sm2 = Keys.generate(SignatureAlgorithm.SM2_SM3, "baseline-sm2-" + suffix);
    JsonArray published = new JsonArray();
    for (GeneratedKey key : List.of(ed25519, sm2)) {
      published.add(new JsonObject(new LinkedHashMap<>(key.publicJwk().toMap())).put("use", "sig"));
    }
    this.jwks = new JsonObject().put("keys", published).toBuffer();
  }

  /** The body of {@code GET /oauth2/jwks}. */
  Buffer jwks() {
    return jwks;
  }

  // ---- tokens ----

  /**
   * {@code POST /oauth2/token}: {@code client_credentials} with a {@code private_key_jwt} assertion
   * (RFC 7523) signed by one of the app's keys; answers the RFC 6749 token response. Fails with a
   * {@link Problem} whose code is the OAuth error.
   */
  Future<JsonObject> issueToken(MultiMap form) {
    if (!"client_credentials".equals(form.get("grant_type"))) {
      throw new Problem(400, "unsupported_grant_type", "Only client_credentials is supported.");
    }
    if (!ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
      throw invalidClient("client_assertion_type must be " + ASSERTION_TYPE + ".");
    }
    Jws assertion;
    try {
      assertion = Jws.parse(form.get("client_assertion"));
    } catch (IllegalArgumentException e) {
      throw invalidClient("The client assertion is not a valid JWS: " + e.getMessage());
    }
    JsonObject claims = new JsonObject(assertion.claims());
    String clientId = claims.getString("iss");
    long now = Instant.now().getEpochSecond();
    Long exp = claims.getLong("exp");
    if (clientId == null || !clientId.equals(claims.getString("sub"))) {
      throw invalidClient("iss and sub must both be the client id.");
    }
    if (!issuer.equals(claims.getValue("aud"))) {
      throw invalidClient("aud must be the issuer " + issuer + ".");
    }
    if (exp == null || exp < now || exp > now + ASSERTION_MAX_LIFETIME.toSeconds()) {
      throw invalidClient("exp must be in the future and at most 300 seconds ahead.");
    }
    String kid = assertion.keyId().orElseThrow(() -> invalidClient("The assertion has no kid."));
    Set<String> scopes = new HashSet<>(SCOPES);
    String asked = form.get("scope");
    if (asked != null && !asked.isBlank()) {
      scopes = new HashSet<>(Arrays.asList(asked.trim().split(" +")));
      if (!SCOPES.containsAll(scopes)) {
        throw new Problem(400, "invalid_scope", "The app is not granted " + asked + ".");
      }
    }
    Set<String> granted = scopes;
    return key(clientId, kid)
        .map(
            jwk -> {
              if (jwk == null || !assertion.verify(jwk)) {
                throw invalidClient("The assertion does not verify with a key " + kid + ".");
              }
              return token(clientId, jwk.thumbprint(), granted);
            });
  }

  private JsonObject token(String clientId, String thumbprint, Set<String> scopes) {
    long now = Instant.now().getEpochSecond();
    String scope = String.join(" ", scopes);
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "EdDSA");
    header.put("kid", ed25519.keyId());
    header.put("typ", "at+jwt");
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer);
    claims.put("sub", clientId);
    claims.put("aud", issuer);
    claims.put("client_id", clientId);
    claims.put("scope", scope);
    claims.put("iat", now);
    claims.put("exp", now + TOKEN_TTL.toSeconds());
    claims.put("jti", Ids.next("at"));
    claims.put("cnf", Map.of("jkt", thumbprint));
    return new JsonObject()
        .put("access_token", Jws.sign(header, claims, ed25519.signer()))
        .put("token_type", "Bearer")
        .put("expires_in", TOKEN_TTL.toSeconds())
        .put("scope", scope);
  }

  /** A bearer token's claims: verified the first time this token string is seen, then a lookup. */
  private Claims verifyToken(String token) {
    Claims known = tokens.get(token);
    long now = Instant.now().getEpochSecond();
    if (known != null && known.expiresAt() > now) {
      return known;
    }
    Jws jws;
    try {
      jws = Jws.parse(token);
    } catch (IllegalArgumentException e) {
      throw Problem.unauthorized("token_invalid", "The access token is not valid.");
    }
    JsonObject claims = new JsonObject(jws.claims());
    JsonObject cnf = claims.getJsonObject("cnf");
    Long exp = claims.getLong("exp");
    if (!jws.keyId().map(ed25519.keyId()::equals).orElse(false)
        || !jws.verify(ed25519.publicJwk())
        || !issuer.equals(claims.getString("iss"))
        || !issuer.equals(claims.getValue("aud"))
        || cnf == null
        || cnf.getString("jkt") == null
        || exp == null) {
      throw Problem.unauthorized("token_invalid", "The access token is not valid.");
    }
    if (exp <= now) {
      throw Problem.unauthorized("token_expired", "The access token has expired; get a new one.");
    }
    Claims verified =
        new Claims(
            claims.getString("client_id"),
            new HashSet<>(Arrays.asList(claims.getString("scope", "").split(" "))),
            cnf.getString("jkt"),
            exp);
    if (tokens.size() >= MAX_CACHED) {
      tokens.clear();
    }
    tokens.put(token, verified);
    return verified;
  }

  /** An app's active key (null if it has none with this kid), cached for five minutes. */
  private Future<PublicJwk> key(String clientId, String kid) {
    String cacheKey = clientId + '\n' + kid;
    CachedKey cached = keys.get(cacheKey);
    if (cached != null && cached.until() - System.nanoTime() > 0) {
      return Future.succeededFuture(cached.jwk());
    }
    return pool.preparedQuery(
            "SELECT public_jwk FROM app_keys WHERE client_id = $1 AND kid = $2"
                + " AND status = 'ACTIVE'")
        .execute(Tuple.of(clientId, kid))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row row = rows.iterator().next();
              PublicJwk jwk = PublicJwk.parse(row.getString("public_jwk"));
              if (keys.size() >= MAX_CACHED) {
                keys.clear();
              }
              keys.put(cacheKey, new CachedKey(jwk, System.nanoTime() + KEY_CACHE_NANOS));
              return jwk;
            });
  }

  private static Problem invalidClient(String detail) {
    return new Problem(401, "invalid_client", detail);
  }

  // ---- signed requests ----

  /**
   * Checks a {@code /v1} request as the gateway's RequestAuthenticator does: the bearer token, the
   * signature's parameters and covered components, the {@code Content-Digest} of the body, the key
   * (the one the token is bound to, {@code cnf.jkt}), the RFC 9421 signature, the scope. Fails with
   * a {@link Problem}.
   *
   * @param scope the scope the operation needs, or null for none
   */
  Future<Caller> authenticate(HttpServerRequest request, Buffer body, String scope) {
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw Problem.unauthorized(
          "token_missing", "Send the access token as Authorization: Bearer <token>.");
    }
    Claims claims = verifyToken(authorization.substring(7).trim());
    String inputHeader = request.getHeader("Signature-Input");
    String signatureHeader = request.getHeader("Signature");
    if (inputHeader == null || signatureHeader == null) {
      throw Problem.unauthorized(
          "signature_missing", "Sign the request: Signature-Input and Signature are required.");
    }
    SignatureInput input;
    byte[] signature;
    try {
      input = SignatureInput.parseField(inputHeader).get(LABEL);
      signature = HttpSignatures.parseSignatureField(signatureHeader).get(LABEL);
    } catch (SignatureFormatException e) {
      throw Problem.unauthorized("signature_input_invalid", e.getMessage());
    }
    if (input == null || signature == null) {
      throw Problem.unauthorized("signature_input_invalid", "No signature labelled sig1.");
    }
    checkParameters(input);
    checkComponents(request, body, input);
    String kid = input.keyId().orElseThrow();
    return key(claims.clientId(), kid)
        .map(
            jwk -> {
              if (jwk == null) {
                throw Problem.unauthorized("key_unknown", "The app has no such key.");
              }
              if (!jwk.thumbprint().equals(claims.thumbprint())) {
                throw Problem.unauthorized(
                    "token_key_mismatch", "The request must be signed by the key of the token.");
              }
              SignatureVerification verification =
                  HttpSignatures.verify(requestMessage(request), input, signature, jwk);
              if (!verification.isValid()) {
                throw Problem.unauthorized("signature_invalid", verification.detail());
              }
              if (scope != null && !claims.scopes().contains(scope)) {
                throw new Problem(403, "insufficient_scope", "The token lacks the scope " + scope);
              }
              return new Caller(claims.clientId(), input.nonce().orElseThrow(), jwk.algorithm());
            });
  }

  private static void checkParameters(SignatureInput input) {
    for (String name : input.parameters().keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw Problem.unauthorized(
            "signature_input_invalid", "The signature parameter " + name + " is not allowed.");
      }
    }
    if (!input.tag().map(TAG::equals).orElse(false) || input.keyId().isEmpty()) {
      throw Problem.unauthorized(
          "signature_input_invalid", "The signature needs tag=\"scenebank\" and a keyid.");
    }
    if (input.created().isEmpty()
        || Math.abs(Instant.now().getEpochSecond() - input.created().getAsLong())
            > WINDOW.toSeconds()) {
      throw Problem.unauthorized("created_out_of_window", "created is missing or too far off.");
    }
    if (input.nonce().isEmpty() || !NONCE.matcher(input.nonce().get()).matches()) {
      throw Problem.unauthorized(
          "nonce_missing", "The signature needs a nonce of 16 to 64 characters [A-Za-z0-9_-].");
    }
  }

  /** The components every request must cover, and the body's {@code Content-Digest}. */
  private static void checkComponents(
      HttpServerRequest request, Buffer body, SignatureInput input) {
    Set<String> covered = new HashSet<>();
    for (ComponentIdentifier c : input.components()) {
      if (c.parameters().isEmpty()) {
        covered.add(c.name());
      }
    }
    List<String> required = new ArrayList<>(List.of("@method", "@target-uri", "authorization"));
    if (request.getHeader("Idempotency-Key") != null) {
      required.add("idempotency-key");
    }
    boolean hasBody = body != null && body.length() > 0;
    String method = request.method().name();
    if (hasBody || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      required.add("content-digest");
      ContentDigest.Result digest =
          ContentDigest.check(
              request.getHeader("Content-Digest"), hasBody ? body.getBytes() : new byte[0]);
      if (digest != ContentDigest.Result.OK) {
        throw Problem.unauthorized(
            "digest_" + digest.name().toLowerCase(Locale.ROOT),
            "Content-Digest is " + digest + " for the body received.");
      }
    }
    for (String component : required) {
      if (!covered.contains(component)) {
        throw Problem.unauthorized(
            "component_missing", "The signature must cover \"" + component + "\".");
      }
    }
  }

  // ---- signed responses ----

  /**
   * Adds {@code Content-Digest}, {@code Signature-Input} and {@code Signature} to a {@code /v1}
   * response, as the gateway's ResponseSigner does: over {@code @status}, {@code content-digest}
   * and, when the request has a well-formed {@code sig1}, {@code "signature";req;key="sig1"}; an
   * SM2 signature for SM2 callers, Ed25519 for the others.
   *
   * @param caller the authenticated caller, or null if the request was refused
   */
  void sign(HttpServerRequest request, Caller caller, int status, Buffer body) {
    MultiMap headers = request.response().headers();
    String requestDigest = request.getHeader("Content-Digest");
    String algorithm =
        requestDigest != null && requestDigest.contains(ContentDigest.SHA_512)
            ? ContentDigest.SHA_512
            : ContentDigest.SHA_256;
    String digest = ContentDigest.header(algorithm, body.getBytes());
    headers.set("Content-Digest", digest);
    SignatureInput requestInput = requestSignature(request);
    SignatureSpec.Builder spec =
        SignatureSpec.builder()
            .components("@status", "content-digest")
            .created(Instant.now().getEpochSecond())
            .tag(TAG)
            .includeAlg(true);
    if (requestInput != null) {
      spec.component(
          ComponentIdentifier.of("signature").withFlag("req").withParameter("key", LABEL));
    }
    boolean sm2Caller =
        caller != null
            ? caller.algorithm() == SignatureAlgorithm.SM2_SM3
            : requestInput != null
                && requestInput
                    .alg()
                    .filter(SignatureAlgorithm.SM2_SM3.httpName()::equals)
                    .isPresent();
    Message response =
        Message.response(status, requestMessage(request)).header("Content-Digest", digest).build();
    CreatedSignature signature =
        HttpSignatures.sign(response, spec.build(), (sm2Caller ? sm2 : ed25519).signer());
    headers.set("Signature-Input", signature.signatureInputHeader());
    headers.set("Signature", signature.signatureHeader());
  }

  /** The request's sig1, if it has a well-formed one (else the response covers less). */
  private static SignatureInput requestSignature(HttpServerRequest request) {
    String input = request.getHeader("Signature-Input");
    String signature = request.getHeader("Signature");
    if (input == null || signature == null) {
      return null;
    }
    try {
      SignatureInput parsed = SignatureInput.parseField(input).get(LABEL);
      return HttpSignatures.parseSignatureField(signature).containsKey(LABEL) ? parsed : null;
    } catch (SignatureFormatException e) {
      return null;
    }
  }

  /**
   * The request as the signature code sees it: {@code @target-uri} is the issuer (the public URL)
   * and the path and query exactly as received.
   */
  private Message requestMessage(HttpServerRequest request) {
    Map<String, List<String>> fields = new HashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      fields
          .computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.getValue());
    }
    return Message.request(request.method().name(), issuer + request.uri(), fields);
  }
}
