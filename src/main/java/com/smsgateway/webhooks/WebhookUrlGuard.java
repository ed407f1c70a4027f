package com.smsgateway.webhooks;

import com.smsgateway.domain.DomainFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Keeps customer-supplied webhook URLs from reaching into the platform's own network (SSRF). A URL must be https;
 * in live mode its host must resolve only to public addresses (not private, loopback, link-local, unique-local, CGNAT,
 * multicast, unspecified or cloud-metadata ones). It is checked when set and again at each call: the call then
 * connects to the address that was checked ({@link Target#address()}), so a name that re-resolves elsewhere
 * (DNS rebinding) cannot slip past. In sandbox mode http is allowed to loopback hosts only (local stand-ins).
 */
public final class WebhookUrlGuard {
  public static final String NOT_ALLOWED = "webhook_url_not_allowed";

  /** Resolves a host name to its addresses; blocking (the guard calls it off the event loop). Tests inject their own. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  public static final Resolver SYSTEM_RESOLVER = host -> List.of(InetAddress.getAllByName(host));

  /**
   * Where to send: the URL's parts, and the checked address to connect to (null in sandbox mode: the host is used).
   *
   * @param requestUri path and query
   */
  public record Target(String host, int port, boolean ssl, String requestUri, InetAddress address) {}

  private final Vertx vertx;
  private final boolean sandbox;
  private final Resolver resolver;

  public WebhookUrlGuard(Vertx vertx, boolean sandbox, Resolver resolver) {
    this.vertx = vertx;
    this.sandbox = sandbox;
    this.resolver = resolver;
  }

  /**
   * The target of {@code url} once it passed every check, or a failed future with a 422 {@link DomainFailure}
   * ({@value #NOT_ALLOWED}, about {@code field}).
   */
  public Future<Target> check(String field, String url) {
    URI uri;
    try {
      uri = parse(field, url);
    } catch (DomainFailure refused) {
      return Future.failedFuture(refused);
    }
    boolean ssl = "https".equals(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : ssl ? 443 : 80;
    String requestUri = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String host = hostOf(uri);
    if (sandbox) {
      return Future.succeededFuture(new Target(host, port, ssl, requestUri, null));
    }
    return vertx.executeBlocking(() -> resolver.resolve(host), false)
        .recover(e -> Future.failedFuture(refused(field, "'" + field + "' host " + host + " does not resolve")))
        .compose(addresses -> {
          if (addresses.isEmpty()) {
            return Future.failedFuture(refused(field, "'" + field + "' host " + host + " does not resolve"));
          }
          for (InetAddress address : addresses) {
            if (!isPublic(address)) {
              return Future.failedFuture(refused(field, "'" + field + "' must not point to a private, loopback, link-local or metadata address ("
                  + host + " resolves to " + address.getHostAddress() + ")"));
            }
          }
          return Future.succeededFuture(new Target(host, port, ssl, requestUri, addresses.get(0)));
        });
  }

  /** The checks that need no DNS: an absolute https URL with a host and no credentials (http to loopback in sandbox mode). */
  private URI parse(String field, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      throw refused(field, "'" + field + "' must be an absolute https URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || uri.getRawUserInfo() != null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw refused(field, "'" + field + "' must be an absolute https URL without credentials");
    }
    if (scheme.equals("http") && !(sandbox && isLoopbackName(hostOf(uri)))) {
      throw refused(field, "'" + field + "' must use https" + (sandbox ? " (http only to a loopback host in sandbox mode)" : ""));
    }
    return uri;
  }

  private static String hostOf(URI uri) {
    String host = uri.getHost();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static boolean isLoopbackName(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      // A literal address only (no lookup happens for literals).
      return looksLikeLiteral(host) && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean looksLikeLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }

  /** Whether a webhook may be sent to {@code address} in live mode. */
  static boolean isPublic(InetAddress address) {
    if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first != 0                                        // "this network"
          && !(first == 100 && second >= 64 && second < 128)   // CGNAT 100.64.0.0/10
          && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments 192.0.0.0/24
          && !(first == 198 && (second == 18 || second == 19)) // benchmarking 198.18.0.0/15
          && first < 240;                                      // reserved and broadcast
    }
    if (address instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {   // unique local fc00::/7 (also fd00:ec2::254, the EC2 metadata address)
        return false;
      }
      if (isEmbeddedIpv4(b)) {        // ::ffff:a.b.c.d, ::a.b.c.d and NAT64 64:ff9b::a.b.c.d carry an IPv4 address
        try {
          return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean isEmbeddedIpv4(byte[] b) {
    boolean zeroPrefix = true;
    for (int i = 0; i < 10; i++) {
      zeroPrefix &= b[i] == 0;
    }
    boolean mappedOrCompatible = zeroPrefix && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0));
    boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    return mappedOrCompatible || nat64;
  }

  private static DomainFailure refused(String field, String message) {
    return DomainFailure.invalid(NOT_ALLOWED, message + ".", field);
  }
}
