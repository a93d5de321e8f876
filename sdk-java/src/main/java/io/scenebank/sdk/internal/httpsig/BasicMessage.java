package io.scenebank.sdk.internal.httpsig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An immutable {@link Message}, built with {@link Message#request} or {@link Message#response}. */
public final class BasicMessage implements Message {

  private final boolean request;
  private final String method;
  private final String targetUri;
  private final int status;
  private final Map<String, List<String>> fields;
  private final Message relatedRequest;

  private BasicMessage(Builder builder) {
    this.request = builder.request;
    this.method = builder.method;
    this.targetUri = builder.targetUri;
    this.status = builder.status;
    Map<String, List<String>> copy = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> entry : builder.fields.entrySet()) {
      copy.put(entry.getKey(), Collections.unmodifiableList(new ArrayList<>(entry.getValue())));
    }
    this.fields = Collections.unmodifiableMap(copy);
    this.relatedRequest = builder.relatedRequest;
  }

  static Builder requestBuilder(String method, String targetUri) {
    if (method == null || method.isEmpty() || targetUri == null || targetUri.isEmpty()) {
      throw new IllegalArgumentException("a request needs a method and a target URI");
    }
    Builder builder = new Builder(true);
    builder.method = method;
    builder.targetUri = targetUri;
    return builder;
  }

  static Builder responseBuilder(int status, Message relatedRequest) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("not a status code: " + status);
    }
    if (relatedRequest != null && !relatedRequest.isRequest()) {
      throw new IllegalArgumentException("the related message of a response must be a request");
    }
    Builder builder = new Builder(false);
    builder.status = status;
    builder.relatedRequest = relatedRequest;
    return builder;
  }

  @Override
  public boolean isRequest() {
    return request;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String targetUri() {
    return targetUri;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public List<String> fieldValues(String lowerCaseName) {
    List<String> values = fields.get(lowerCaseName);
    return values != null ? values : Collections.emptyList();
  }

  @Override
  public Message relatedRequest() {
    return relatedRequest;
  }

  /** All header fields by lower-case name; unmodifiable. */
  public Map<String, List<String>> fields() {
    return fields;
  }

  @Override
  public String toString() {
    return request ? "request " + method + " " + targetUri : "response " + status;
  }

  /** Collects the fields of a {@link BasicMessage}. */
  public static final class Builder {
    private final boolean request;
    private String method;
    private String targetUri;
    private int status;
    private Message relatedRequest;
    private final Map<String, List<String>> fields = new LinkedHashMap<>();

    private Builder(boolean request) {
      this.request = request;
    }

    /** Adds one field line; the name is case-insensitive. */
    public Builder header(String name, String value) {
      if (name == null || value == null) {
        throw new IllegalArgumentException("a header needs a name and a value");
      }
      fields.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
      return this;
    }

    /** Adds field lines: each name's values in order. */
    public Builder headers(Map<String, List<String>> headers) {
      for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
        for (String value : entry.getValue()) {
          header(entry.getKey(), value);
        }
      }
      return this;
    }

    public BasicMessage build() {
      return new BasicMessage(this);
    }
  }
}
