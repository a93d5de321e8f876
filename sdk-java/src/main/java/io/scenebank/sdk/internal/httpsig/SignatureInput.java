package io.scenebank.sdk.internal.httpsig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One signature's entry of {@code Signature-Input} (RFC 9421 §4.1): its label, ordered covered
 * components and signature parameters ({@code created}, {@code expires}, {@code nonce}, {@code
 * keyid}, {@code alg}, {@code tag} and any others, kept in order). Immutable.
 *
 * <p>{@link #signatureParamsValue()} is the exact value of the {@code "@signature-params"} line of
 * the signature base: the canonical serialization of the inner list with its parameters.
 */
public final class SignatureInput {

  private final String label;
  private final List<ComponentIdentifier> components;
  private final Map<String, Object> parameters;
  private final String signatureParamsValue;

  private SignatureInput(
      String label, List<ComponentIdentifier> components, Map<String, Object> parameters) {
    this.label = label;
    this.components = components;
    this.parameters = parameters;
    List<StructuredFields.Item> items = new ArrayList<>(components.size());
    for (ComponentIdentifier component : components) {
      items.add(component.toItem());
    }
    this.signatureParamsValue =
        StructuredFields.serializeMember(StructuredFields.InnerList.of(items, parameters));
  }

  /**
   * A signature input from its parts.
   *
   * @param parameters the signature parameters in the order they are to be serialized; values are
   *     Long/Integer for {@code created} and {@code expires}, String for {@code nonce}, {@code
   *     keyid}, {@code alg} and {@code tag}
   */
  public static SignatureInput of(
      String label, List<ComponentIdentifier> components, Map<String, ?> parameters) {
    StructuredFields.checkKey(label);
    List<StructuredFields.Item> items = new ArrayList<>();
    for (ComponentIdentifier component : components) {
      items.add(component.toItem());
    }
    return fromMember(label, StructuredFields.InnerList.of(items, parameters));
  }

  /**
   * Parses a {@code Signature-Input} field value (all field lines joined with {@code ", "}) into
   * its signatures by label, in order.
   *
   * @throws SignatureFormatException if the value or one of its signatures is malformed
   */
  public static Map<String, SignatureInput> parseField(String fieldValue) {
    Map<String, StructuredFields.Member> dictionary = StructuredFields.parseDictionary(fieldValue);
    Map<String, SignatureInput> inputs = new LinkedHashMap<>();
    for (Map.Entry<String, StructuredFields.Member> entry : dictionary.entrySet()) {
      inputs.put(entry.getKey(), fromMember(entry.getKey(), entry.getValue()));
    }
    return Collections.unmodifiableMap(inputs);
  }

  private static SignatureInput fromMember(String label, StructuredFields.Member member) {
    if (!(member instanceof StructuredFields.InnerList)) {
      throw new SignatureFormatException(
          "signature input " + label + " is not an inner list of components");
    }
    StructuredFields.InnerList list = (StructuredFields.InnerList) member;
    List<ComponentIdentifier> components = new ArrayList<>();
    Set<ComponentIdentifier> seen = new HashSet<>();
    for (StructuredFields.Item item : list.items()) {
      ComponentIdentifier component = ComponentIdentifier.fromItem(item);
      if (component.name().equals("@signature-params")) {
        throw new SignatureFormatException(
            "signature input " + label + " must not cover \"@signature-params\"");
      }
      if (!seen.add(component)) {
        throw new SignatureFormatException(
            "signature input " + label + " covers " + component + " twice");
      }
      components.add(component);
    }
    Map<String, Object> parameters = list.parameters();
    for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
      Object value = parameter.getValue();
      switch (parameter.getKey()) {
        case "created":
        case "expires":
          if (!(value instanceof Long)) {
            throw new SignatureFormatException(
                "signature parameter "
                    + parameter.getKey()
                    + " of "
                    + label
                    + " is not an integer");
          }
          break;
        case "nonce":
        case "keyid":
        case "alg":
        case "tag":
          if (!(value instanceof String)) {
            throw new SignatureFormatException(
                "signature parameter " + parameter.getKey() + " of " + label + " is not a string");
          }
          break;
        default:
          break; // kept as they are: an application decides whether it accepts them
      }
    }
    return new SignatureInput(label, Collections.unmodifiableList(components), parameters);
  }

  /** The signature's label (its key in {@code Signature-Input} and {@code Signature}). */
  public String label() {
    return label;
  }

  /** The covered components, in order; unmodifiable. */
  public List<ComponentIdentifier> components() {
    return components;
  }

  /** All signature parameters, in order; unmodifiable. */
  public Map<String, Object> parameters() {
    return parameters;
  }

  /** {@code created}, if present. */
  public OptionalLong created() {
    return integer("created");
  }

  /** {@code expires}, if present. */
  public OptionalLong expires() {
    return integer("expires");
  }

  /** {@code nonce}, if present. */
  public Optional<String> nonce() {
    return string("nonce");
  }

  /** {@code keyid}, if present. */
  public Optional<String> keyId() {
    return string("keyid");
  }

  /** {@code alg}, if present. */
  public Optional<String> alg() {
    return string("alg");
  }

  /** {@code tag}, if present. */
  public Optional<String> tag() {
    return string("tag");
  }

  /** The value of the {@code "@signature-params"} line, e.g. {@code ("@method");created=1}. */
  public String signatureParamsValue() {
    return signatureParamsValue;
  }

  /** This signature's member of a {@code Signature-Input} field: {@code label=value}. */
  public String fieldMember() {
    return label + "=" + signatureParamsValue;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignatureInput
        && ((SignatureInput) o).label.equals(label)
        && ((SignatureInput) o).signatureParamsValue.equals(signatureParamsValue);
  }

  @Override
  public int hashCode() {
    return label.hashCode() * 31 + signatureParamsValue.hashCode();
  }

  @Override
  public String toString() {
    return fieldMember();
  }

  private OptionalLong integer(String name) {
    Object value = parameters.get(name);
    return value instanceof Long ? OptionalLong.of((Long) value) : OptionalLong.empty();
  }

  private Optional<String> string(String name) {
    Object value = parameters.get(name);
    return value instanceof String ? Optional.of((String) value) : Optional.empty();
  }
}
