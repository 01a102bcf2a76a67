package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a stored file reconstruction and an optional {@code Range} into a {@link ReconstructionPlan}
 * (file-reconstruction.md "Reconstruction Rules", download-protocol.md "Range Downloads").
 *
 * <p>Terms wholly outside the range are left out. The first kept term loses its leading chunks that end at or
 * before the range start; the last kept term loses its trailing chunks that start at or after the range end; a
 * range inside one chunk keeps that one chunk. {@code offset_into_first_range} is then the distance from the first
 * kept chunk's first byte to the range start. Chunks are never split: clients download and decompress whole chunks
 * and cut the bytes themselves, using that offset and the length they asked for.
 *
 * <p>A kept term whose chunks fill more than {@link #MAX_FETCH_BYTES} of its xorb is cut into consecutive terms
 * that each fit, every one with its own fetch range. hf_xet holds each fetched range whole in fresh memory before
 * writing it out; with a whole 64 MiB xorb per fetch, a 1 GiB download faulted in a gigabyte of new pages, which
 * on a machine whose memory is full of page cache doubled the client's CPU time (docs/benchmarks-xet.md, X3).
 */
public final class ReconstructionPlanner {
    /** Serialized bytes of a xorb that one fetch range covers at most, unless one chunk alone is larger. */
    public static final long MAX_FETCH_BYTES = 16L << 20;

    private ReconstructionPlanner() {}

    /**
     * @param xorbs the stored metadata of a xorb by hash; only xorbs of terms inside the range are asked for
     * @throws ReconstructionRangeException when the range starts at or past the end of the file
     * @throws IllegalStateException when stored data disagree: a xorb is missing, or a term's chunk range or length
     *     does not match its xorb
     */
    public static ReconstructionPlan plan(FileReconstruction file, Optional<RangeRequest> request,
                                          Function<MerkleHash, XorbInfo> xorbs) throws ReconstructionRangeException {
        return plan(file, request, xorbs, MAX_FETCH_BYTES);
    }

    /** {@link #plan(FileReconstruction, Optional, Function)} with fetch ranges of at most {@code maxFetchBytes}. */
    static ReconstructionPlan plan(FileReconstruction file, Optional<RangeRequest> request,
                                   Function<MerkleHash, XorbInfo> xorbs, long maxFetchBytes)
            throws ReconstructionRangeException {
        long size = file.size();
        FileRange range = request.isPresent() ? request.get().resolve(size) : new FileRange(0, size);
        List<FileTerm> terms = new ArrayList<>();
        Map<MerkleHash, List<FetchRange>> runs = new LinkedHashMap<>();
        Map<MerkleHash, XorbInfo> seen = new HashMap<>();
        long offsetIntoFirstRange = 0;
        long termStart = 0;
        for (FileTerm term : file.terms()) {
            long termEnd = termStart + term.unpackedLength();
            if (termStart >= range.end()) {
                break;
            }
            if (termEnd > range.start()) {
                XorbInfo xorb = seen.computeIfAbsent(term.xorbHash(), h -> lookup(xorbs, term));
                check(term, xorb);
                int first = term.chunkStart();
                int last = term.chunkEnd();
                long keptStart = termStart;
                long keptEnd = termEnd;
                while (keptStart + length(xorb, first) <= range.start()) {
                    keptStart += length(xorb, first++);
                }
                while (keptEnd - length(xorb, last - 1) >= range.end()) {
                    keptEnd -= length(xorb, --last);
                }
                if (terms.isEmpty()) {
                    offsetIntoFirstRange = range.start() - keptStart;
                }
                List<FetchRange> xorbRuns = runs.computeIfAbsent(term.xorbHash(), h -> new ArrayList<>());
                for (int from = first; from < last; ) {
                    int to = from + 1;
                    while (to < last && xorb.packedEnd(to + 1) - xorb.packedStart(from) <= maxFetchBytes) {
                        to++;
                    }
                    terms.add(new FileTerm(term.xorbHash(), from, to, xorb.unpackedLength(from, to),
                            term.casFlags()));
                    xorbRuns.add(new FetchRange(from, to, xorb.packedStart(from), xorb.packedEnd(to)));
                    from = to;
                }
            }
            termStart = termEnd;
        }
        Map<MerkleHash, List<FetchRange>> merged = new LinkedHashMap<>();
        runs.forEach((hash, list) -> merged.put(hash, merge(list, maxFetchBytes)));
        return new ReconstructionPlan(size, range, offsetIntoFirstRange, terms, merged);
    }

    /**
     * Sorts runs of one xorb and joins those that overlap, so each chunk is downloaded once and every input run lies
     * inside one output run; runs that only touch are joined while the result stays within {@code maxFetchBytes}, to
     * save requests. Serialized offsets grow with chunk indices, so a joined byte range is the hull of the inputs'.
     */
    static List<FetchRange> merge(List<FetchRange> runs, long maxFetchBytes) {
        List<FetchRange> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingInt(FetchRange::chunkStart));
        List<FetchRange> out = new ArrayList<>();
        for (FetchRange run : sorted) {
            FetchRange last = out.isEmpty() ? null : out.get(out.size() - 1);
            boolean overlaps = last != null && run.chunkStart() < last.chunkEnd();
            boolean touchesAndFits = last != null && run.chunkStart() == last.chunkEnd()
                    && run.byteEnd() - last.byteStart() <= maxFetchBytes;
            if (overlaps || touchesAndFits) {
                out.set(out.size() - 1, new FetchRange(last.chunkStart(), Math.max(last.chunkEnd(), run.chunkEnd()),
                        last.byteStart(), Math.max(last.byteEnd(), run.byteEnd())));
            } else {
                out.add(run);
            }
        }
        return out;
    }

    private static XorbInfo lookup(Function<MerkleHash, XorbInfo> xorbs, FileTerm term) {
        XorbInfo xorb = xorbs.apply(term.xorbHash());
        if (xorb == null) {
            throw new IllegalStateException("xorb " + term.xorbHash() + " of a stored file is not known");
        }
        return xorb;
    }

    private static void check(FileTerm term, XorbInfo xorb) {
        if (term.chunkEnd() > xorb.chunks().size()) {
            throw new IllegalStateException("a term asks for chunks [" + term.chunkStart() + ", " + term.chunkEnd()
                    + ") of xorb " + xorb.hash() + ", which has " + xorb.chunks().size());
        }
        long actual = xorb.unpackedLength(term.chunkStart(), term.chunkEnd());
        if (actual != term.unpackedLength()) {
            throw new IllegalStateException("a term says chunks [" + term.chunkStart() + ", " + term.chunkEnd()
                    + ") of xorb " + xorb.hash() + " hold " + term.unpackedLength() + " bytes; they hold " + actual);
        }
    }

    private static long length(XorbInfo xorb, int chunk) {
        return xorb.chunks().get(chunk).unpackedLength();
    }
}
