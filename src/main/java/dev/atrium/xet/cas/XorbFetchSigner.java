package dev.atrium.xet.cas;

import dev.atrium.auth.Delegations;
import dev.atrium.auth.ServerSecret;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.shard.ReconstructionApi;
import dev.atrium.xet.shard.XorbUrlSigner;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Signed URLs for downloading byte ranges of stored xorbs (the {@code url} of reconstruction fetch info). The
 * client fetches them with no credentials, so the URL carries the authority: which xorb, which ranges, until when,
 * and for whom: the repo the reconstruction was asked for (whose owner's bandwidth the bytes count against, as a
 * xorb shared by many repos has no owner of its own) and the hub credential behind it, checked again on each fetch.
 */
public final class XorbFetchSigner {
    /** On whose behalf a URL was signed. */
    public record Holder(String repoId, String credential, Delegations.Need need) {}

    private final ServerSecret secret;
    private final Clock clock;
    private final Duration ttl;

    public XorbFetchSigner(ServerSecret secret, Clock clock, Duration ttl) {
        this.secret = secret;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** A signer producing URLs under {@code casUrl}, e.g. {@code https://hub.example.com/cas}. */
    public XorbUrlSigner forBase(String casUrl, Holder holder) {
        return (xorb, ranges) -> {
            long expires = clock.instant().plus(ttl).getEpochSecond();
            String spec = spec(ranges);
            return casUrl + "/fetch/" + xorb.hex() + "?ranges=" + spec + "&repo=" + holder.repoId()
                    + "&cred=" + URLEncoder.encode(holder.credential(), StandardCharsets.UTF_8)
                    + "&need=" + holder.need().name().toLowerCase(Locale.ROOT)
                    + "&expires=" + expires + "&signature=" + secret.sign(message(xorb, spec, holder, expires));
        };
    }

    /** The holder of URL parameters made by this signer for {@code xorb}, if they are and have not expired. */
    public Optional<Holder> verify(MerkleHash xorb, @Nullable String ranges, @Nullable String repoId,
                                   @Nullable String credential, @Nullable String need, @Nullable String expires,
                                   @Nullable String signature) {
        if (ranges == null || repoId == null || credential == null || need == null) {
            return Optional.empty();
        }
        Holder holder;
        try {
            holder = new Holder(repoId, credential, Delegations.Need.valueOf(need.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return secret.matchesUnexpired(expires, signature, clock.instant().getEpochSecond(),
                expiresAt -> message(xorb, ranges, holder, expiresAt)) ? Optional.of(holder) : Optional.empty();
    }

    static String spec(List<ReconstructionApi.HttpRange> ranges) {
        return ranges.stream().map(r -> r.start() + "-" + r.end()).collect(Collectors.joining(","));
    }

    private static String message(MerkleHash xorb, String ranges, Holder holder, long expiresAt) {
        return "atrium-xorb-fetch-v2\n" + xorb.hex() + "\n" + ranges + "\n" + holder.repoId() + "\n"
                + holder.credential() + "\n" + holder.need() + "\n" + expiresAt;
    }
}
