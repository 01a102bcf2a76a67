package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.shard.ReconstructionApi.FetchInfo;
import dev.atrium.xet.shard.ReconstructionApi.HttpRange;
import dev.atrium.xet.shard.ReconstructionApi.IndexRange;
import dev.atrium.xet.shard.ReconstructionApi.Term;
import dev.atrium.xet.shard.ReconstructionApi.XorbMultiRangeFetch;
import dev.atrium.xet.shard.ReconstructionApi.XorbRangeDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Signs a {@link ReconstructionPlan}'s downloads and shapes it as the v1, v2 or batch JSON body. */
public final class ReconstructionResponses {
    /**
     * Ranges per v2 URL. xet-core's server splits near 8 KiB of URL (about 500 ranges); Atrium's signer decides
     * its URL format, so callers pass what keeps their URLs short enough.
     */
    public static final int DEFAULT_MAX_RANGES_PER_URL = 256;

    private ReconstructionResponses() {}

    /** {@code GET /v1/reconstructions/{file_id}}: one URL per merged range. */
    public static ReconstructionApi.QueryReconstructionResponse v1(ReconstructionPlan plan, XorbUrlSigner signer) {
        return new ReconstructionApi.QueryReconstructionResponse(plan.offsetIntoFirstRange(), terms(plan),
                fetchInfo(plan.fetchRanges(), signer));
    }

    /** {@code GET /v2/reconstructions/{file_id}}: one URL per xorb, or per {@code maxRangesPerUrl} ranges. */
    public static ReconstructionApi.QueryReconstructionResponseV2 v2(ReconstructionPlan plan, XorbUrlSigner signer,
                                                                     int maxRangesPerUrl) {
        if (maxRangesPerUrl < 1) {
            throw new IllegalArgumentException("maxRangesPerUrl must be positive");
        }
        Map<String, List<XorbMultiRangeFetch>> xorbs = new LinkedHashMap<>();
        plan.fetchRanges().forEach((hash, ranges) -> {
            List<XorbMultiRangeFetch> fetches = new ArrayList<>();
            for (int from = 0; from < ranges.size(); from += maxRangesPerUrl) {
                List<FetchRange> group = ranges.subList(from, Math.min(ranges.size(), from + maxRangesPerUrl));
                List<XorbRangeDescriptor> descriptors = new ArrayList<>(group.size());
                List<HttpRange> httpRanges = new ArrayList<>(group.size());
                for (FetchRange r : group) {
                    descriptors.add(new XorbRangeDescriptor(r.chunks(), r.httpRange()));
                    httpRanges.add(r.httpRange());
                }
                fetches.add(new XorbMultiRangeFetch(signer.sign(hash, List.copyOf(httpRanges)), descriptors));
            }
            xorbs.put(hash.hex(), fetches);
        });
        return new ReconstructionApi.QueryReconstructionResponseV2(plan.offsetIntoFirstRange(), terms(plan), xorbs);
    }

    /**
     * The batch reconstruction body for whole files: terms per file id, and one fetch list per xorb shared by all
     * files, with the ranges of different files joined where they overlap (or touch, within
     * {@link ReconstructionPlanner#MAX_FETCH_BYTES}).
     */
    public static ReconstructionApi.BatchQueryReconstructionResponse batchV1(
            Map<MerkleHash, ReconstructionPlan> plans, XorbUrlSigner signer) {
        Map<String, List<Term>> files = new LinkedHashMap<>();
        Map<MerkleHash, List<FetchRange>> runs = new LinkedHashMap<>();
        plans.forEach((fileHash, plan) -> {
            files.put(fileHash.hex(), terms(plan));
            plan.fetchRanges().forEach((xorb, ranges) ->
                    runs.computeIfAbsent(xorb, h -> new ArrayList<>()).addAll(ranges));
        });
        Map<MerkleHash, List<FetchRange>> merged = new LinkedHashMap<>();
        runs.forEach((xorb, ranges) -> merged.put(xorb, ReconstructionPlanner.merge(ranges, ReconstructionPlanner.MAX_FETCH_BYTES)));
        return new ReconstructionApi.BatchQueryReconstructionResponse(files, fetchInfo(merged, signer));
    }

    private static List<Term> terms(ReconstructionPlan plan) {
        List<Term> terms = new ArrayList<>(plan.terms().size());
        for (FileTerm t : plan.terms()) {
            terms.add(new Term(t.xorbHash().hex(), t.unpackedLength(), new IndexRange(t.chunkStart(), t.chunkEnd())));
        }
        return terms;
    }

    private static Map<String, List<FetchInfo>> fetchInfo(Map<MerkleHash, List<FetchRange>> ranges,
                                                          XorbUrlSigner signer) {
        Map<String, List<FetchInfo>> out = new LinkedHashMap<>();
        ranges.forEach((hash, list) -> {
            List<FetchInfo> infos = new ArrayList<>(list.size());
            for (FetchRange r : list) {
                infos.add(new FetchInfo(r.chunks(), signer.sign(hash, List.of(r.httpRange())), r.httpRange()));
            }
            out.put(hash.hex(), infos);
        });
        return out;
    }
}
