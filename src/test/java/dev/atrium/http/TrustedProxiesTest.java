package dev.atrium.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private static InetAddress ip(String literal) {
        return IpNetwork.literal(literal).orElseThrow();
    }

    private static String client(TrustedProxies proxies, String peer, String... forwardedFor) {
        return proxies.client(ip(peer), List.of(forwardedFor)).getHostAddress();
    }

    @Test
    void withoutTrustedProxies_theHeaderIsIgnored() {
        assertEquals("198.51.100.7", client(TrustedProxies.NONE, "198.51.100.7", "203.0.113.9"));
        assertEquals("198.51.100.7", client(TrustedProxies.parse(""), "198.51.100.7", "203.0.113.9"));
    }

    @Test
    void aTrustedPeer_forwardsForTheClient_andOnlyWhatItAppendedIsBelieved() {
        TrustedProxies proxies = TrustedProxies.parse("127.0.0.1, 10.0.0.0/8");
        assertEquals("203.0.113.9", client(proxies, "127.0.0.1", "203.0.113.9"));
        // The client sent a header of its own: the proxy appended the client's address after it.
        assertEquals("203.0.113.9", client(proxies, "127.0.0.1", "192.0.2.66, 203.0.113.9"));
        // Through two trusted proxies: the nearest names the other, which names the client.
        assertEquals("203.0.113.9", client(proxies, "127.0.0.1", "192.0.2.66, 203.0.113.9, 10.1.2.3"));
        assertEquals("203.0.113.9", client(proxies, "127.0.0.1", "192.0.2.66", "203.0.113.9, 10.1.2.3"),
                "several headers are one list");
        assertEquals("198.51.100.7", client(proxies, "198.51.100.7", "203.0.113.9"), "an untrusted peer's header");
        assertEquals("127.0.0.1", client(proxies, "127.0.0.1"), "a trusted peer without the header is the client");
        assertEquals("10.1.2.3", client(proxies, "127.0.0.1", "not-an-address, 10.1.2.3"),
                "what a trusted proxy forwarded for that is not an address stops the walk");
        assertEquals("127.0.0.1", client(proxies, "127.0.0.1", "evil.example.com"), "host names are never looked up");
    }

    @Test
    void addressesInTheHeader_mayCarryPortsAndBrackets() {
        TrustedProxies proxies = TrustedProxies.parse("::1");
        assertEquals("203.0.113.9", client(proxies, "::1", "203.0.113.9:4711"));
        assertEquals("2001:db8:0:0:0:0:0:7", client(proxies, "::1", "[2001:db8::7]:443"));
        assertEquals("2001:db8:0:0:0:0:0:7", client(proxies, "0:0:0:0:0:0:0:1", "2001:db8::7"));
    }

    @Test
    void networks_matchTheirPrefixOnly() {
        TrustedProxies proxies = TrustedProxies.parse("192.168.4.0/22,2001:db8:aa::/48");
        assertEquals("203.0.113.9", client(proxies, "192.168.7.255", "203.0.113.9"));
        assertEquals("192.168.8.0", client(proxies, "192.168.8.0", "203.0.113.9"));
        assertEquals("203.0.113.9", client(proxies, "2001:db8:aa:ffff::1", "203.0.113.9"));
        assertEquals("2001:db8:ab:0:0:0:0:1", client(proxies, "2001:db8:ab::1", "203.0.113.9"));
        assertEquals("203.0.113.9", client(TrustedProxies.parse("0.0.0.0/0"), "198.51.100.7", "203.0.113.9"));
    }

    @Test
    void badSettings_nameTheEntry() {
        for (String bad : new String[] {"localhost", "10.0.0.0/33", "10.0.0.0/x", "::1/129", "1.2.3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrustedProxies.parse("127.0.0.1," + bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void limits_countIpv6ByItsSlash64() {
        assertEquals("203.0.113.9", ClientAddress.limitKey(ip("203.0.113.9")));
        assertEquals("20010db800aa0001::/64", ClientAddress.limitKey(ip("2001:db8:aa:1::7")));
        assertEquals(ClientAddress.limitKey(ip("2001:db8:aa:1::7")),
                ClientAddress.limitKey(ip("2001:db8:aa:1:ffff:ffff:ffff:ffff")));
    }
}
