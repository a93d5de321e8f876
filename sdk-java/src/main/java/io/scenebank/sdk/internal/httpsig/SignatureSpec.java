package io.scenebank.sdk.internal.httpsig;

import io.scenebank.sdk.signing.Signer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to sign: label, covered components and signature parameters. Immutable; build with {@link
 * #builder()}. Parameters are written in the order {@code created}, {@code expires}, {@code keyid},
 * {@code nonce}, {@code alg}, {@code tag}, those that are not set left out.
 */
public final class SignatureSpec {

  private final String label;
  private final List<ComponentIdentifier> components;
  private final long created;
  private final Long expires;
  private final String nonce;
  private final String tag;
  private final boolean includeAlg;
  private final String keyId;

  private SignatureSpec(Builder builder) {
    this.label = builder.label;
    this.components = Collections.unmodifiableList(new ArrayList<>(builder.components));
    this.created = builder.created;
    this.expires = builder.expires;
    this.nonce = builder.nonce;
    this.tag = builder.tag;
    this.includeAlg = builder.includeAlg;
    this.keyId = builder.keyId;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String label() {
    return label;
  }

  public List<ComponentIdentifier> components() {
    return components;
  }

  /**
   * The signature input for a signer: its key ID (unless the spec sets one) and, if asked for, its
   * algorithm's name.
   */
  public SignatureInput toInput(Signer signer) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("created", created);
    if (expires != null) {
      parameters.put("expires", expires);
    }
    String id = keyId != null ? keyId : signer.keyId();
    if (id != null) {
      parameters.put("keyid", id);
    }
    if (nonce != null) {
      parameters.put("nonce", nonce);
    }
    if (includeAlg) {
      parameters.put("alg", signer.algorithm().httpName());
    }
    if (tag != null) {
      parameters.put("tag", tag);
    }
    return SignatureInput.of(label, components, parameters);
  }

  /** Collects a {@link SignatureSpec}. */
  public static final class Builder {
    private String label = "sig1";
    private final List<ComponentIdentifier> components = new ArrayList<>();
    private Long createdSet;
    private long created;
    private Long expires;
    private String nonce;
    private String tag;
    private boolean includeAlg;
    private String keyId;

    private Builder() {}

    /** The label (default {@code sig1}). */
    public Builder label(String label) {
      StructuredFields.checkKey(label);
      this.label = label;
      return this;
    }

    /** Adds a covered component. */
    public Builder component(ComponentIdentifier component) {
      components.add(component);
      return this;
    }

    /** Adds covered components without parameters, e.g. {@code "@method", "content-digest"}. */
    public Builder components(String... names) {
      for (String name : names) {
        components.add(ComponentIdentifier.of(name));
      }
      return this;
    }

    /** Adds covered components. */
    public Builder components(List<ComponentIdentifier> more) {
      components.addAll(more);
      return this;
    }

    /** {@code created}, UNIX seconds (required). */
    public Builder created(long epochSeconds) {
      this.createdSet = epochSeconds;
      this.created = epochSeconds;
      return this;
    }

    /** {@code expires}, UNIX seconds. */
    public Builder expires(long epochSeconds) {
      this.expires = epochSeconds;
      return this;
    }

    /** {@code nonce}. */
    public Builder nonce(String nonce) {
      this.nonce = nonce;
      return this;
    }

    /** {@code tag}. */
    public Builder tag(String tag) {
      this.tag = tag;
      return this;
    }

    /** Whether to write {@code alg} (the signer's algorithm). */
    public Builder includeAlg(boolean includeAlg) {
      this.includeAlg = includeAlg;
      return this;
    }

    /** {@code keyid}, if it is not to be the signer's key ID. */
    public Builder keyId(String keyId) {
      this.keyId = keyId;
      return this;
    }

    public SignatureSpec build() {
      if (createdSet == null) {
        throw new IllegalStateException("a signature needs its created time");
      }
      return new SignatureSpec(this);
    }
  }
}
