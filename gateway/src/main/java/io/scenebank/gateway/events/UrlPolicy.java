package io.scenebank.gateway.events;

import io.scenebank.gateway.config.Mode;
import io.scenebank.gateway.http.Problem;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Where the gateway may send requests: webhook endpoints and billers' systems. In production: https
 * only, to globally routable addresses only; in the sandbox also http, loopback and private
 * networks (so that developers can receive webhooks on their own machines), but never link-local
 * addresses (cloud metadata services) or other special ranges. Checked when the URL is registered
 * and again, against the address actually connected to, before every connection (no DNS rebinding
 * into the bank's network). Redirects are never followed.
 */
public final class UrlPolicy {

  private final Mode mode;

  public UrlPolicy(Mode mode) {
    this.mode = mode;
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
    if (!(scheme.equals("https") || (!mode.livemode() && scheme.equals("http")))) {
      throw refuse(mode.livemode() ? "The URL must be https." : "The URL must be http(s).");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw refuse("The URL needs a host, and no user information or fragment.");
    }
    if (isLiteral(uri.getHost())) {
      try {
        // a literal address needs no DNS: refuse it now rather than at the first delivery
        if (!allowed(InetAddress.getByName(uri.getHost()), mode)) {
          throw refuse("The URL's address " + uri.getHost() + " is not allowed.");
        }
      } catch (UnknownHostException e) {
        throw refuse("The URL's address " + uri.getHost() + " is not valid.");
      }
    }
    return uri;
  }

  /**
   * Resolves the URL's host (blocking: call it off the event loop) and returns the address to
   * connect to; fails unless every address of the host is allowed (see {@link #allowed}). Called
   * when an endpoint is registered and again before every connection, which then goes to exactly
   * the address checked (no DNS rebinding).
   */
  public InetAddress resolve(URI uri) {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(uri.getHost());
    } catch (UnknownHostException e) {
      throw refuse("The host " + uri.getHost() + " does not resolve.");
    }
    for (InetAddress address : addresses) {
      if (!allowed(address, mode)) {
        throw refuse(
            mode.livemode()
                ? "The host " + uri.getHost() + " resolves to a private or special address."
                : "The host "
                    + uri.getHost()
                    + " resolves to a link-local, metadata or special address.");
      }
    }
    return addresses[0];
  }

  /**
   * In production only globally routable unicast addresses; in the sandbox also loopback and
   * private networks (a developer's own machine), but never link-local (cloud metadata services
   * live there), unspecified, multicast, reserved or benchmarking ranges, nor an IPv6 form that
   * carries an IPv4 address inside (NAT64, 6to4, Teredo, IPv4-compatible or -translated), which
   * could smuggle any of those.
   */
  static boolean allowed(InetAddress address, Mode mode) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return allowedV4(b, mode);
    }
    if (address instanceof Inet6Address && b.length == 16) {
      if (isMappedV4(b)) {
        return allowedV4(new byte[] {b[12], b[13], b[14], b[15]}, mode);
      }
      if (address.isLoopbackAddress()) {
        return mode.sandbox();
      }
      boolean uniqueLocal = (b[0] & 0xfe) == 0xfc;
      if (uniqueLocal) {
        return mode.sandbox();
      }
      int first16 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
      boolean globalUnicast = (b[0] & 0xe0) == 0x20; // 2000::/3
      boolean protocolAssignments = first16 == 0x2001 && (b[2] & 0xfe) == 0; // 2001::/23 (Teredo…)
      boolean documentation = first16 == 0x2001 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8;
      boolean sixToFour = first16 == 0x2002;
      return globalUnicast && !protocolAssignments && !documentation && !sixToFour;
    }
    return false;
  }

  private static boolean allowedV4(byte[] b, Mode mode) {
    int a = b[0] & 0xff;
    int c = b[1] & 0xff;
    int d = b[2] & 0xff;
    boolean loopback = a == 127;
    boolean privateNet = a == 10 || (a == 172 && c >= 16 && c <= 31) || (a == 192 && c == 168);
    if (loopback || privateNet) {
      return mode.sandbox();
    }
    boolean special =
        a == 0 // "this network"
            || (a == 100 && c >= 64 && c <= 127) // carrier-grade NAT
            || (a == 169 && c == 254) // link-local, cloud metadata
            || (a == 192 && c == 0 && d == 0) // IETF protocol assignments
            || (a == 192 && c == 0 && d == 2) // documentation
            || (a == 192 && c == 88 && d == 99) // 6to4 relay anycast
            || (a == 198 && (c == 18 || c == 19)) // benchmarking
            || (a == 198 && c == 51 && d == 100) // documentation
            || (a == 203 && c == 0 && d == 113) // documentation
            || a >= 224; // multicast, reserved, broadcast
    return !special;
  }

  /** An IPv6 literal in brackets, or a dotted IPv4 address (never looked up in DNS). */
  private static boolean isLiteral(String host) {
    return host.startsWith("[") || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
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
