package dev.atrium.http;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reverse proxies ({@code --trusted-proxies}) whose {@code X-Forwarded-For} names the client. A request from any
 * other peer is its own client: anyone can send the header, so it is believed only as far as the proxies that
 * appended to it are trusted. From the right, each address a trusted proxy forwarded for is taken in turn, and the
 * first that is not itself a trusted proxy is the client (what nginx's {@code real_ip_recursive} does).
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

    private final List<Network> networks;

    private TrustedProxies(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /**
     * {@code "127.0.0.1,10.0.0.0/8,::1"}: addresses and networks, comma-separated; empty trusts none.
     *
     * @throws IllegalArgumentException naming the entry that is not an address or a network
     */
    public static TrustedProxies parse(String spec) {
        List<Network> networks = new ArrayList<>();
        for (String entry : spec.split(",")) {
            if (!entry.isBlank()) {
                networks.add(Network.parse(entry.strip()));
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
        InetAddress client = peer;
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        for (int i = hops.size() - 1; i >= 0 && trusts(client); i--) {
            Optional<InetAddress> forwarded = literal(hops.get(i));
            if (forwarded.isEmpty()) {
                break; // a trusted proxy forwarded for something that is not an address: it is the last one known
            }
            client = forwarded.get();
        }
        return client;
    }

    private boolean trusts(InetAddress address) {
        return networks.stream().anyMatch(n -> n.contains(address));
    }

    @Override
    public String toString() {
        return networks.toString();
    }

    /**
     * An address written as an IP literal (IPv6 possibly in brackets; IPv4 possibly with a port, as some proxies
     * append), never looked up as a host name.
     */
    public static Optional<InetAddress> literal(String text) {
        String s = text;
        if (s.startsWith("[") && s.contains("]")) {
            s = s.substring(1, s.indexOf(']'));
        } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            s = s.substring(0, s.indexOf(':')); // 192.0.2.1:4711
        }
        boolean ipv6 = s.contains(":");
        if ((!ipv6 && !IPV4.matcher(s).matches()) || (ipv6 && !IPV6.matcher(s).matches())) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s)); // a literal: no name lookup happens
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** An address and the number of leading bits that must match it. */
    private static final class Network {
        private final byte[] base;
        private final int bits;
        private final String text;

        private Network(byte[] base, int bits, String text) {
            this.base = base;
            this.bits = bits;
            this.text = text;
        }

        static Network parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = literal(slash < 0 ? text : text.substring(0, slash)).orElseThrow(() ->
                    new IllegalArgumentException("--trusted-proxies: '" + text + "' is not an IP address or network"));
            int max = address instanceof Inet4Address ? 32 : 128;
            int bits = max;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > max) {
                    throw new IllegalArgumentException("--trusted-proxies: '" + text + "' needs a prefix of 0 to "
                            + max + " bits");
                }
            }
            return new Network(address.getAddress(), bits, text);
        }

        boolean contains(InetAddress address) {
            byte[] other = address.getAddress();
            if (other.length != base.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit += 8) {
                int mask = bits - bit >= 8 ? 0xFF : (0xFF << (8 - (bits - bit))) & 0xFF;
                if ((other[bit / 8] & mask) != (base[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
