package io.scenebank.gateway.security;

import io.scenebank.gateway.http.Problem;
import io.scenebank.gateway.http.Responses;
import io.scenebank.gateway.support.Call;
import io.scenebank.gateway.support.Digests;
import io.scenebank.gateway.tx.Guard;
import io.scenebank.sdk.internal.httpsig.ComponentIdentifier;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureBase;
import io.scenebank.sdk.internal.httpsig.SignatureFormatException;
import io.scenebank.sdk.internal.httpsig.SignatureInput;
import io.scenebank.sdk.internal.httpsig.SignatureVerification;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Authenticates a /v1 request, FAPI 2.0 style: the bearer token (signature, issuer, audience,
 * expiry), then the RFC 9421 request signature made with the very key the token is bound to ({@code
 * cnf.jkt}): the covered components, {@code created} within the window, the {@code Content-Digest}
 * of the bytes received, a nonce never seen before for that key (in PostgreSQL, shared by every
 * instance), the key active; then the operation's scopes and the app's rate limit. Every refusal is
 * a 401 (403 for scopes or a suspended app) problem whose code names the reason.
 */
final class RequestAuthenticator implements Handler<RoutingContext> {

  static final String LABEL = "sig1";
  static final String TAG = "scenebank";
  private static final Set<String> PARAMETERS = Set.of("created", "nonce", "keyid", "alg", "tag");
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");

  private final AccessTokens tokens;
  private final ClientRegistry registry;
  private final Nonces nonces;
  private final RateLimiter rateLimiter;
  static final String RATE_LIMIT = "RateLimit";
  static final String RATE_LIMIT_POLICY = "RateLimit-Policy";
  private final RateLimiter refusals;
  private final Supplier<String> publicUrl;
  private final Duration window;
  private final List<String> scopes;

  /**
   * Sandbox only: a signature that does not verify is answered with the signature base the gateway
   * computed and the {@code @target-uri} it used, so that a developer can compare them with their
   * own (production stays terse: the base names the request's headers).
   */
  private final boolean explain;

  RequestAuthenticator(
      AccessTokens tokens,
      ClientRegistry registry,
      Nonces nonces,
      RateLimiter rateLimiter,
      RateLimiter refusals,
      Supplier<String> publicUrl,
      Duration window,
      List<String> scopes,
      boolean explain) {
    this.explain = explain;
    this.refusals = refusals;
    this.tokens = tokens;
    this.registry = registry;
    this.nonces = nonces;
    this.rateLimiter = rateLimiter;
    this.publicUrl = publicUrl;
    this.window = window;
    this.scopes = List.copyOf(scopes);
  }

