package io.contactmirror.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps webhook targets off the service's own network (SSRF): https only, and no host that is or resolves to a
 * loopback, link-local, private, shared (CGNAT), multicast, unspecified or metadata address, unless the operator
 * allows them. Checked when a subscription is saved and again on every delivery after DNS resolution.
 */
class TargetGuard {

    /** Resolves a host name; a seam so tests can play a DNS server that answers differently each time. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowHttp;
    private final boolean allowPrivate;
    private final Resolver resolver;

    TargetGuard(boolean allowHttp, boolean allowPrivate, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** What is wrong with the URL as a target, in words for the client; empty when it is acceptable. */
    Optional<String> problemWith(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException ex) {
            return Optional.of("must be an absolute https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            return Optional.of(allowHttp ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return Optional.of("must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry credentials (user info)");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        try {
            resolvePermitted(uri.getHost());
            return Optional.empty();
        } catch (RefusedTargetException ex) {
            return Optional.of(ex.getMessage());
        } catch (UnknownHostException ex) {
            return Optional.of("host " + uri.getHost() + " cannot be resolved");
        }
    }

    /**
     * The host's addresses, each one permitted; the caller connects only to these (the address is pinned, so a DNS
     * answer that changes between this check and the connection cannot redirect it).
     */
    InetAddress[] resolvePermitted(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = resolver.resolve(bare);
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (isInternal(address)) {
                    throw new RefusedTargetException("host " + host + " resolves to " + address.getHostAddress()
                            + ", a loopback, private, link-local or otherwise internal address");
                }
            }
        }
        return addresses;
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // "this network"
                    || first == 10
                    || (first == 100 && second >= 64 && second < 128) // CGNAT 100.64.0.0/10
                    || (first == 169 && second == 254) // link-local, cloud metadata 169.254.169.254
                    || (first == 172 && second >= 16 && second < 32)
                    || (first == 192 && second == 168)
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || first >= 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // unique local fc00::/7
                return true;
            }
            if (isMappedOrCompatibleV4(b)) { // ::ffff:10.0.0.1 reaches the IPv4 host
                try {
                    return isInternal(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException ex) {
                    return true;
                }
            }
            // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address that may be internal.
            if (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return true;
            }
            return first == 0x20 && (b[1] & 0xff) == 0x02;
        }
        return true;
    }

    private static boolean isMappedOrCompatibleV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
    }

    /** A target the guard refuses; the message says why and is safe to show the tenant. */
    static final class RefusedTargetException extends UnknownHostException {
        RefusedTargetException(String message) {
            super(message);
        }
    }
}
