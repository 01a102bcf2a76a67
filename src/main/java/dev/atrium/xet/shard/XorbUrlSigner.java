package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.List;

/**
 * Makes the short-lived URL from which a client downloads parts of a serialized xorb. The client sends one GET to
 * it with a {@code Range} header listing exactly {@code ranges} (ascending, end-inclusive, comma-separated when
 * more than one); the URL must authorize those bytes and may refuse any others. v1 responses ask for one range per
 * URL, v2 responses for several.
 */
@FunctionalInterface
public interface XorbUrlSigner {
    String sign(MerkleHash xorbHash, List<ReconstructionApi.HttpRange> ranges);
}
