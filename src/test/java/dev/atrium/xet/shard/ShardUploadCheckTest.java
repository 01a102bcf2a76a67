package dev.atrium.xet.shard;

import static dev.atrium.xet.shard.ShardFixtures.XORB_A;
import static dev.atrium.xet.shard.ShardFixtures.XORB_B;
import static dev.atrium.xet.shard.ShardFixtures.chunkA;
import static dev.atrium.xet.shard.ShardFixtures.chunkB;
import static dev.atrium.xet.shard.ShardFixtures.hash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.hash.HashedChunk;
import dev.atrium.xet.hash.XetHashes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ShardUploadCheckTest {
    private static final CasInfo XORB_C = CasInfo.of(hash(3), List.of(hash(30), hash(31)), List.of(7L, 8L), 0);

    /** The fixture's verification hashes stand for the hashes of these chunk runs. */
    private static final Map<List<MerkleHash>, MerkleHash> VERIFICATION = Map.of(
            List.of(chunkA(0), chunkA(1), chunkA(2)), hash(11),
            List.of(chunkB(0), chunkB(1)), hash(12),
            List.of(chunkA(3), chunkA(4)), hash(13),
            List.of(chunkB(1), chunkB(2)), hash(21),
            List.of(hash(30), hash(31)), hash(32));
    private static final Function<List<MerkleHash>, MerkleHash> HASHER =
            chunks -> VERIFICATION.getOrDefault(chunks, hash(0));
    /** The fixture's file hashes stand for the hashes of these files' chunks. */
    private static final Map<List<MerkleHash>, MerkleHash> FILES = Map.of(
            List.of(chunkA(0), chunkA(1), chunkA(2), chunkB(0), chunkB(1), chunkA(3), chunkA(4)), ShardFixtures.FILE_1,
            List.of(chunkB(1), chunkB(2)), ShardFixtures.FILE_2,
            List.of(hash(30), hash(31)), hash(5));
    private static final Function<List<CasChunk>, MerkleHash> FILE_HASHER =
            chunks -> FILES.getOrDefault(chunks.stream().map(CasChunk::chunkHash).toList(), hash(0));

    private static Shard upload() throws ShardFormatException {
        return ShardParser.parse(ShardFixtures.upload());
    }

    /** The store after both xorbs were uploaded, with their real serialized lengths. */
    private static Function<MerkleHash, CasInfo> store(Shard shard, CasInfo... more) {
        Map<MerkleHash, CasInfo> stored = new HashMap<>();
        for (CasInfo x : shard.xorbs()) {
            stored.put(x.xorbHash(), new CasInfo(x.xorbHash(), x.chunks(), x.numBytesInXorb(), 123456, 0));
        }
        for (CasInfo x : more) {
            stored.put(x.xorbHash(), x);
        }
        return stored::get;
    }

    @Test
    void theReferenceShapedUpload_passes() throws Exception {
        Shard shard = upload();
        ShardUploadCheck.checkForm(shard, true);
        ShardUploadCheck.checkAgainstStore(shard, store(shard), HASHER, FILE_HASHER);
        assertEquals(List.of(XORB_A, XORB_B), List.copyOf(ShardUploadCheck.referencedXorbs(shard)));
    }

    @Test
    void aFooter_isTolerated() throws Exception {
        ShardUploadCheck.checkForm(ShardParser.parse(ShardFixtures.full()), true);
    }

    @Test
    void filesWithoutVerification_orWithoutShaWhereRequired_fail() throws Exception {
        FileReconstruction bare = new FileReconstruction(hash(5), List.of(new FileTerm(XORB_C.xorbHash(), 0, 2, 15)));
        Shard unverified = new Shard(List.of(bare), List.of());
        assertThrows(ShardFormatException.class, () -> ShardUploadCheck.checkForm(unverified, false));

        FileReconstruction noSha = new FileReconstruction(hash(5), bare.terms(), Optional.of(List.of(hash(32))),
                Optional.empty());
        Shard shaless = new Shard(List.of(noSha), List.of());
        ShardUploadCheck.checkForm(shaless, false);
        ShardFormatException e = assertThrows(ShardFormatException.class,
                () -> ShardUploadCheck.checkForm(shaless, true));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void aShardListingOnlyXorbs_passes() throws Exception {
        Shard xorbsOnly = new Shard(List.of(), List.of(XORB_C));
        ShardUploadCheck.checkForm(xorbsOnly, true);
        ShardUploadCheck.checkAgainstStore(xorbsOnly, store(xorbsOnly), HASHER, FILE_HASHER);
    }

    @Test
    void termsMayUseXorbsStoredEarlier() throws Exception {
        FileReconstruction file = new FileReconstruction(hash(5), List.of(new FileTerm(XORB_C.xorbHash(), 0, 2, 15)),
                Optional.of(List.of(hash(32))), Optional.of(hash(6)));
        Shard shard = new Shard(List.of(file), List.of());
        ShardUploadCheck.checkAgainstStore(shard, store(shard, XORB_C), HASHER, FILE_HASHER);
        assertEquals(List.of(XORB_C.xorbHash()), List.copyOf(ShardUploadCheck.referencedXorbs(shard)));
    }

    @Test
    void anXorbNotUploaded_fails() throws Exception {
        Shard shard = upload();
        Function<MerkleHash, CasInfo> onlyA = h -> h.equals(XORB_A) ? shard.xorbs().get(0) : null;
        ShardFormatException e = assertThrows(ShardFormatException.class,
                () -> ShardUploadCheck.checkAgainstStore(shard, onlyA, HASHER, FILE_HASHER));
        assertTrue(e.getMessage().contains("has not been uploaded"), e.getMessage());
    }

    @Test
    void aChunkListDifferentFromTheStoredXorb_fails() throws Exception {
        Shard shard = upload();
        CasInfo otherB = CasInfo.of(XORB_B, List.of(chunkB(0), chunkB(1), hash(77)), List.of(1000L, 2000L, 3000L), 0);
        assertThrows(ShardFormatException.class,
                () -> ShardUploadCheck.checkAgainstStore(shard, store(shard, otherB), HASHER, FILE_HASHER));
    }

    @Test
    void aTermOutsideItsXorb_orOfTheWrongLength_fails() {
        for (FileTerm term : List.of(new FileTerm(XORB_C.xorbHash(), 1, 3, 8),
                new FileTerm(XORB_C.xorbHash(), 0, 2, 16))) {
            FileReconstruction file = new FileReconstruction(hash(5), List.of(term), Optional.of(List.of(hash(32))),
                    Optional.empty());
            Shard shard = new Shard(List.of(file), List.of());
            assertThrows(ShardFormatException.class,
                    () -> ShardUploadCheck.checkAgainstStore(shard, store(shard, XORB_C), HASHER, FILE_HASHER));
        }
    }

    @Test
    void aWrongVerificationHash_fails() throws Exception {
        Shard shard = upload();
        ShardFormatException e = assertThrows(ShardFormatException.class,
                () -> ShardUploadCheck.checkAgainstStore(shard, store(shard), chunks -> hash(0), FILE_HASHER));
        assertTrue(e.getMessage().contains("verification"), e.getMessage());
    }

    @Test
    void aFileHashNotOfItsChunks_fails_whateverItsTermsSay() throws Exception {
        Shard shard = upload();
        ShardFormatException e = assertThrows(ShardFormatException.class,
                () -> ShardUploadCheck.checkAgainstStore(shard, store(shard), HASHER, chunks -> hash(0)));
        assertTrue(e.getMessage().contains("not the file hash"), e.getMessage());
    }

    @Test
    void theFileHash_isTheSpecsHashOfTheChunksInOrder() throws Exception {
        MerkleHash real = XetHashes.fileHash(List.of(new HashedChunk(hash(30), 7), new HashedChunk(hash(31), 8)));
        Function<List<CasChunk>, MerkleHash> spec = chunks -> XetHashes.fileHash(chunks.stream()
                .map(c -> new HashedChunk(c.chunkHash(), c.unpackedLength())).toList());
        for (MerkleHash claimed : List.of(real, hash(5))) {
            FileReconstruction file = new FileReconstruction(claimed,
                    List.of(new FileTerm(XORB_C.xorbHash(), 0, 2, 15)), Optional.of(List.of(hash(32))),
                    Optional.of(hash(6)));
            Shard shard = new Shard(List.of(file), List.of());
            if (claimed.equals(real)) {
                ShardUploadCheck.checkAgainstStore(shard, store(shard, XORB_C), HASHER, spec);
            } else {
                assertThrows(ShardFormatException.class,
                        () -> ShardUploadCheck.checkAgainstStore(shard, store(shard, XORB_C), HASHER, spec));
            }
        }
    }
}
