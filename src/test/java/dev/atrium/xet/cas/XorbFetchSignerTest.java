package dev.atrium.xet.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.ServerSecret;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.shard.ReconstructionApi.HttpRange;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XorbFetchSignerTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final MerkleHash XORB = MerkleHash.fromBytes(filled((byte) 7));
    private static final MerkleHash OTHER = MerkleHash.fromBytes(filled((byte) 8));

    private final ServerSecret secret = new ServerSecret(filled((byte) 1));

    @Test
    void verify_untouchedUrl_acceptsAndNamesThePayer() {
        Map<String, String> query = signedQuery(at(NOW), "team a");

        assertEquals("team a", query.get("payer"));
        assertTrue(at(NOW).verify(XORB, query.get("ranges"), query.get("payer"), query.get("expires"),
                query.get("signature")));
    }

    @Test
    void verify_anyOtherPayerRangeOrXorb_rejects() {
        XorbFetchSigner signer = at(NOW);
        Map<String, String> q = signedQuery(signer, "alice");

        // A download must not be moved onto someone else's bill, nor widened, nor pointed at another xorb.
        assertFalse(signer.verify(XORB, q.get("ranges"), "bob", q.get("expires"), q.get("signature")));
        assertFalse(signer.verify(XORB, "0-999", "alice", q.get("expires"), q.get("signature")));
        assertFalse(signer.verify(OTHER, q.get("ranges"), "alice", q.get("expires"), q.get("signature")));
        assertFalse(signer.verify(XORB, q.get("ranges"), null, q.get("expires"), q.get("signature")));
    }

    @Test
    void verify_afterExpiry_rejects() {
        Map<String, String> q = signedQuery(at(NOW), "alice");

        assertFalse(at(NOW.plus(Duration.ofHours(2))).verify(XORB, q.get("ranges"), "alice", q.get("expires"),
                q.get("signature")));
    }

    private Map<String, String> signedQuery(XorbFetchSigner signer, String payer) {
        String url = signer.forBase("http://hub/cas", payer).sign(XORB, List.of(new HttpRange(0, 99)));
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    private XorbFetchSigner at(Instant now) {
        return new XorbFetchSigner(secret, Clock.fixed(now, ZoneOffset.UTC), Duration.ofHours(1));
    }

    private static byte[] filled(byte b) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, b);
        return bytes;
    }
}
