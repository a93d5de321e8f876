package io.scenebank.sdk;

import io.scenebank.sdk.internal.client.Transport;
import io.scenebank.sdk.model.ClientKey;
import io.scenebank.sdk.model.ClientKeyList;
import io.scenebank.sdk.model.RegisterClientKeyRequest;
import io.scenebank.sdk.model.RevokeClientKeyRequest;
import java.util.concurrent.CompletableFuture;

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
    return Transport.join(listAsync());
  }

  /**
   * {@link #list} without blocking: the future completes with its result, or with its exception
   * (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<ClientKeyList> listAsync() {
    return transport.callAsync(
        "GET", "/v1/client/keys", null, ClientKeyList.class, RequestOptions.none());
  }

  public ClientKey register(RegisterClientKeyRequest request) {
    return register(request, RequestOptions.none());
  }

  /**
   * {@link #register} without blocking: the future completes with its result, or with its exception
   * (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<ClientKey> registerAsync(RegisterClientKeyRequest request) {
    return registerAsync(request, RequestOptions.none());
  }

  public ClientKey register(RegisterClientKeyRequest request, RequestOptions options) {
    return Transport.join(registerAsync(request, options));
  }

  /**
   * {@link #register} without blocking: the future completes with its result, or with its exception
   * (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<ClientKey> registerAsync(
      RegisterClientKeyRequest request, RequestOptions options) {
    return transport.callAsync("POST", "/v1/client/keys", request, ClientKey.class, options);
  }

  /** Revokes a key of this app; it stops working at once. */
  public ClientKey revoke(String keyId, RevokeClientKeyRequest.ReasonEnum reason) {
    return Transport.join(revokeAsync(keyId, reason));
  }

  /**
   * {@link #revoke} without blocking: the future completes with its result, or with its exception
   * (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<ClientKey> revokeAsync(
      String keyId, RevokeClientKeyRequest.ReasonEnum reason) {
    return transport.callAsync(
        "POST",
        "/v1/client/keys/" + Paths.segment(keyId) + "/revoke",
        new RevokeClientKeyRequest().reason(reason),
        ClientKey.class,
        RequestOptions.none());
  }
}
