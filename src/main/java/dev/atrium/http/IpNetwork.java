package dev.atrium.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A network in CIDR notation, such as {@code 10.1.0.0/16} or {@code fd00::/8} (a bare address is a network of one),
 * and the IP literals it is written with: what the settings that name networks take
 * ({@code --webhook-allowed-networks}, {@code --trusted-proxies}). Nothing here ever looks a host name up.
 */
public record IpNetwork(byte[] prefix, int bits) {
    /** Four numbers to 255 without leading zeros: anything else InetAddress would take for a host name. */
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

    public IpNetwork {
        prefix = prefix.clone();
        if (bits < 0 || bits > prefix.length * 8) {
            throw new IllegalArgumentException("a prefix length must be between 0 and " + prefix.length * 8);
        }
    }

    /** @throws IllegalArgumentException naming {@code cidr} for anything but an IP literal, a slash and a length */
    public static IpNetwork parse(String cidr) {
        String text = cidr.strip();
        int slash = text.indexOf('/');
        InetAddress address = literal(slash < 0 ? text : text.substring(0, slash)).orElseThrow(() ->
                new IllegalArgumentException("'" + cidr + "' is not a network like 10.1.0.0/16 or fd00::/8"));
        byte[] bytes = address.getAddress();
        try {
            return new IpNetwork(bytes, slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1)));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException("'" + cidr + "' needs a prefix length of 0 to " + bytes.length * 8);
        }
    }

    /**
     * An address written as an IP literal: IPv4 in four numbers, possibly with a port (as some proxies append), or
     * IPv6, possibly in brackets with a port; empty for anything else, host names included.
     */
    public static Optional<InetAddress> literal(String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.contains("]")) {
            s = s.substring(1, s.indexOf(']'));
        } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            s = s.substring(0, s.indexOf(':')); // 192.0.2.1:4711
        }
        boolean ipv6 = s.contains(":");
        if (!(ipv6 ? IPV6 : IPV4).matcher(s).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s)); // a literal: no name lookup happens
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != prefix.length) {
            return false;
        }
        int whole = bits / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (bytes[whole] & mask) == (prefix[whole] & mask);
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(prefix).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpNetwork n && n.bits == bits && Arrays.equals(n.prefix, prefix);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(prefix) + bits;
    }
}
