package dev.atrium.http;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reverse proxies ({@code --trusted-proxies}) whose {@code X-Forwarded-For} names the client. A request from any
 * other peer is its own client: anyone can send the header, so it is believed only as far as the proxies that
 * appended to it are trusted. From the right, each address a trusted proxy forwarded for is taken in turn, and the
 * first that is not itself a trusted proxy is the client (what nginx's {@code real_ip_recursive} does).
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<IpNetwork> networks;

    private TrustedProxies(List<IpNetwork> networks) {
        this.networks = List.copyOf(networks);
    }

    /**
     * {@code "127.0.0.1,10.0.0.0/8,::1"}: addresses and networks, comma-separated; empty trusts none.
     *
     * @throws IllegalArgumentException naming the entry that is not an address or a network
     */
    public static TrustedProxies parse(String spec) {
        List<IpNetwork> networks = new ArrayList<>();
        for (String entry : spec.split(",")) {
            if (!entry.isBlank()) {
                try {
                    networks.add(IpNetwork.parse(entry.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--trusted-proxies: " + e.getMessage());
                }
            }
        }
        return new TrustedProxies(networks);
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /**
     * The client of a request from {@code peer} that carried {@code forwardedFor} (every X-Forwarded-For header's
     * value, in order).
     */
    public InetAddress client(InetAddress peer, List<String> forwardedFor) {
        if (!trusts(peer)) {
            return peer;
        }
        InetAddress client = peer;
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        for (int i = hops.size() - 1; i >= 0 && trusts(client); i--) {
            Optional<InetAddress> forwarded = IpNetwork.literal(hops.get(i));
            if (forwarded.isEmpty()) {
                break; // a trusted proxy forwarded for something that is not an address: it is the last one known
            }
            client = forwarded.get();
        }
        return client;
    }

    /** Whether {@code address} is one of the trusted proxies: only then is its X-Forwarded-For worth reading. */
    public boolean trusts(InetAddress address) {
        return networks.stream().anyMatch(n -> n.contains(address));
    }

    @Override
    public String toString() {
        return networks.toString();
    }
}
