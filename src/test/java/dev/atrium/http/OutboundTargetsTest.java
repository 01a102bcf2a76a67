package dev.atrium.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.http.IpNetwork;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboundTargetsTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    /** Targets resolving names from {@code dns} only (no real lookups in unit tests). */
    private static OutboundTargets targets(List<IpNetwork> allowed, Map<String, List<String>> dns) {
        return new OutboundTargets(allowed, host -> {
            List<String> literals = dns.get(host);
            if (literals == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] out = new InetAddress[literals.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ip(literals.get(i));
            }
            return out;
        }, "--webhook-allowed-networks");
    }

    @Test
    void publicAddresses_arePublic() throws Exception {
        for (String literal : List.of("8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255",
                "172.32.0.1", "192.169.0.1", "198.20.0.1", "223.255.255.255", "2001:4860:4860::8888",
                "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1")) {
            assertEquals(java.util.Optional.empty(), OutboundTargets.reservedKind(ip(literal)), literal);
        }
    }

    @Test
    void reservedAddresses_areNot_includingIpv4HiddenInIpv6() throws Exception {
        Map<String, String> kinds = Map.ofEntries(
                Map.entry("0.0.0.0", "\"this network\""), Map.entry("10.1.2.3", "private"),
                Map.entry("100.64.0.1", "shared (carrier-grade NAT)"), Map.entry("127.0.0.1", "loopback"),
                Map.entry("127.255.0.9", "loopback"), Map.entry("169.254.169.254", "link-local"),
                Map.entry("172.16.0.1", "private"), Map.entry("172.31.255.255", "private"),
                Map.entry("192.0.0.170", "IETF protocol"), Map.entry("192.168.1.1", "private"),
                Map.entry("198.18.0.1", "benchmarking"), Map.entry("224.0.0.1", "multicast"),
                Map.entry("255.255.255.255", "reserved"),
                Map.entry("::", "unspecified, loopback or IPv4-compatible"),
                Map.entry("::1", "unspecified, loopback or IPv4-compatible"),
                Map.entry("::127.0.0.1", "unspecified, loopback or IPv4-compatible"),
                Map.entry("::ffff:10.0.0.1", "private"), // Java reads an IPv4-mapped address as IPv4
                Map.entry("64:ff9b::a9fe:a9fe", "link-local"), // NAT64 of 169.254.169.254
                Map.entry("2002:c0a8:101::1", "private"), // 6to4 of 192.168.1.1
                Map.entry("2001:0:4136:e378::1", "Teredo"), Map.entry("fd12:3456::1", "unique local (private)"),
                Map.entry("fe80::1", "link-local"), Map.entry("fec0::1", "site-local"), Map.entry("ff02::1", "multicast"));
        for (Map.Entry<String, String> e : kinds.entrySet()) {
            assertEquals(java.util.Optional.of(e.getValue()), OutboundTargets.reservedKind(ip(e.getKey())), e.getKey());
        }
    }

    @Test
    void check_refusesAHostWithAnyNonPublicAddress_andSaysWhichAndWhy() throws Exception {
        OutboundTargets targets = targets(List.of(), Map.of(
                "hooks.example.com", List.of("93.184.215.14"),
                "split.example.com", List.of("93.184.215.14", "10.0.0.7"),
                "10.0.0.7", List.of("10.0.0.7")));
        assertEquals(List.of(ip("93.184.215.14")), targets.check("hooks.example.com"));
        OutboundTargetRefused split = assertThrows(OutboundTargetRefused.class, () -> targets.check("split.example.com"));
        assertEquals("split.example.com (10.0.0.7) is not a public address (private); the hub connects to public"
                + " addresses and to the networks an administrator allows with --webhook-allowed-networks", split.getMessage());
        OutboundTargetRefused literal = assertThrows(OutboundTargetRefused.class, () -> targets.check("10.0.0.7"));
        assertTrue(literal.getMessage().startsWith("10.0.0.7 is not a public address (private);"), literal.getMessage());
        assertThrows(UnknownHostException.class, () -> targets.check("nowhere.example.com"));
    }

    @Test
    void allowedNetworks_letTheirAddressesThrough_andNothingBeyond() throws Exception {
        OutboundTargets targets = targets(OutboundTargets.parseNetworks(" 10.1.0.0/16, 127.0.0.1,fd00::/8 "),
                Map.of("ci", List.of("10.1.200.3"), "other", List.of("10.2.0.1"), "local", List.of("127.0.0.1"),
                        "local2", List.of("127.0.0.2"), "v6", List.of("fd99::1"), "v6other", List.of("fc00::1")));
        assertEquals(List.of(ip("10.1.200.3")), targets.check("ci"));
        assertEquals(List.of(ip("127.0.0.1")), targets.check("local"));
        assertEquals(List.of(ip("fd99::1")), targets.check("v6"));
        for (String refused : List.of("other", "local2", "v6other")) {
            assertThrows(OutboundTargetRefused.class, () -> targets.check(refused), refused);
        }
    }

    @Test
    void networks_parseFromCidrs_andBadOnesAreRefusedWithoutLookingNamesUp() throws Exception {
        IpNetwork net = IpNetwork.parse("172.16.0.0/12");
        assertEquals("172.16.0.0/12", net.toString());
        assertTrue(net.contains(ip("172.31.1.1")));
        assertFalse(net.contains(ip("172.32.0.0")));
        assertFalse(net.contains(ip("::1")), "another family");
        assertTrue(IpNetwork.parse("0.0.0.0/0").contains(ip("8.8.8.8")));
        assertTrue(IpNetwork.parse("10.0.0.5/31").contains(ip("10.0.0.4")));
        assertFalse(IpNetwork.parse("10.0.0.5/31").contains(ip("10.0.0.6")));
        assertEquals(List.of(), OutboundTargets.parseNetworks(""));
        for (String bad : List.of("example.com/24", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "/8", "10.0.0.0/-1")) {
            assertThrows(IllegalArgumentException.class, () -> OutboundTargets.parseNetworks(bad), bad);
        }
    }
}
