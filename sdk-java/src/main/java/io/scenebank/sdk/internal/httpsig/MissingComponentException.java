package io.scenebank.sdk.internal.httpsig;

/** A covered component that the message does not have (a field, dictionary member, parameter). */
public class MissingComponentException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String component;

  /**
   * @param component the serialized component identifier, e.g. {@code "content-digest"} or {@code
   *     "signature";req;key="sig1"}
   */
  public MissingComponentException(String component) {
    this(component, "the message has no component " + component);
  }

  public MissingComponentException(String component, String message) {
    super(message);
    this.component = component;
  }

  /** The serialized identifier of the missing component. */
  public String component() {
    return component;
  }
}
