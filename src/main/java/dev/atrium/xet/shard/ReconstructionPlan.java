package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client needs to rebuild a byte range of a file, before URLs are signed: the terms trimmed to the whole
 * chunks covering the range, how many bytes of the first term to skip, and per xorb the merged runs of chunks to
 * download with their serialized byte ranges.
 *
 * @param fileSize the whole file's length
 * @param range the bytes served, {@code [start, end)}, after cutting the request to the file
 * @param offsetIntoFirstRange bytes of the first term's data the client skips (download-protocol.md)
 * @param terms in file order; the first and last may be cut to fewer chunks than the stored term
 * @param fetchRanges per xorb, in order of first use, ascending non-overlapping runs of chunks, adjacent only where
 *     joining them would pass {@link ReconstructionPlanner#MAX_FETCH_BYTES}; every term's chunks lie inside one of
 *     its xorb's runs
 */
public record ReconstructionPlan(long fileSize, FileRange range, long offsetIntoFirstRange, List<FileTerm> terms,
                                 Map<MerkleHash, List<FetchRange>> fetchRanges) {
    public ReconstructionPlan {
        terms = List.copyOf(terms);
        Map<MerkleHash, List<FetchRange>> copy = new LinkedHashMap<>();
        fetchRanges.forEach((hash, ranges) -> copy.put(hash, List.copyOf(ranges)));
        fetchRanges = Collections.unmodifiableMap(copy);
    }
}