  /** Headers the signature depends on: a second copy would be one the check never read. */
  private static final List<String> SINGLE_HEADERS =
      List.of("Signature-Input", "Signature", "Content-Digest", "Idempotency-Key");

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // an address that keeps failing authentication is turned away before any check: garbage
    // costs neither a signature verification nor a database round trip
    String address = "auth-refused:" + request.remoteAddress().hostAddress();
    if (refusals.exhausted(address)) {
      ctx.fail(refusals.refusal());
      return;
    }
    authenticate(ctx, request, address);
  }

  private void authenticate(RoutingContext ctx, HttpServerRequest request, String address) {
    if (request.headers().getAll("Authorization").size() > 1) {
      ctx.fail(Tokens.unauthorized("token_invalid", "Send one Authorization header, not several."));
      return;
    }
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(
          Tokens.unauthorized(
              "token_missing", "Send the access token as Authorization: Bearer <token>."));
      return;
    }
    String token = authorization.substring(7).trim();
    tokens
        .verify(token)
        .compose(claims -> checkSignature(ctx, claims))
        .onSuccess(
            caller -> {
              caller.attach(ctx);
              recordNonce(ctx);
            })
        .onFailure(
            e -> {
              if (e instanceof Problem problem && problem.status() == 401) {
                refusals.record(address);
              }
              ctx.fail(e);
            });
  }

  /**
   * The signature verified: its nonce is recorded before anything is written. A read runs beside
   * the recording and is answered only once it is recorded; a POST records it in the operation's
   * transaction (or, for an operation outside {@code Transactions}, in the idempotency step); any
   * other request records it first.
   */
  private void recordNonce(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    Guard.Nonce nonce = Call.nonce(ctx);
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      Responses.gate(ctx, nonces.record(nonce));
      ctx.next();
    } else if (method == HttpMethod.POST) {
      ctx.next();
    } else {
      nonces.record(nonce).onSuccess(v -> ctx.next()).onFailure(ctx::fail);
    }
  }

  private Future<Caller> checkSignature(RoutingContext ctx, AccessTokens.Claims claims) {
    HttpServerRequest request = ctx.request();
    for (String name : SINGLE_HEADERS) {
      if (request.headers().getAll(name).size() > 1) {
        throw refuse(
            name.equals("Content-Digest") ? "digest_invalid" : "signature_input_invalid",
            "Send one " + name + " header, not several: only one is verified.");
      }
    }
    String inputHeader = request.getHeader("Signature-Input");
    String signatureHeader = request.getHeader("Signature");
    if (inputHeader == null || signatureHeader == null) {
      throw refuse(
          "signature_missing", "Sign the request: Signature-Input and Signature are required.");
    }
    SignatureInput input;
    byte[] signature;
    try {
      input = SignatureInput.parseField(inputHeader).get(LABEL);
      signature = HttpSignatures.parseSignatureField(signatureHeader).get(LABEL);
    } catch (SignatureFormatException e) {
      throw refuse(
          "signature_input_invalid",
          "Signature-Input or Signature is malformed: " + e.getMessage());
    }
    if (input == null || signature == null) {
      throw refuse("signature_input_invalid", "No signature labelled sig1.");
    }
    checkParameters(input);
    String kid = input.keyId().orElseThrow();
    String nonce = input.nonce().orElseThrow();
    checkComponents(ctx, input);

    OffsetDateTime nonceExpires =
        OffsetDateTime.ofInstant(Instant.now().plus(window.multipliedBy(2)), ZoneOffset.UTC);
    ClientRegistry.RequestCheck cached = registry.recentlyActive(claims.clientId(), kid);
    Future<ClientRegistry.RequestCheck> state =
        cached != null
            ? Future.succeededFuture(cached)
            : registry.requestState(claims.clientId(), kid, claims.tokenId());
    return state.map(
        check -> {
          Problem refused = refusal(check);
          if (refused != null) {
            throw refused;
          }
          ClientRegistry.Key key = check.key();
          if (!key.jwk().thumbprint().equals(claims.thumbprint())) {
            throw refuse(
                "token_key_mismatch",
                "The request must be signed by the key the token is bound to (cnf.jkt).");
          }
          Message message = RequestMessages.of(request, publicUrl.get());
          SignatureVerification verification =
              HttpSignatures.verify(message, input, signature, key.jwk());
          switch (verification.status()) {
            case VALID:
              break;
            case ALGORITHM_MISMATCH:
              throw refuse("algorithm_not_allowed", verification.detail());
            case COMPONENT_MISSING:
              throw refuse("component_missing", verification.detail());
            case SIGNATURE_INVALID:
              Problem invalid =
                  refuse(
                      "signature_invalid",
                      "The signature does not verify with key "
                          + kid
                          + " over the signature base of this request.");
              throw explain ? explained(invalid, message, input) : invalid;
            default:
              throw refuse("signature_input_invalid", verification.detail());
          }
          if (!claims.scopes().containsAll(scopes)) {
            Set<String> missing = new HashSet<>(scopes);
            missing.removeAll(claims.scopes());
            throw new Problem(
                    403,
                    "insufficient_scope",
                    "Forbidden",
                    "The access token lacks the scope " + missing + " this operation needs.")
                .withHeader(
                    "WWW-Authenticate",
                    "Bearer error=\"insufficient_scope\", scope=\""
                        + String.join(" ", scopes)
                        + "\"");
          }
          long remaining = rateLimiter.acquire("app:" + claims.clientId());
          ctx.response()
              .putHeader(RATE_LIMIT_POLICY, rateLimiter.policy("app"))
              .putHeader(RATE_LIMIT, rateLimiter.standing("app", remaining));
          Call.attachNonce(
              ctx, new Guard.Nonce(claims.clientId(), kid, nonce, nonceExpires, claims.tokenId()));
          return new Caller(
              claims.clientId(),
              check.organisationId(),
              claims.scopes(),
              kid,
              key.algorithm().httpName());
        });
  }

  /**
   * Why the state of a request's key refuses it, in the order a client fixes things; null if it
   * does not. The nonce is checked when it is recorded ({@link Nonces}).
   */
  static Problem refusal(ClientRegistry.RequestCheck check) {
    ClientRegistry.Key key = check.key();
    if (key == null) {
      return refuse("key_unknown", "The app has no such key.");
    }
    if ("REVOKED".equals(key.status())) {
      return refuse("key_revoked", "The key " + key.kid() + " is revoked.");
    }
    if ("EXPIRED".equals(key.status())) {
      return refuse("key_expired", "The key " + key.kid() + " is outside its validity period.");
    }
    if (check.tokenRevoked()) {
      return refuse("token_revoked", "The access token was revoked.");
    }
    if (!check.appActive()) {
      return new Problem(
          403, "app_suspended", "Forbidden", "The app or its organisation is suspended.");
    }
    return null;
  }

  private void checkParameters(SignatureInput input) {
    for (String name : input.parameters().keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw refuse(
            "signature_input_invalid", "The signature parameter " + name + " is not allowed.");
      }
    }
    if (!input.tag().map(TAG::equals).orElse(false)) {
      throw refuse("signature_input_invalid", "The signature must have tag=\"scenebank\".");
    }
    if (input.created().isEmpty()) {
      throw refuse("signature_input_invalid", "The signature has no created parameter.");
    }
    long skew = Math.abs(Instant.now().getEpochSecond() - input.created().getAsLong());
    if (skew > window.toSeconds()) {
      throw refuse(
          "created_out_of_window",
          "created is "
              + skew
              + " s from the gateway's time; at most "
              + window.toSeconds()
              + " s.");
    }
    if (input.nonce().isEmpty() || !NONCE.matcher(input.nonce().get()).matches()) {
      throw refuse(
          "nonce_missing", "The signature needs a nonce of 16 to 64 characters [A-Za-z0-9_-].");
    }
    if (input.keyId().isEmpty()) {
      throw refuse("signature_input_invalid", "The signature has no keyid.");
    }
  }

  /** The components every request must cover, and the body's digest. */
  private static void checkComponents(RoutingContext ctx, SignatureInput input) {
    Set<String> covered = new HashSet<>();
    for (ComponentIdentifier c : input.components()) {
      if (c.parameters().isEmpty()) {
        covered.add(c.name());
      }
    }
    requireCovered(covered, "@method");
    requireCovered(covered, "@target-uri");
    requireCovered(covered, "authorization");
    if (ctx.request().getHeader("Idempotency-Key") != null) {
      requireCovered(covered, "idempotency-key");
    }
    Buffer body = ctx.body().buffer();
    boolean hasBody = body != null && body.length() > 0;
    String method = ctx.request().method().name();
    if (hasBody || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      requireCovered(covered, "content-digest");
      byte[] bytes = hasBody ? body.getBytes() : new byte[0];
      String digest = ctx.request().getHeader("Content-Digest");
      ContentDigest.Result result =
          digest == null ? ContentDigest.Result.MISSING : ContentDigest.check(digest, bytes);
      switch (result) {
        case OK:
          break;
        case MISSING:
          throw refuse("digest_missing", "A request with a body needs a Content-Digest.");
        case MISMATCH:
          throw refuse("digest_mismatch", "Content-Digest does not match the body received.");
        default:
          throw refuse(
              "digest_invalid", "Content-Digest must be sha-256=:<base64>: or sha-512=:<base64>:.");
      }
    }
  }

  private static void requireCovered(Set<String> covered, String component) {
    if (!covered.contains(component)) {
      throw refuse("component_missing", "The signature must cover \"" + component + "\".");
    }
  }

  /**
   * The refusal with what the gateway verified: the signature base it built from the request as
   * received and the {@code @target-uri} in it (from {@code SCENEBANK_PUBLIC_URL}, not the Host
   * header), to diff against the base the client signed.
   */
  private static Problem explained(Problem invalid, Message message, SignatureInput input) {
    String base;
    try {
      base = SignatureBase.build(input.components(), input.signatureParamsValue(), message);
    } catch (RuntimeException e) {
      return invalid;
    }
    // the access token is a secret, even to echo back: its line keeps its length and a hash
    base =
        java.util.Arrays.stream(base.split("\n", -1))
            .map(RequestAuthenticator::withoutToken)
            .collect(java.util.stream.Collectors.joining("\n"));
    String targetUri = message.targetUri();
    return new Problem(
            invalid.status(),
            invalid.code(),
            invalid.title(),
            invalid.detail()
                + " (sandbox) The gateway built @target-uri as "
                + targetUri
                + " (its public URL, SCENEBANK_PUBLIC_URL, and the path and query as received, not"
                + " the Host header you sent) and verified signature_base: compare it line by line"
                + " with the base you signed.")
        .withHeader("WWW-Authenticate", invalid.headers().getOrDefault("WWW-Authenticate", ""))
        .withMember("signature_base", base)
        .withMember("target_uri", targetUri);
  }

  /** An {@code authorization} line of a signature base with the token replaced by its digest. */
  static String withoutToken(String line) {
    String prefix = "\"authorization\": Bearer ";
    if (!line.startsWith(prefix)) {
      return line;
    }
    String token = line.substring(prefix.length());
    byte[] digest = Digests.sha256(token.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    return prefix
        + "<your token: "
        + token.length()
        + " characters, SHA-256 "
        + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest)
        + ">";
  }

  static Problem refuse(String code, String detail) {
    return new Problem(401, code, "Unauthorized", detail).withHeader("WWW-Authenticate", "Bearer");
  }
}
