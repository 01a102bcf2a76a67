package dev.atrium.xet.cas;

import dev.atrium.auth.ServerSecret;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.shard.ReconstructionApi;
import dev.atrium.xet.shard.XorbUrlSigner;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Signed URLs for downloading byte ranges of stored xorbs (the {@code url} of reconstruction fetch info). The
 * client fetches them with no credentials, so the URL carries the authority: which xorb, which ranges, until when,
 * and whose bandwidth the bytes count against (the owner of the repo the reconstruction was asked for: a xorb shared
 * by many repos has no owner of its own).
 */
public final class XorbFetchSigner {
    private final ServerSecret secret;
    private final Clock clock;
    private final Duration ttl;

    public XorbFetchSigner(ServerSecret secret, Clock clock, Duration ttl) {
        this.secret = secret;
        this.clock = clock;
        this.ttl = ttl;
    }

    /**
     * A signer producing URLs under {@code casUrl}, e.g. {@code https://hub.example.com/cas}, whose bytes count
     * against {@code payer}'s bandwidth.
     */
    public XorbUrlSigner forBase(String casUrl, String payer) {
        return (xorb, ranges) -> {
            long expires = clock.instant().plus(ttl).getEpochSecond();
            String spec = spec(ranges);
            return casUrl + "/fetch/" + xorb.hex() + "?ranges=" + spec + "&payer="
                    + URLEncoder.encode(payer, StandardCharsets.UTF_8) + "&expires=" + expires + "&signature="
                    + secret.sign(message(xorb, spec, payer, expires));
        };
    }

    /** True when the URL parameters were made by this signer for {@code xorb} and have not expired. */
    public boolean verify(MerkleHash xorb, @Nullable String ranges, @Nullable String payer, @Nullable String expires,
                          @Nullable String signature) {
        return ranges != null && payer != null && secret.matchesUnexpired(expires, signature,
                clock.instant().getEpochSecond(), expiresAt -> message(xorb, ranges, payer, expiresAt));
    }

    static String spec(List<ReconstructionApi.HttpRange> ranges) {
        return ranges.stream().map(r -> r.start() + "-" + r.end()).collect(Collectors.joining(","));
    }

    private static String message(MerkleHash xorb, String ranges, String payer, long expiresAt) {
        return "atrium-xorb-fetch\n" + xorb.hex() + "\n" + ranges + "\n" + payer + "\n" + expiresAt;
    }
}
