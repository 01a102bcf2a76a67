package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Shards shaped like the ones xet-core writes, built byte by byte with {@link SpecWriter}.
 *
 * <p>Content: xorb A (5 chunks, chunk 0 carrying the global-dedup flag as xet-core sets it for a file's first
 * chunk), xorb B (3 chunks); file F1 = A[0,3) + B[0,2) + A[3,5), file F2 = B[1,3), both with verification entries
 * and a SHA-256, as the upload protocol requires for git repositories.
 */
final class ShardFixtures {
    static final MerkleHash XORB_A = hash(1);
    static final MerkleHash XORB_B = hash(2);
    static final long[] SIZES_A = {65536, 70000, 10000, 80000, 5000};
    static final long[] SIZES_B = {1000, 2000, 3000};
    static final MerkleHash FILE_1 = hash(10);
    static final MerkleHash FILE_2 = hash(20);
    static final long CREATED = 1_726_000_000L;

    /** Offsets of interesting records in {@link #upload()} and {@link #full()}, for mutation tests. */
    static final int FILE_1_HEADER = 48;
    static final int FILE_1_TERM_0 = FILE_1_HEADER + 48;
    static final int FILE_1_VERIFICATION_0 = FILE_1_HEADER + 4 * 48;
    static final int FILE_2_HEADER = FILE_1_HEADER + 8 * 48;
    static final int FILE_BOOKEND = FILE_2_HEADER + 4 * 48;
    static final int CAS_A_HEADER = FILE_BOOKEND + 48;
    static final int CAS_A_CHUNK_0 = CAS_A_HEADER + 48;
    static final int CAS_B_HEADER = CAS_A_HEADER + 6 * 48;
    static final int CAS_BOOKEND = CAS_B_HEADER + 4 * 48;
    static final int CAS_END = CAS_BOOKEND + 48;

    private ShardFixtures() {}

    static MerkleHash hash(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = new byte[32];
        for (int i = 0; i < 32; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return MerkleHash.fromBytes(bytes);
    }

    static MerkleHash chunkA(int i) {
        return hash(100 + i);
    }

    static MerkleHash chunkB(int i) {
        return hash(200 + i);
    }

    /** The upload form: header with footer_size 0, both sections, nothing after the CAS bookend. */
    static byte[] upload() {
        return sections(new SpecWriter().header(2, 0)).bytes();
    }

    /** The same content with lookup tables and footer, as xet-core keeps it on disk. */
    static byte[] full() {
        SpecWriter w = sections(new SpecWriter().header(2, 200));
        List<long[]> files = sorted(List.of(
                new long[] {ShardLayout.truncate(FILE_1), 0}, new long[] {ShardLayout.truncate(FILE_2), 8}));
        List<long[]> xorbs = sorted(List.of(
                new long[] {ShardLayout.truncate(XORB_A), 0}, new long[] {ShardLayout.truncate(XORB_B), 6}));
        List<long[]> chunks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            chunks.add(new long[] {ShardLayout.truncate(chunkA(i)), 0, i});
        }
        for (int i = 0; i < 3; i++) {
            chunks.add(new long[] {ShardLayout.truncate(chunkB(i)), 6, i});
        }
        long materialized = 145536 + 3000 + 85000 + 5000;
        long stored = sum(SIZES_A) + sum(SIZES_B);
        return footer(w, MerkleHash.parse("0".repeat(64)), files, xorbs, sorted(chunks), 0, materialized, stored,
                -1L);
    }

    /** The same content with a footer but no lookup tables, their six fields zero: as the JS client uploads it. */
    static byte[] footerWithoutTables() {
        SpecWriter w = sections(new SpecWriter().header(2, 200));
        long footerOffset = w.position();
        w.u64(1).u64(48).u64(CAS_A_HEADER).u64(0).u64(0).u64(0).u64(0).u64(0).u64(0)
                .hash(MerkleHash.parse("0".repeat(64))).u64(CREATED).u64(0)
                .u64(0).u64(0).u64(0).u64(0).u64(0).u64(0)
                .u64(sum(SIZES_A) + sum(SIZES_B)).u64(145536 + 3000 + 85000 + 5000).u64(sum(SIZES_A) + sum(SIZES_B))
                .u64(footerOffset);
        return w.bytes();
    }

