package io.scenebank.gateway.security;

import io.scenebank.sdk.internal.httpsig.Message;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The request as the signature code sees it: method, the URI the client signed, the fields. */
final class RequestMessages {

  private RequestMessages() {}

  /**
   * {@code @target-uri} is rebuilt from the gateway's public URL (never the Host header, which a
   * proxy may rewrite) and the request's path and query exactly as received.
   */
  static Message of(HttpServerRequest request, String publicUrl) {
    return Message.request(
        request.method().name(), publicUrl + request.uri(), fields(request.headers()));
  }

  static Map<String, List<String>> fields(MultiMap headers) {
    Map<String, List<String>> fields = new HashMap<>();
    for (Map.Entry<String, String> h : headers) {
      fields
          .computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.getValue());
    }
    return fields;
  }
}
