package dev.atrium.xet.shard;

import static dev.atrium.xet.shard.ShardFixtures.hash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.xet.MerkleHash;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A 270-byte file of three terms over two xorbs: T0 = X1[0,2) (bytes 0-29), T1 = X2[0,2) (30-179),
 * T2 = X1[1,4) (180-269). X1's chunks hold 10, 20, 30, 40 bytes, X2's 100 and 50.
 */
class ReconstructionPlannerTest {
    static final MerkleHash X1 = hash(1);
    static final MerkleHash X2 = hash(2);
    static final XorbInfo XORB_1 = xorb(X1, 10, 20, 30, 40);
    static final XorbInfo XORB_2 = xorb(X2, 100, 50);
    static final Map<MerkleHash, XorbInfo> STORE = Map.of(X1, XORB_1, X2, XORB_2);
    static final FileReconstruction FILE = new FileReconstruction(hash(9), List.of(
            new FileTerm(X1, 0, 2, 30), new FileTerm(X2, 0, 2, 150), new FileTerm(X1, 1, 4, 90)));

    /** Chunk records of 8 + len/2 bytes, as if every chunk compressed to half. */
    static XorbInfo xorb(MerkleHash hash, long... sizes) {
        List<MerkleHash> chunkHashes = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        List<Long> packed = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            chunkHashes.add(hash(hash.hashCode() * 31L + i));
            lengths.add(sizes[i]);
            packed.add(8 + sizes[i] / 2);
            total += 8 + sizes[i] / 2;
        }
        return XorbInfo.of(CasInfo.of(hash, chunkHashes, lengths, 0), packed, total + 4);
    }

    static ReconstructionPlan plan(String range) throws ReconstructionRangeException {
        return ReconstructionPlanner.plan(FILE, RangeRequest.parse(range), STORE::get);
    }

    static FetchRange run(XorbInfo xorb, int start, int end) {
        return new FetchRange(start, end, xorb.packedStart(start), xorb.packedEnd(end));
    }

    @Test
    void wholeFile_keepsEveryTerm_andMergesOverlappingRunsOfAXorb() throws Exception {
        ReconstructionPlan p = plan(null);
        assertEquals(0, p.offsetIntoFirstRange());
        assertEquals(FILE.terms(), p.terms());
        assertEquals(new FileRange(0, 270), p.range());
        assertEquals(List.of(X1, X2), List.copyOf(p.fetchRanges().keySet()));
        assertEquals(List.of(run(XORB_1, 0, 4)), p.fetchRanges().get(X1)); // [0,2) and [1,4) overlap
        assertEquals(List.of(run(XORB_2, 0, 2)), p.fetchRanges().get(X2));
    }

    @Test
    void rangeInsideOneChunk_keepsThatChunk_andSkipsIntoIt() throws Exception {
        ReconstructionPlan p = plan("bytes=15-20");
        assertEquals(List.of(new FileTerm(X1, 1, 2, 20)), p.terms());
        assertEquals(5, p.offsetIntoFirstRange());
        assertEquals(Map.of(X1, List.of(run(XORB_1, 1, 2))), p.fetchRanges());
    }

    @Test
    void rangeInsideTheFirstTerm_overTwoChunks() throws Exception {
        ReconstructionPlan p = plan("bytes=5-14");
        assertEquals(List.of(new FileTerm(X1, 0, 2, 30)), p.terms());
        assertEquals(5, p.offsetIntoFirstRange());
    }

    @Test
    void rangeStartingInTheMiddleTerm_trimsTheLastTermToTheChunkHoldingTheEnd() throws Exception {
        ReconstructionPlan p = plan("bytes=100-199");
        assertEquals(List.of(new FileTerm(X2, 0, 2, 150), new FileTerm(X1, 1, 2, 20)), p.terms());
        assertEquals(70, p.offsetIntoFirstRange());
        assertEquals(List.of(run(XORB_2, 0, 2)), p.fetchRanges().get(X2));
        assertEquals(List.of(run(XORB_1, 1, 2)), p.fetchRanges().get(X1));
        assertEquals(List.of(X2, X1), List.copyOf(p.fetchRanges().keySet()));
    }

    @Test
    void rangeSpanningBothXorbs_trimsFirstAndLastTerms() throws Exception {
        ReconstructionPlan p = plan("bytes=25-185");
        assertEquals(List.of(new FileTerm(X1, 1, 2, 20), new FileTerm(X2, 0, 2, 150), new FileTerm(X1, 1, 2, 20)),
                p.terms());
        assertEquals(15, p.offsetIntoFirstRange());
        assertEquals(List.of(run(XORB_1, 1, 2)), p.fetchRanges().get(X1)); // both terms need the same chunk
    }

    @Test
    void rangeInTheLastTerm_dropsItsLeadingChunks() throws Exception {
        ReconstructionPlan p = plan("bytes=200-239");
        assertEquals(List.of(new FileTerm(X1, 2, 4, 70)), p.terms());
        assertEquals(0, p.offsetIntoFirstRange());
    }

    @Test
    void rangeExactlyOneTerm_isThatTermWhole() throws Exception {
        ReconstructionPlan p = plan("bytes=30-179");
        assertEquals(List.of(new FileTerm(X2, 0, 2, 150)), p.terms());
        assertEquals(0, p.offsetIntoFirstRange());
        assertEquals(List.of(X2), List.copyOf(p.fetchRanges().keySet()));
    }

    @Test
    void rangePastTheEnd_isCutToTheFile() throws Exception {
        ReconstructionPlan p = plan("bytes=260-999999");
        assertEquals(List.of(new FileTerm(X1, 3, 4, 40)), p.terms());
        assertEquals(30, p.offsetIntoFirstRange());
        assertEquals(new FileRange(260, 270), p.range());
        assertEquals(p, plan("bytes=260-"));
    }

    @Test
    void lastByte() throws Exception {
        ReconstructionPlan p = plan("bytes=269-269");
        assertEquals(List.of(new FileTerm(X1, 3, 4, 40)), p.terms());
        assertEquals(39, p.offsetIntoFirstRange());
    }

    @Test
    void startAtTheEnd_is416() {
        ReconstructionRangeException e = assertThrows(ReconstructionRangeException.class,
                () -> plan("bytes=270-300"));
        assertEquals(ReconstructionRangeException.Reason.NOT_SATISFIABLE, e.reason());
    }

    @Test
    void emptyFile_hasNoTerms_withOrWithoutARangeFromZero() throws Exception {
        FileReconstruction empty = new FileReconstruction(hash(8), List.of(), Optional.of(List.of()),
                Optional.empty());
        Function<MerkleHash, XorbInfo> none = h -> {
            throw new AssertionError("an empty file needs no xorb");
        };
        for (String range : new String[] {null, "bytes=0-0", "bytes=0-18446744073709551614"}) {
            ReconstructionPlan p = ReconstructionPlanner.plan(empty, RangeRequest.parse(range), none);
            assertEquals(List.of(), p.terms());
            assertEquals(0, p.offsetIntoFirstRange());
            assertTrue(p.fetchRanges().isEmpty());
        }
        assertThrows(ReconstructionRangeException.class,
                () -> ReconstructionPlanner.plan(empty, RangeRequest.parse("bytes=1-1"), none));
    }

    @Test
    void onlyTheXorbsOfTermsInTheRange_areLookedUp() throws Exception {
        List<MerkleHash> asked = new ArrayList<>();
        ReconstructionPlanner.plan(FILE, RangeRequest.parse("bytes=40-50"), h -> {
            asked.add(h);
            return STORE.get(h);
        });
        assertEquals(List.of(X2), asked);
    }

    @Test
    void storedDataThatDisagree_isAnInternalError() {
        FileReconstruction wrongLength = new FileReconstruction(hash(7), List.of(new FileTerm(X1, 0, 2, 31)));
        FileReconstruction pastTheXorb = new FileReconstruction(hash(7), List.of(new FileTerm(X2, 0, 3, 160)));
        FileReconstruction unknownXorb = new FileReconstruction(hash(7), List.of(new FileTerm(hash(3), 0, 1, 5)));
        for (FileReconstruction f : List.of(wrongLength, pastTheXorb, unknownXorb)) {
            assertThrows(IllegalStateException.class, () -> ReconstructionPlanner.plan(f, Optional.empty(),
                    STORE::get));
        }
    }

    /** Content of chunk {@code i} of a xorb: deterministic bytes, so any reconstruction can be checked. */
    static byte[] chunkData(XorbInfo xorb, int i) {
        byte[] data = new byte[(int) xorb.chunks().get(i).unpackedLength()];
        for (int k = 0; k < data.length; k++) {
            data[k] = (byte) (xorb.hash().hashCode() * 7 + i * 31 + k);
        }
        return data;
    }

    static byte[] wholeFile() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FileTerm t : FILE.terms()) {
            for (int c = t.chunkStart(); c < t.chunkEnd(); c++) {
                out.writeBytes(chunkData(STORE.get(t.xorbHash()), c));
            }
        }
        return out.toByteArray();
    }

    @Test
    void everyRange_rebuildsExactlyTheRequestedBytes_asAClientFollowingTheSpecWould() throws Exception {
        byte[] file = wholeFile();
        assertEquals(270, file.length);
        // 13 to 58 bytes per chunk record: from every chunk fetched alone to whole terms in one fetch
        for (long maxFetch : List.of(1L, 30L, 40L, 60L, ReconstructionPlanner.MAX_FETCH_BYTES)) {
            for (int first = 0; first < file.length; first++) {
                for (int last = first; last < file.length + 3; last++) {
                    ReconstructionPlan p = ReconstructionPlanner.plan(FILE,
                            Optional.of(new RangeRequest(first, last)), STORE::get, maxFetch);
                    byte[] expected = Arrays.copyOfRange(file, first, Math.min(last + 1, file.length));
                    String what = "bytes=" + first + "-" + last + " in fetches of " + maxFetch;
                    assertTrue(Arrays.equals(expected, rebuild(p, expected.length)), what);
                    assertMinimal(p, expected.length);
                }
            }
        }
    }

    @Test
    void aTermLargerThanOneFetch_becomesTermsThatEachFitOne() throws Exception {
        // Records: X1 13, 18, 23, 28 bytes; X2 58, 33. With 30 bytes a fetch, no two chunks of a xorb fit together.
        ReconstructionPlan p = ReconstructionPlanner.plan(FILE, Optional.empty(), STORE::get, 30);
        assertEquals(List.of(new FileTerm(X1, 0, 1, 10), new FileTerm(X1, 1, 2, 20), new FileTerm(X2, 0, 1, 100),
                new FileTerm(X2, 1, 2, 50), new FileTerm(X1, 1, 2, 20), new FileTerm(X1, 2, 3, 30),
                new FileTerm(X1, 3, 4, 40)), p.terms());
        assertEquals(List.of(run(XORB_1, 0, 1), run(XORB_1, 1, 2), run(XORB_1, 2, 3), run(XORB_1, 3, 4)),
                p.fetchRanges().get(X1)); // X1[1,2) is needed twice and fetched once
        assertEquals(List.of(run(XORB_2, 0, 1), run(XORB_2, 1, 2)), p.fetchRanges().get(X2));

        // 41 bytes: T0 = X1[0,2) (31 bytes) stays whole, T2 = X1[1,4) becomes [1,3) and [3,4); the runs of T0 and
        // of T2's first piece overlap, so they are joined although together they pass 41 bytes.
        ReconstructionPlan wider = ReconstructionPlanner.plan(FILE, Optional.empty(), STORE::get, 41);
        assertEquals(List.of(new FileTerm(X1, 0, 2, 30), new FileTerm(X2, 0, 1, 100), new FileTerm(X2, 1, 2, 50),
                new FileTerm(X1, 1, 3, 50), new FileTerm(X1, 3, 4, 40)), wider.terms());
        assertEquals(List.of(run(XORB_1, 0, 3), run(XORB_1, 3, 4)), wider.fetchRanges().get(X1));
    }

    @Test
    void touchingRuns_areJoinedWhileTheResultFitsOneFetch() {
        List<FetchRange> touching = List.of(new FetchRange(2, 3, 20, 30), new FetchRange(0, 1, 0, 10),
                new FetchRange(1, 2, 10, 20));
        assertEquals(List.of(new FetchRange(0, 2, 0, 20), new FetchRange(2, 3, 20, 30)),
                ReconstructionPlanner.merge(touching, 25));
        assertEquals(List.of(new FetchRange(0, 3, 0, 30)), ReconstructionPlanner.merge(touching, 30));
        assertEquals(List.of(new FetchRange(0, 3, 0, 30)),
                ReconstructionPlanner.merge(List.of(new FetchRange(0, 2, 0, 20), new FetchRange(1, 3, 10, 30)), 5),
                "overlapping runs are joined whatever their size");
    }

    /** No whole chunk is sent that the range does not touch. */
    static void assertMinimal(ReconstructionPlan p, long served) {
        FileTerm head = p.terms().get(0);
        FileTerm tail = p.terms().get(p.terms().size() - 1);
        long headChunk = STORE.get(head.xorbHash()).chunks().get(head.chunkStart()).unpackedLength();
        long tailChunk = STORE.get(tail.xorbHash()).chunks().get(tail.chunkEnd() - 1).unpackedLength();
        long kept = p.terms().stream().mapToLong(FileTerm::unpackedLength).sum();
        assertTrue(p.offsetIntoFirstRange() < headChunk, "leading chunk not needed");
        assertTrue(kept - p.offsetIntoFirstRange() - served < tailChunk, "trailing chunk not needed");
    }

    /** download-protocol.md steps 2-4: fetch whole runs, take each term's chunks, skip, concatenate, truncate. */
    static byte[] rebuild(ReconstructionPlan p, int requestedLength) {
        Map<MerkleHash, Map<Integer, byte[]>> downloaded = new HashMap<>();
        p.fetchRanges().forEach((hash, runs) -> {
            XorbInfo xorb = STORE.get(hash);
            for (FetchRange r : runs) {
                assertEquals(xorb.packedStart(r.chunkStart()), r.byteStart());
                assertEquals(xorb.packedEnd(r.chunkEnd()), r.byteEnd());
                for (int c = r.chunkStart(); c < r.chunkEnd(); c++) {
                    downloaded.computeIfAbsent(hash, h -> new HashMap<>()).put(c, chunkData(xorb, c));
                }
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (FileTerm t : p.terms()) {
            assertTrue(p.fetchRanges().get(t.xorbHash()).stream()
                            .anyMatch(r -> r.chunkStart() <= t.chunkStart() && t.chunkEnd() <= r.chunkEnd()),
                    "hf_xet looks for each term's chunks in one fetch range: " + t);
            long length = 0;
            for (int c = t.chunkStart(); c < t.chunkEnd(); c++) {
                byte[] chunk = downloaded.get(t.xorbHash()).get(c); // NPE if the fetch ranges missed it
                length += chunk.length;
                out.writeBytes(chunk);
            }
            assertEquals(t.unpackedLength(), length);
        }
        byte[] all = out.toByteArray();
        int from = (int) p.offsetIntoFirstRange();
        return Arrays.copyOfRange(all, from, Math.min(all.length, from + requestedLength));
    }
}
