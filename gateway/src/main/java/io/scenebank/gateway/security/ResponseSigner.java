package io.scenebank.gateway.security;

import io.scenebank.gateway.http.Responses;
import io.scenebank.sdk.internal.httpsig.ComponentIdentifier;
import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.CreatedSignature;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureFormatException;
import io.scenebank.sdk.internal.httpsig.SignatureInput;
import io.scenebank.sdk.internal.httpsig.SignatureSpec;
import io.scenebank.sdk.signing.SignatureAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Signs every /v1 response, errors included, over {@code "@status" "content-digest"} and — when the
 * request carried a signature {@code sig1} — {@code "signature";req;key="sig1"}, which binds the
 * answer to the request it answers. SM2 callers get an SM2 signature, others Ed25519.
 */
final class ResponseSigner implements Handler<RoutingContext> {

  private final SigningKeys keys;
  private final Supplier<String> publicUrl;

  ResponseSigner(SigningKeys keys, Supplier<String> publicUrl) {
    this.keys = keys;
    this.publicUrl = publicUrl;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Responses.addStage(ctx, this::sign);
    ctx.next();
  }

  private Future<Void> sign(RoutingContext ctx, int status, String contentType, Buffer body) {
    MultiMap headers = ctx.response().headers();
    String requestDigest = ctx.request().getHeader("Content-Digest");
    String algorithm =
        requestDigest != null && requestDigest.contains(ContentDigest.SHA_512)
            ? ContentDigest.SHA_512
            : ContentDigest.SHA_256;
    String digest = ContentDigest.header(algorithm, body.getBytes());
    headers.set("Content-Digest", digest);

    Message request = RequestMessages.of(ctx.request(), publicUrl.get());
    SignatureInput requestInput = requestSignature(ctx);
    SignatureSpec.Builder spec =
        SignatureSpec.builder()
            .components("@status", "content-digest")
            .created(Instant.now().getEpochSecond())
            .tag(RequestAuthenticator.TAG)
            .includeAlg(true);
    if (requestInput != null) {
      spec.component(
          ComponentIdentifier.of("signature")
              .withFlag("req")
              .withParameter("key", RequestAuthenticator.LABEL));
    }
    SigningKeys.Active key = keys.current(algorithmFor(ctx, requestInput));
    Message response = Message.response(status, request).header("Content-Digest", digest).build();
    CreatedSignature signature = HttpSignatures.sign(response, spec.build(), key.signer());
    headers.set("Signature-Input", signature.signatureInputHeader());
    headers.set("Signature", signature.signatureHeader());
    return Future.succeededFuture();
  }

  /** The request's sig1, if it has a well-formed one (else the response covers less). */
  private static SignatureInput requestSignature(RoutingContext ctx) {
    String input = ctx.request().getHeader("Signature-Input");
    String signature = ctx.request().getHeader("Signature");
    if (input == null
        || signature == null
        || ctx.request().headers().getAll("Signature-Input").size() > 1
        || ctx.request().headers().getAll("Signature").size() > 1) {
      return null; // no single request signature to bind the answer to
    }
    try {
      SignatureInput parsed = SignatureInput.parseField(input).get(RequestAuthenticator.LABEL);
      boolean hasBytes =
          HttpSignatures.parseSignatureField(signature).containsKey(RequestAuthenticator.LABEL);
      return hasBytes ? parsed : null;
    } catch (SignatureFormatException e) {
      return null;
    }
  }

  private static SignatureAlgorithm algorithmFor(RoutingContext ctx, SignatureInput requestInput) {
    String callerAlgorithm = Caller.find(ctx).map(Caller::algorithm).orElse(null);
    if (callerAlgorithm != null) {
      return SignatureAlgorithm.SM2_SM3.httpName().equals(callerAlgorithm)
          ? SignatureAlgorithm.SM2_SM3
          : SignatureAlgorithm.ED25519;
    }
    if (requestInput != null
        && requestInput.alg().filter(SignatureAlgorithm.SM2_SM3.httpName()::equals).isPresent()) {
      return SignatureAlgorithm.SM2_SM3;
    }
    return SignatureAlgorithm.ED25519;
  }
}
