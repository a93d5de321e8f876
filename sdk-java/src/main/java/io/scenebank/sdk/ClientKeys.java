package io.scenebank.sdk;

import io.scenebank.sdk.internal.client.Transport;
import io.scenebank.sdk.model.ClientKey;
import io.scenebank.sdk.model.ClientKeyList;
import io.scenebank.sdk.model.RegisterClientKeyRequest;
import io.scenebank.sdk.model.RevokeClientKeyRequest;

/**
 * The calling app's keys ({@code /v1/client/keys}). Rotation: register the new key, switch your
 * client to it, then revoke the old one; both work in between.
 */
public final class ClientKeys {

  private final Transport transport;

  ClientKeys(Transport transport) {
    this.transport = transport;
  }

  public ClientKeyList list() {
    return transport.call(
        "GET", "/v1/client/keys", null, ClientKeyList.class, RequestOptions.none());
  }

  public ClientKey register(RegisterClientKeyRequest request) {
    return register(request, RequestOptions.none());
  }

  public ClientKey register(RegisterClientKeyRequest request, RequestOptions options) {
    return transport.call("POST", "/v1/client/keys", request, ClientKey.class, options);
  }

  /** Revokes a key of this app; it stops working at once. */
  public ClientKey revoke(String keyId, RevokeClientKeyRequest.ReasonEnum reason) {
    return transport.call(
        "POST",
        "/v1/client/keys/" + Paths.segment(keyId) + "/revoke",
        new RevokeClientKeyRequest().reason(reason),
        ClientKey.class,
        RequestOptions.none());
  }
}