    /** A global-dedup answer: no files, both xorbs with HMAC-keyed chunk hashes, key and expiry in the footer. */
    static byte[] dedup() {
        SpecWriter w = new SpecWriter().header(2, 200).bookend();
        casBlocks(w, true);
        w.bookend();
        List<long[]> xorbs = sorted(List.of(
                new long[] {ShardLayout.truncate(XORB_A), 0}, new long[] {ShardLayout.truncate(XORB_B), 6}));
        List<long[]> chunks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            chunks.add(new long[] {ShardLayout.truncate(hash(300 + i)), 0, i});
        }
        for (int i = 0; i < 3; i++) {
            chunks.add(new long[] {ShardLayout.truncate(hash(400 + i)), 6, i});
        }
        return footer(w, hash(99), List.of(), xorbs, sorted(chunks), 14_737_817, 0, sum(SIZES_A) + sum(SIZES_B),
                CREATED + 7 * 86400);
    }

    /**
     * Shaped like the spec's reference upload of Electric_Vehicle_Population_Data_20250917.csv: one file of 796
     * chunks, all in one xorb, one term covering them, verification and SHA-256; with or without footer.
     */
    static byte[] evLike(boolean withFooter) {
        int n = 796;
        SplittableRandom random = new SplittableRandom(796);
        long[] sizes = new long[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = 8192 + random.nextInt(131072 - 8192 + 1);
        }
        MerkleHash xorb = hash(7000);
        MerkleHash file = hash(7001);
        SpecWriter w = new SpecWriter().header(2, withFooter ? 200 : 0)
                .fileHeader(file, ShardLayout.FILE_FLAG_WITH_VERIFICATION | ShardLayout.FILE_FLAG_WITH_METADATA_EXT, 1)
                .term(xorb, 0, sum(sizes), 0, n).hashEntry(hash(7002)).hashEntry(hash(7003)).bookend()
                .casHeader(xorb, 0, n, sum(sizes), 0);
        long offset = 0;
        for (int i = 0; i < n; i++) {
            w.casChunk(hash(8000 + i), offset, sizes[i], i == 0 ? ShardLayout.CHUNK_FLAG_GLOBAL_DEDUP : 0);
            offset += sizes[i];
        }
        w.bookend();
        if (!withFooter) {
            return w.bytes();
        }
        List<long[]> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            chunks.add(new long[] {ShardLayout.truncate(hash(8000 + i)), 0, i});
        }
        return footerAt(w, 48 + 5 * 48, MerkleHash.parse("0".repeat(64)),
                List.<long[]>of(new long[] {ShardLayout.truncate(file), 0}),
                List.<long[]>of(new long[] {ShardLayout.truncate(xorb), 0}), sorted(chunks), 0, sum(sizes),
                sum(sizes), -1L);
    }

    private static SpecWriter sections(SpecWriter w) {
        int flags = ShardLayout.FILE_FLAG_WITH_VERIFICATION | ShardLayout.FILE_FLAG_WITH_METADATA_EXT;
        w.fileHeader(FILE_1, flags, 3)
                .term(XORB_A, 0, 145536, 0, 3).term(XORB_B, 0, 3000, 0, 2).term(XORB_A, 0, 85000, 3, 5)
                .hashEntry(hash(11)).hashEntry(hash(12)).hashEntry(hash(13))
                .hashEntry(hash(14));
        w.fileHeader(FILE_2, flags, 1).term(XORB_B, 0, 5000, 1, 3).hashEntry(hash(21)).hashEntry(hash(22));
        w.bookend();
        casBlocks(w, false);
        return w.bookend();
    }

    private static void casBlocks(SpecWriter w, boolean keyed) {
        w.casHeader(XORB_A, 0, 5, sum(SIZES_A), keyed ? 14_737_817 : 0);
        long offset = 0;
        for (int i = 0; i < 5; i++) {
            w.casChunk(keyed ? hash(300 + i) : chunkA(i), offset, SIZES_A[i],
                    i == 0 ? ShardLayout.CHUNK_FLAG_GLOBAL_DEDUP : 0);
            offset += SIZES_A[i];
        }
        w.casHeader(XORB_B, 0, 3, sum(SIZES_B), 0);
        offset = 0;
        for (int i = 0; i < 3; i++) {
            w.casChunk(keyed ? hash(400 + i) : chunkB(i), offset, SIZES_B[i], 0);
            offset += SIZES_B[i];
        }
    }

    private static byte[] footer(SpecWriter w, MerkleHash key, List<long[]> files, List<long[]> xorbs,
                                 List<long[]> chunks, long onDisk, long materialized, long stored, long expiry) {
        return footerAt(w, files.isEmpty() ? 96 : CAS_A_HEADER, key, files, xorbs, chunks, onDisk, materialized,
                stored, expiry);
    }

    private static byte[] footerAt(SpecWriter w, long casInfoOffset, MerkleHash key, List<long[]> files,
                                   List<long[]> xorbs, List<long[]> chunks, long onDisk, long materialized,
                                   long stored, long expiry) {
        long fileLookup = w.position();
        files.forEach(e -> w.u64(e[0]).u32(e[1]));
        long xorbLookup = w.position();
        xorbs.forEach(e -> w.u64(e[0]).u32(e[1]));
        long chunkLookup = w.position();
        chunks.forEach(e -> w.u64(e[0]).u32(e[1]).u32(e[2]));
        long footerOffset = w.position();
        w.u64(1).u64(48).u64(casInfoOffset)
                .u64(fileLookup).u64(files.size()).u64(xorbLookup).u64(xorbs.size())
                .u64(chunkLookup).u64(chunks.size())
                .hash(key).u64(CREATED).u64(expiry)
                .u64(0).u64(0).u64(0).u64(0).u64(0).u64(0)
                .u64(onDisk).u64(materialized).u64(stored).u64(footerOffset);
        return w.bytes();
    }

    private static List<long[]> sorted(List<long[]> entries) {
        List<long[]> copy = new ArrayList<>(entries);
        copy.sort(Comparator.comparing((long[] e) -> e[0], Long::compareUnsigned));
        return copy;
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long v : values) {
            total += v;
        }
        return total;
    }
}
