package dev.atrium.xet.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.auth.Delegations;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;

class XorbFetchSignerTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final MerkleHash XORB = MerkleHash.fromBytes(filled((byte) 7));
    private static final MerkleHash OTHER = MerkleHash.fromBytes(filled((byte) 8));

    private final ServerSecret secret = new ServerSecret(filled((byte) 1));

    private static final String REPO = "0123456789abcdef01234567";
    private static final XorbFetchSigner.Holder ALICE =
            new XorbFetchSigner.Holder(REPO, "session:89abcdef0123456789abcdef", Delegations.Need.DOWNLOAD);

    @Test
    void verify_untouchedUrl_returnsItsHolder() {
        Map<String, String> q = signedQuery(at(NOW), ALICE);

        assertEquals(Optional.of(ALICE), verify(at(NOW), XORB, q));
    }

    @Test
    void verify_anyOtherRepoCredentialNeedRangeOrXorb_rejects() {
        XorbFetchSigner signer = at(NOW);
        Map<String, String> q = signedQuery(signer, ALICE);

        // Not moved onto another repo's bill or another credential, not widened, not pointed at another xorb.
        for (String[] change : new String[][] {{"repo", "fedcba9876543210fedcba98"}, {"cred", "anonymous"},
                {"need", "contribute"}, {"ranges", "0-999"}, {"cred", null}, {"need", "everything"}}) {
            Map<String, String> changed = new HashMap<>(q);
            changed.put(change[0], change[1]);
            assertEquals(Optional.empty(), verify(signer, XORB, changed), change[0] + " changed");
        }
        assertEquals(Optional.empty(), verify(signer, OTHER, q));
    }

    @Test
    void verify_afterExpiry_rejects() {
        Map<String, String> q = signedQuery(at(NOW), ALICE);

        assertEquals(Optional.empty(), verify(at(NOW.plus(Duration.ofHours(2))), XORB, q));
    }

    private static Optional<XorbFetchSigner.Holder> verify(XorbFetchSigner signer, MerkleHash xorb,
                                                           Map<String, String> q) {
        return signer.verify(xorb, q.get("ranges"), q.get("repo"), q.get("cred"), q.get("need"), q.get("expires"),
                q.get("signature"));
    }

    private Map<String, String> signedQuery(XorbFetchSigner signer, XorbFetchSigner.Holder holder) {
        String url = signer.forBase("http://hub/cas", holder).sign(XORB, List.of(new HttpRange(0, 99)));
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
