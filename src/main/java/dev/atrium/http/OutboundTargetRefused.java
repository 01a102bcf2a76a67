package dev.atrium.http;

import java.net.InetAddress;

/** A URL whose host is, or resolves to, an address the hub may not connect to for its users ({@link OutboundTargets}). */
public final class OutboundTargetRefused extends Exception {
    public OutboundTargetRefused(String host, InetAddress address, String kind, String option) {
        super(describe(host, address) + " is not a public address (" + kind + "); the hub connects to public addresses"
                + " and to the networks an administrator allows with " + option);
    }

    private static String describe(String host, InetAddress address) {
        String literal = address.getHostAddress();
        return host.equals(literal) || host.equals("[" + literal + "]") ? literal : host + " (" + literal + ")";
    }
}
