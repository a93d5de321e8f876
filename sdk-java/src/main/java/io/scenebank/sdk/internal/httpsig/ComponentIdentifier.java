package io.scenebank.sdk.internal.httpsig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A covered component (RFC 9421 §2): a name ({@code @method}, {@code content-digest} …) with
 * parameters such as {@code req}, {@code key="sig1"}, {@code sf}, {@code bs} or {@code name="x"}.
 * Immutable; its serialization (e.g. {@code "signature";req;key="sig1"}) is what the signature base
 * and {@code Signature-Input} carry.
 */
public final class ComponentIdentifier {

  private final String name;
  private final Map<String, Object> parameters;
  private final String serialized;

  private ComponentIdentifier(String name, Map<String, Object> parameters) {
    this.name = name;
    this.parameters = parameters;
    this.serialized = StructuredFields.serializeItem(StructuredFields.Item.of(name, parameters));
  }

  /** A component without parameters, e.g. {@code @method} or {@code content-digest}. */
  public static ComponentIdentifier of(String name) {
    return new ComponentIdentifier(checkName(name), Collections.emptyMap());
  }

  /** A component with parameters (in their iteration order). */
  public static ComponentIdentifier of(String name, Map<String, ?> parameters) {
    return fromItem(StructuredFields.Item.of(checkName(name), parameters));
  }

  /** Parses one serialized component identifier, e.g. {@code "signature";req;key="sig1"}. */
  public static ComponentIdentifier parse(String serialized) {
    return fromItem(StructuredFields.parseItem(serialized));
  }

  /** The component identifier an item of a {@code Signature-Input} inner list stands for. */
  public static ComponentIdentifier fromItem(StructuredFields.Item item) {
    if (!(item.value() instanceof String)) {
      throw new SignatureFormatException(
          "a component identifier must be a string, not " + item.value());
    }
    String name = checkName((String) item.value());
    for (Map.Entry<String, Object> parameter : item.parameters().entrySet()) {
      Object value = parameter.getValue();
      switch (parameter.getKey()) {
        case "sf":
        case "bs":
        case "req":
        case "tr":
          if (!Boolean.TRUE.equals(value)) {
            throw new SignatureFormatException(
                "component parameter " + parameter.getKey() + " must be a true flag in " + item);
          }
          break;
        case "key":
        case "name":
          if (!(value instanceof String)) {
            throw new SignatureFormatException(
                "component parameter " + parameter.getKey() + " must be a string in " + item);
          }
          break;
        default:
          throw new SignatureFormatException(
              "unknown component parameter " + parameter.getKey() + " in " + item);
      }
    }
    return new ComponentIdentifier(name, item.parameters());
  }

  /** This component with one more flag parameter (e.g. {@code req}). */
  public ComponentIdentifier withFlag(String parameter) {
    Map<String, Object> more = new LinkedHashMap<>(parameters);
    more.put(parameter, Boolean.TRUE);
    return of(name, more);
  }

  /** This component with one more string parameter (e.g. {@code key="sig1"}). */
  public ComponentIdentifier withParameter(String parameter, String value) {
    Map<String, Object> more = new LinkedHashMap<>(parameters);
    more.put(parameter, value);
    return of(name, more);
  }

  /** The component name, e.g. {@code @method} or {@code content-digest}. */
  public String name() {
    return name;
  }

  /** The parameters, in order; unmodifiable. */
  public Map<String, Object> parameters() {
    return parameters;
  }

  /** True for a derived component ({@code @...}). */
  public boolean isDerived() {
    return name.startsWith("@");
  }

  /** True if the flag parameter ({@code req}, {@code sf}, {@code bs}) is present. */
  public boolean has(String flag) {
    return Boolean.TRUE.equals(parameters.get(flag));
  }

  /** A string parameter ({@code key}, {@code name}), or null. */
  public String stringParameter(String parameter) {
    Object value = parameters.get(parameter);
    return value instanceof String ? (String) value : null;
  }

  /** The item that stands for this component in a {@code Signature-Input} inner list. */
  public StructuredFields.Item toItem() {
    return StructuredFields.Item.of(name, parameters);
  }

  /** The serialized identifier, e.g. {@code "signature";req;key="sig1"}. */
  public String serialized() {
    return serialized;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ComponentIdentifier
        && ((ComponentIdentifier) o).serialized.equals(serialized);
  }

  @Override
  public int hashCode() {
    return serialized.hashCode();
  }

  @Override
  public String toString() {
    return serialized;
  }

  private static String checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new SignatureFormatException("empty component name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        throw new SignatureFormatException(
            "component names are lower case: \"" + name + "\" is not allowed");
      }
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        throw new SignatureFormatException("invalid component name \"" + name + "\"");
      }
    }
    return name;
  }
}
