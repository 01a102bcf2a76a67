package dev.atrium.http;

import dev.atrium.http.IpNetwork;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses the hub may connect to for its users (webhooks, mirrors' sources): public ones, and the networks an
 * administrator allows ({@code --webhook-allowed-networks}, {@code --mirror-allowed-networks}). Whoever creates a
 * webhook or a mirror chooses its URL, and the server connects to it from inside its own network: unchecked, a URL
 * reaches this machine's own services, a cloud's metadata address or anything on the LAN, and the outcome (refused,
 * timed out, an HTTP status) tells its owner what is there. Gitea and GitLab refuse such targets by default for the
 * same reason. Every address a host name resolves to must pass, and webhook deliveries connect through {@link #check},
 * so a name that resolves elsewhere at delivery time than when the webhook was saved cannot slip through.
 */
public final class OutboundTargets {
    /** Resolves a host name to its addresses; {@link InetAddress#getAllByName} outside tests. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private record Reserved(IpNetwork network, String kind) {
        Reserved(String cidr, String kind) {
            this(IpNetwork.parse(cidr), kind);
        }
    }

    /** Addresses that are not on the public internet (IANA special-purpose registries), by kind. */
    private static final List<Reserved> RESERVED = List.of(
            new Reserved("0.0.0.0/8", "\"this network\""),
            new Reserved("10.0.0.0/8", "private"),
            new Reserved("100.64.0.0/10", "shared (carrier-grade NAT)"),
            new Reserved("127.0.0.0/8", "loopback"),
            new Reserved("169.254.0.0/16", "link-local"),
            new Reserved("172.16.0.0/12", "private"),
            new Reserved("192.0.0.0/24", "IETF protocol"),
            new Reserved("192.168.0.0/16", "private"),
            new Reserved("198.18.0.0/15", "benchmarking"),
            new Reserved("224.0.0.0/4", "multicast"),
            new Reserved("240.0.0.0/4", "reserved"),
            new Reserved("::/96", "unspecified, loopback or IPv4-compatible"),
            new Reserved("2001::/32", "Teredo"),
            new Reserved("fc00::/7", "unique local (private)"),
            new Reserved("fe80::/10", "link-local"),
            new Reserved("fec0::/10", "site-local"),
            new Reserved("ff00::/8", "multicast"));
    /** IPv6 prefixes that carry an IPv4 address, which is what decides: NAT64 and 6to4. */
    private static final IpNetwork NAT64 = IpNetwork.parse("64:ff9b::/96");
    private static final IpNetwork SIX_TO_FOUR = IpNetwork.parse("2002::/16");

    private final List<IpNetwork> allowed;
    private final Resolver resolver;
    private final String option;

    /** {@code option} is the one that allows more networks, named when a target is refused. */
    public OutboundTargets(List<IpNetwork> allowed, Resolver resolver, String option) {
        this.allowed = List.copyOf(allowed);
        this.resolver = resolver;
        this.option = option;
    }

    /** Public addresses only: the default. */
    public static OutboundTargets publicOnly(String option) {
        return new OutboundTargets(List.of(), InetAddress::getAllByName, option);
    }

    /**
     * Public addresses and the comma-separated networks {@code networks} ({@code --webhook-allowed-networks}).
     *
     * @throws IllegalArgumentException when one is not a network
     */
    public static OutboundTargets allowing(String networks, String option) {
        return new OutboundTargets(parseNetworks(networks), InetAddress::getAllByName, option);
    }

    /**
     * The comma-separated networks {@code networks}.
     *
     * @throws IllegalArgumentException when one is not a network
     */
    public static List<IpNetwork> parseNetworks(String networks) {
        List<IpNetwork> parsed = new ArrayList<>();
        for (String part : networks.split(",")) {
            if (!part.isBlank()) {
                parsed.add(IpNetwork.parse(part));
            }
        }
        return parsed;
    }

    public List<IpNetwork> allowed() {
        return allowed;
    }

    /**
     * The addresses of {@code host}, when webhooks may go to every one of them.
     *
     * @throws OutboundTargetRefused when one of them is not public and not in an allowed network
     */
    public List<InetAddress> check(String host) throws OutboundTargetRefused, UnknownHostException {
        InetAddress[] addresses = resolver.resolve(host);
        for (InetAddress address : addresses) {
            Optional<String> kind = reservedKind(address);
            if (kind.isPresent() && allowed.stream().noneMatch(n -> n.contains(address))) {
                throw new OutboundTargetRefused(host, address, kind.get(), option);
            }
        }
        return List.of(addresses);
    }

    /** What kind of non-public address {@code address} is; empty for a public one. */
    static Optional<String> reservedKind(InetAddress address) {
        Optional<InetAddress> embedded = embeddedIpv4(address);
        if (embedded.isPresent()) {
            return reservedKind(embedded.get());
        }
        return RESERVED.stream().filter(r -> r.network().contains(address)).map(Reserved::kind).findFirst();
    }

    private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (address instanceof Inet4Address) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        int at = NAT64.contains(address) ? 12 : SIX_TO_FOUR.contains(address) ? 2 : -1;
        if (at < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(Arrays.copyOfRange(bytes, at, at + 4)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
