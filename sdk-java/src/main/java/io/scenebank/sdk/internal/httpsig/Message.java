package io.scenebank.sdk.internal.httpsig;

import java.util.List;
import java.util.Map;

/**
 * The parts of an HTTP message that a signature can cover. Implement it over a server's or client's
 * own request and response types, or build one with {@link #request} / {@link #response}.
 */
public interface Message {

  /** True for a request, false for a response. */
  boolean isRequest();

  /** The request method, e.g. {@code POST}; only asked of requests. */
  String method();

  /**
   * The absolute target URI of the request as sent, e.g. {@code
   * https://api.scenebank.example/v1/payments?limit=20}; only asked of requests.
   */
  String targetUri();

  /** The response status code; only asked of responses. */
  int status();

  /**
   * The values of the header field with this lower-case name, one per field line in the order
   * received; empty if the message has no such field.
   */
  List<String> fieldValues(String lowerCaseName);

  /** For a response: the request it answers (for components with {@code req}), or null. */
  Message relatedRequest();

  /** Starts an immutable request. */
  static BasicMessage.Builder request(String method, String targetUri) {
    return BasicMessage.requestBuilder(method, targetUri);
  }

  /** An immutable request with these header fields (names in any case). */
  static Message request(String method, String targetUri, Map<String, List<String>> headers) {
    return request(method, targetUri).headers(headers).build();
  }

  /** Starts an immutable response; {@code relatedRequest} may be null. */
  static BasicMessage.Builder response(int status, Message relatedRequest) {
    return BasicMessage.responseBuilder(status, relatedRequest);
  }
}
