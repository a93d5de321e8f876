package io.scenebank.gateway.events;

import io.scenebank.gateway.http.Problem;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Where webhooks may go. In production: https only, and never to a private, loopback, link-local,
 * carrier-grade NAT or multicast address — checked when the endpoint is registered and again,
 * against the address actually connected to, at every delivery (no DNS rebinding into the bank's
 * network). Redirects are never followed. The sandbox allows any http(s) URL, so that developers
 * can receive webhooks on their own machines.
 */
public final class UrlPolicy {

  private final boolean production;

  public UrlPolicy(boolean production) {
    this.production = production;
  }

  /** The URL as an endpoint may have it; fails with {@code 422 url_not_allowed}. */
  public URI check(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw refuse("The URL is not valid.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!(scheme.equals("https") || (!production && scheme.equals("http")))) {
      throw refuse(production ? "Webhook URLs must be https." : "Webhook URLs must be http(s).");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw refuse("The URL needs a host, and no user information or fragment.");
    }
    return uri;
  }

  /**
   * Resolves the URL's host (blocking: call it off the event loop) and returns the address to
   * connect to; in production fails unless every address of the host is public.
   */
  public InetAddress resolve(URI uri) {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(uri.getHost());
    } catch (UnknownHostException e) {
      throw refuse("The host " + uri.getHost() + " does not resolve.");
    }
    if (production) {
      for (InetAddress address : addresses) {
        if (!isPublic(address)) {
          throw refuse("The host " + uri.getHost() + " resolves to a private or local address.");
        }
      }
    }
    return addresses[0];
  }

  /** Not loopback, private, link-local, unique-local, CGNAT, multicast or unspecified. */
  static boolean isPublic(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isAnyLocalAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first != 0 && !(first == 100 && second >= 64 && second <= 127) && first < 240;
    }
    if (address instanceof Inet6Address) {
      boolean uniqueLocal = (b[0] & 0xfe) == 0xfc;
      boolean mappedV4 = isMappedV4(b);
      if (mappedV4) {
        try {
          return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return false;
        }
      }
      return !uniqueLocal;
    }
    return false;
  }

  private static boolean isMappedV4(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }

  private static Problem refuse(String detail) {
    return Problem.unprocessable("url_not_allowed", detail);
  }
}
