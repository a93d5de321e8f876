package io.scenebank.sdk;

import static io.scenebank.sdk.Paths.page;

import io.scenebank.sdk.internal.client.Transport;
import io.scenebank.sdk.model.App;
import io.scenebank.sdk.model.AppList;
import io.scenebank.sdk.model.Biller;
import io.scenebank.sdk.model.ClientKey;
import io.scenebank.sdk.model.ClientKeyList;
import io.scenebank.sdk.model.CreateAppRequest;
import io.scenebank.sdk.model.CreateBillerRequest;
import io.scenebank.sdk.model.CreateOrganisationRequest;
import io.scenebank.sdk.model.LedgerCheck;
import io.scenebank.sdk.model.Merchant;
import io.scenebank.sdk.model.Organisation;
import io.scenebank.sdk.model.OrganisationList;
import io.scenebank.sdk.model.RegisterClientKeyRequest;
import io.scenebank.sdk.model.ReviewMerchantRequest;
import io.scenebank.sdk.model.RevokeClientKeyRequest;
import io.scenebank.sdk.model.RotateSigningKeyRequest;
import io.scenebank.sdk.model.SigningKey;
import io.scenebank.sdk.model.UpdateBillerRequest;
import java.util.concurrent.CompletableFuture;

/**
 * The bank's operator API: organisations, apps, their keys, merchant review, the biller directory,
 * the gateway's signing keys.
 */
public final class Operator {

  private final Transport transport;

  Operator(Transport transport) {
    this.transport = transport;
  }

  public Organisation createOrganisation(CreateOrganisationRequest request) {
    return Transport.join(createOrganisationAsync(request));
  }

  /**
   * {@link #createOrganisation} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Organisation> createOrganisationAsync(
      CreateOrganisationRequest request) {
    return transport.callAsync(
        "POST", "/v1/operator/organisations", request, Organisation.class, RequestOptions.none());
  }

  /** A page of organisations, newest first; pass the previous page's next_cursor, or null. */
  public OrganisationList listOrganisations(Integer limit, String cursor) {
    return Transport.join(listOrganisationsAsync(limit, cursor));
  }

  /**
   * {@link #listOrganisations} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<OrganisationList> listOrganisationsAsync(Integer limit, String cursor) {
    return transport.callAsync(
        "GET",
        "/v1/operator/organisations" + page(limit, cursor),
        null,
        OrganisationList.class,
        RequestOptions.none());
  }

  /**
   * Every item of {@link #listOrganisations} (limit: the page size, null for the default), across
   * its pages, each page fetched only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<Organisation> listAllOrganisations(Integer limit) {
    return AutoPager.of(
        cursor -> listOrganisations(limit, cursor),
        OrganisationList::getData,
        OrganisationList::getNextCursor);
  }

  public App createApp(String organisationId, CreateAppRequest request) {
    return Transport.join(createAppAsync(organisationId, request));
  }

  /**
   * {@link #createApp} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<App> createAppAsync(String organisationId, CreateAppRequest request) {
    return transport.callAsync(
        "POST",
        "/v1/operator/organisations/" + Paths.segment(organisationId) + "/apps",
        request,
        App.class,
        RequestOptions.none());
  }

  public AppList listApps(String organisationId, Integer limit, String cursor) {
    return Transport.join(listAppsAsync(organisationId, limit, cursor));
  }

  /**
   * {@link #listApps} without blocking: the future completes with its result, or with its exception
   * (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<AppList> listAppsAsync(
      String organisationId, Integer limit, String cursor) {
    return transport.callAsync(
        "GET",
        "/v1/operator/organisations/"
            + Paths.segment(organisationId)
            + "/apps"
            + page(limit, cursor),
        null,
        AppList.class,
        RequestOptions.none());
  }

  /**
   * Every item of {@link #listApps} (limit: the page size, null for the default), across its pages,
   * each page fetched only when the iteration reaches it (see {@link AutoPager}).
   */
  public AutoPager<App> listAllApps(String organisationId, Integer limit) {
    return AutoPager.of(
        cursor -> listApps(organisationId, limit, cursor),
        AppList::getData,
        AppList::getNextCursor);
  }

  public ClientKey registerAppKey(String clientId, RegisterClientKeyRequest request) {
    return Transport.join(registerAppKeyAsync(clientId, request));
  }

