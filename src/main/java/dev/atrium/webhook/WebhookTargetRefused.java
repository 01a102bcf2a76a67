package dev.atrium.webhook;

import java.net.InetAddress;

/** A webhook URL whose host is, or resolves to, an address webhooks may not reach ({@link WebhookTargets}). */
public final class WebhookTargetRefused extends Exception {
    public WebhookTargetRefused(String host, InetAddress address, String kind) {
        super(describe(host, address) + " is not a public address (" + kind + "); webhooks go to public addresses "
                + "and to the networks an administrator allows with --webhook-allowed-networks");
    }

    private static String describe(String host, InetAddress address) {
        String literal = address.getHostAddress();
        return host.equals(literal) || host.equals("[" + literal + "]") ? literal : host + " (" + literal + ")";
    }
}
