package dev.atrium.http;

import io.javalin.http.Context;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;

/** The address a request came from ({@link TrustedProxies}), found once by the server's before-handler. */
public final class ClientAddress {
    static final String ATTRIBUTE = "atrium.client-address";

    private ClientAddress() {}

    public static InetAddress of(Context ctx) {
        InetAddress address = ctx.attribute(ATTRIBUTE);
        return address != null ? address : peer(ctx);
    }

    /** {@link #limitKey} of the request's client. */
    public static String limitKeyOf(Context ctx) {
        return limitKey(of(ctx));
    }

    static InetAddress peer(Context ctx) {
        String remote = ctx.req().getRemoteAddr();
        return IpNetwork.literal(remote).orElseThrow(
                () -> new IllegalStateException("the peer's address is not an IP address: " + remote));
    }

    /**
     * What per-address limits count by: an IPv4 address whole, an IPv6 address by its /64, which one subscriber
     * usually holds entire (counting single IPv6 addresses would give each of them 2^64 fresh starts).
     */
    public static String limitKey(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        return HexFormat.of().formatHex(Arrays.copyOf(address.getAddress(), 8)) + "::/64";
    }
}