  /**
   * {@link #registerAppKey} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<ClientKey> registerAppKeyAsync(
      String clientId, RegisterClientKeyRequest request) {
    return transport.callAsync(
        "POST",
        "/v1/operator/apps/" + Paths.segment(clientId) + "/keys",
        request,
        ClientKey.class,
        RequestOptions.none());
  }

  public ClientKeyList listAppKeys(String clientId) {
    return Transport.join(listAppKeysAsync(clientId));
  }

  /**
   * {@link #listAppKeys} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<ClientKeyList> listAppKeysAsync(String clientId) {
    return transport.callAsync(
        "GET",
        "/v1/operator/apps/" + Paths.segment(clientId) + "/keys",
        null,
        ClientKeyList.class,
        RequestOptions.none());
  }

  public ClientKey revokeAppKey(
      String clientId, String keyId, RevokeClientKeyRequest.ReasonEnum reason) {
    return Transport.join(revokeAppKeyAsync(clientId, keyId, reason));
  }

  /**
   * {@link #revokeAppKey} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<ClientKey> revokeAppKeyAsync(
      String clientId, String keyId, RevokeClientKeyRequest.ReasonEnum reason) {
    return transport.callAsync(
        "POST",
        "/v1/operator/apps/"
            + Paths.segment(clientId)
            + "/keys/"
            + Paths.segment(keyId)
            + "/revoke",
        new RevokeClientKeyRequest().reason(reason),
        ClientKey.class,
        RequestOptions.none());
  }

  /**
   * Approves or rejects a {@code PENDING_REVIEW} merchant application (a reason is required to
   * reject); ConflictException merchant_not_pending, DeclinedException reason_required,
   * NotFoundException.
   */
  public Merchant reviewMerchant(String merchantId, ReviewMerchantRequest request) {
    return reviewMerchant(merchantId, request, RequestOptions.none());
  }

  /**
   * {@link #reviewMerchant} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Merchant> reviewMerchantAsync(
      String merchantId, ReviewMerchantRequest request) {
    return reviewMerchantAsync(merchantId, request, RequestOptions.none());
  }

  /** {@link #reviewMerchant(String, ReviewMerchantRequest)} with your idempotency key. */
  public Merchant reviewMerchant(
      String merchantId, ReviewMerchantRequest request, RequestOptions options) {
    return Transport.join(reviewMerchantAsync(merchantId, request, options));
  }

  /**
   * {@link #reviewMerchant} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Merchant> reviewMerchantAsync(
      String merchantId, ReviewMerchantRequest request, RequestOptions options) {
    return transport.callAsync(
        "POST",
        "/v1/operator/merchants/" + Paths.segment(merchantId) + "/review",
        request,
        Merchant.class,
        options);
  }

  /**
   * Adds a biller to the directory with its connector (credentials by name only); ConflictException
   * biller_exists, DeclinedException invalid_biller_definition.
   */
  public Biller createBiller(CreateBillerRequest request) {
    return createBiller(request, RequestOptions.none());
  }

  /**
   * {@link #createBiller} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Biller> createBillerAsync(CreateBillerRequest request) {
    return createBillerAsync(request, RequestOptions.none());
  }

  /** {@link #createBiller(CreateBillerRequest)} with your idempotency key or request id. */
  public Biller createBiller(CreateBillerRequest request, RequestOptions options) {
    return Transport.join(createBillerAsync(request, options));
  }

  /**
   * {@link #createBiller} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Biller> createBillerAsync(
      CreateBillerRequest request, RequestOptions options) {
    return transport.callAsync("POST", "/v1/operator/billers", request, Biller.class, options);
  }

  /**
   * Replaces a biller's whole definition (PUT), e.g. to suspend it; DeclinedException
   * invalid_biller_definition, NotFoundException.
   */
  public Biller updateBiller(String billerId, UpdateBillerRequest request) {
    return Transport.join(updateBillerAsync(billerId, request));
  }

  /**
   * {@link #updateBiller} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<Biller> updateBillerAsync(String billerId, UpdateBillerRequest request) {
    return transport.callAsync(
        "PUT",
        "/v1/operator/billers/" + Paths.segment(billerId),
        request,
        Biller.class,
        RequestOptions.none());
  }

  /** Retires the gateway's active key of the algorithm and makes a new one. */
  public SigningKey rotateSigningKey(RotateSigningKeyRequest.AlgorithmEnum algorithm) {
    return Transport.join(rotateSigningKeyAsync(algorithm));
  }

  /**
   * {@link #rotateSigningKey} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<SigningKey> rotateSigningKeyAsync(
      RotateSigningKeyRequest.AlgorithmEnum algorithm) {
    return transport.callAsync(
        "POST",
        "/v1/operator/signing-keys/rotate",
        new RotateSigningKeyRequest().algorithm(algorithm),
        SigningKey.class,
        RequestOptions.none());
  }

  /**
   * Runs the double-entry consistency check over the whole ledger (read-only; may take seconds);
   * {@link LedgerCheck#getBalanced()} is false when it found discrepancies.
   */
  public LedgerCheck checkLedger() {
    return Transport.join(checkLedgerAsync());
  }

  /**
   * {@link #checkLedger} without blocking: the future completes with its result, or with its
   * exception (see {@link ScenebankClient}, "Asynchronous calls").
   */
  public CompletableFuture<LedgerCheck> checkLedgerAsync() {
    return transport.callAsync(
        "GET", "/v1/operator/ledger/check", null, LedgerCheck.class, RequestOptions.none());
  }
}
