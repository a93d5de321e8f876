package io.scenebank.gateway.testing;

import io.scenebank.sdk.internal.httpsig.ContentDigest;
import io.scenebank.sdk.internal.httpsig.CreatedSignature;
import io.scenebank.sdk.internal.httpsig.HttpSignatures;
import io.scenebank.sdk.internal.httpsig.Message;
import io.scenebank.sdk.internal.httpsig.SignatureSpec;
import io.scenebank.sdk.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A request signed exactly as the contract says — unless a test changes something: the token, the
 * covered components, {@code created}, the nonce, the key, or the headers and body after signing.
 */
public final class SignedRequest {

  private final TestApp app;
  private final String method;
  private final String path;
  private String body;
  private String token;
  private Signer signer;
  private List<String> components;
  private Long created;
  private String nonce = HttpSignatures.newNonce();
  private String tag = "scenebank";
  private String idempotencyKey;
  private String digestAlgorithm = ContentDigest.SHA_256;
  private final Map<String, String> extraHeaders = new LinkedHashMap<>();
  private Consumer<Map<String, String>> afterSigning = h -> {};
  private String bodyAfterSigning;
  private String signedFor;

  SignedRequest(TestApp app, String method, String path) {
    this.app = app;
    this.method = method;
    this.path = path;
    if (method.equals("POST")) {
      idempotencyKey = UUID.randomUUID().toString();
    }
  }

  public SignedRequest body(String json) {
    this.body = json;
    return this;
  }

  public SignedRequest token(String token) {
    this.token = token;
    return this;
  }

  public SignedRequest signer(Signer signer) {
    this.signer = signer;
    return this;
  }

  /** The covered components (default: as the contract requires for this request). */
  public SignedRequest components(String... names) {
    this.components = List.of(names);
    return this;
  }

  public SignedRequest created(long epochSeconds) {
    this.created = epochSeconds;
    return this;
  }

  public SignedRequest nonce(String nonce) {
    this.nonce = nonce;
    return this;
  }

  public SignedRequest tag(String tag) {
    this.tag = tag;
    return this;
  }

  public SignedRequest idempotencyKey(String key) {
    this.idempotencyKey = key;
    return this;
  }

  public SignedRequest digestAlgorithm(String algorithm) {
    this.digestAlgorithm = algorithm;
    return this;
  }

  public SignedRequest header(String name, String value) {
    extraHeaders.put(name, value);
    return this;
  }

  /** Changes the headers after signing (keys as sent, e.g. "Content-Digest"). */
  /** Signs {@code @target-uri} as if the gateway's base URL were {@code base} (a mistake). */
  public SignedRequest signedFor(String base) {
    this.signedFor = base;
    return this;
  }

  public SignedRequest afterSigning(Consumer<Map<String, String>> change) {
    this.afterSigning = change;
    return this;
  }

  /** Sends another body than the one signed. */
  public SignedRequest bodyAfterSigning(String body) {
    this.bodyAfterSigning = body;
    return this;
  }

  /** Signs and sends; the same object sends the same bytes again (a replay). */
  public Http.Response send() {
    return new Http(app.gateway().port()).send(method, path, sentBody(), headers());
  }

  private String sentBody() {
    return bodyAfterSigning != null ? bodyAfterSigning : body;
  }

  private String[] signedHeaders;

  /** The headers as sent; computed once, so that {@link #send} twice replays the request. */
  public String[] headers() {
    if (signedHeaders != null) {
      return signedHeaders;
    }
    Signer key = signer != null ? signer : app.key().signer();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + (token != null ? token : app.token()));
    List<String> covered = new ArrayList<>(List.of("@method", "@target-uri", "authorization"));
    if (body != null) {
      headers.put("Content-Type", "application/json");
      headers.put(
          "Content-Digest",
          ContentDigest.header(digestAlgorithm, body.getBytes(StandardCharsets.UTF_8)));
      covered.add("content-digest");
    }
    if (idempotencyKey != null) {
      headers.put("Idempotency-Key", idempotencyKey);
      covered.add("idempotency-key");
    }
    headers.putAll(extraHeaders);
    Map<String, List<String>> fields = new HashMap<>();
    headers.forEach((k, v) -> fields.put(k.toLowerCase(), List.of(v)));
    SignatureSpec.Builder spec =
        SignatureSpec.builder()
            .components((components != null ? components : covered).toArray(new String[0]))
            .created(created != null ? created : Instant.now().getEpochSecond())
            .includeAlg(true);
    if (nonce != null) {
      spec.nonce(nonce);
    }
    if (tag != null) {
      spec.tag(tag);
    }
    CreatedSignature signature =
        HttpSignatures.sign(
            Message.request(
                method, (signedFor != null ? signedFor : app.gateway().issuer()) + path, fields),
            spec.build(),
            key);
    headers.put("Signature-Input", signature.signatureInputHeader());
    headers.put("Signature", signature.signatureHeader());
    afterSigning.accept(headers);
    List<String> flat = new ArrayList<>();
    headers.forEach(
        (k, v) -> {
          if (v != null) {
            flat.add(k);
            flat.add(v);
          }
        });
    signedHeaders = flat.toArray(new String[0]);
    return signedHeaders;
  }
}
