package dev.atrium.xet.shard;

import static dev.atrium.xet.shard.ShardFixtures.FILE_1;
import static dev.atrium.xet.shard.ShardFixtures.FILE_2;
import static dev.atrium.xet.shard.ShardFixtures.XORB_A;
import static dev.atrium.xet.shard.ShardFixtures.XORB_B;
import static dev.atrium.xet.shard.ShardFixtures.hash;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.xet.MerkleHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShardParserTest {

    static Stream<Arguments> validShards() {
        return Stream.of(
                Arguments.of("upload form", ShardFixtures.upload()),
                Arguments.of("with lookup tables and footer", ShardFixtures.full()),
                Arguments.of("global dedup answer", ShardFixtures.dedup()),
                Arguments.of("reference-like upload, 796 chunks", ShardFixtures.evLike(false)),
                Arguments.of("reference-like with footer", ShardFixtures.evLike(true)),
                Arguments.of("empty", new SpecWriter().header(2, 0).bookend().bookend().bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validShards")
    void serializeOfParse_givesTheSameBytes(String name, byte[] bytes) throws Exception {
        Shard shard = ShardParser.parse(bytes);
        assertArrayEquals(bytes, ShardSerializer.toBytes(shard));
        assertEquals(bytes.length, shard.serializedSize());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validShards")
    void parseFromStream_equalsParseFromBytes_andWriteToStreamEqualsToBytes(String name, byte[] bytes)
            throws Exception {
        Shard shard = ShardParser.parse(new ByteArrayInputStream(bytes));
        assertEquals(ShardParser.parse(bytes), shard);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShardSerializer.write(shard, out);
        assertArrayEquals(bytes, out.toByteArray());
    }

    @Test
    void uploadForm_decodesEveryField() throws Exception {
        Shard shard = ShardParser.parse(ShardFixtures.upload());
        assertTrue(shard.footer().isEmpty());
        assertTrue(shard.hasVerification());
        assertEquals(2, shard.files().size());

        FileReconstruction f1 = shard.files().get(0);
        assertEquals(FILE_1, f1.fileHash());
        assertEquals(List.of(new FileTerm(XORB_A, 0, 3, 145536), new FileTerm(XORB_B, 0, 2, 3000),
                new FileTerm(XORB_A, 3, 5, 85000)), f1.terms());
        assertEquals(Optional.of(List.of(hash(11), hash(12), hash(13))), f1.verificationHashes());
        assertEquals(Optional.of(hash(14)), f1.sha256());
        assertEquals(145536 + 3000 + 85000, f1.size());
        assertEquals(FILE_2, shard.files().get(1).fileHash());

        assertEquals(2, shard.xorbs().size());
        CasInfo a = shard.xorbs().get(0);
        assertEquals(XORB_A, a.xorbHash());
        assertEquals(5, a.chunks().size());
        assertEquals(new CasChunk(ShardFixtures.chunkA(1), 65536, 70000), a.chunks().get(1));
        assertTrue(a.chunks().get(0).globalDedupFlag());
        assertFalse(a.chunks().get(1).globalDedupFlag());
        assertEquals(230536, a.numBytesInXorb());
        assertEquals(0, a.numBytesOnDisk());
    }

    @Test
    void footerWithoutLookupTables_asTheJsClientSendsIt_parses() throws Exception {
        Shard js = ShardParser.parse(ShardFixtures.footerWithoutTables());
        assertEquals(ShardParser.parse(ShardFixtures.upload()), js.withoutFooter());
        assertEquals(0, js.footer().orElseThrow().lookupTables().files().size());
    }

    @Test
    void fullForm_hasTheSameContentAsTheUploadForm_plusFooter() throws Exception {
        Shard full = ShardParser.parse(ShardFixtures.full());
        Shard upload = ShardParser.parse(ShardFixtures.upload());
        assertEquals(upload, full.withoutFooter());
        assertArrayEquals(ShardFixtures.upload(), ShardSerializer.toBytes(full.withoutFooter()));

        ShardFooter footer = full.footer().orElseThrow();
        assertEquals(Optional.empty(), footer.hmacKey());
        assertEquals(ShardFixtures.CREATED, footer.creationTimestamp());
        assertEquals(-1L, footer.keyExpiry());
        assertEquals(2, footer.lookupTables().files().size());
        assertEquals(2, footer.lookupTables().xorbs().size());
        assertEquals(8, footer.lookupTables().chunks().size());
        assertEquals(238536, footer.materializedBytes());
    }

    @Test
    void fullForm_lookupTablesAreWhatBuildComputes() throws Exception {
        Shard full = ShardParser.parse(ShardFixtures.full());
        assertEquals(LookupTables.build(full.files(), full.xorbs(), true, true, true),
                full.footer().orElseThrow().lookupTables());
    }

    @Test
    void dedupAnswer_hasNoFiles_andCarriesTheHmacKey() throws Exception {
        Shard shard = ShardParser.parse(ShardFixtures.dedup());
        assertTrue(shard.files().isEmpty());
        assertFalse(shard.hasVerification());
        assertEquals(2, shard.xorbs().size());
        assertEquals(Optional.of(hash(99)), shard.footer().orElseThrow().hmacKey());
        assertEquals(14_737_817, shard.xorbs().get(0).numBytesOnDisk());
    }

    @Test
    void emptyFileBlock_withVerificationFlagAndNoTerms_isAccepted() throws Exception {
        // xet-core writes FileDataSequenceHeader::new(hash, 0, true, ..) for a file without chunks.
        byte[] bytes = new SpecWriter().header(2, 0)
                .fileHeader(hash(5), ShardLayout.FILE_FLAG_WITH_VERIFICATION, 0).bookend().bookend().bytes();
        Shard shard = ShardParser.parse(bytes);
        FileReconstruction empty = shard.files().get(0);
        assertEquals(List.of(), empty.terms());
        assertEquals(Optional.of(List.of()), empty.verificationHashes());
        assertEquals(0, empty.size());
        assertArrayEquals(bytes, ShardSerializer.toBytes(shard));
    }

    @Test
    void reservedFlagWords_survive() throws Exception {
        byte[] bytes = new SpecWriter().header(2, 0)
                .fileHeader(hash(5), 0, 1).term(hash(6), 0x1234, 10, 0, 1).bookend()
                .casHeader(hash(6), 0x77, 1, 10, 99).casChunk(hash(7), 0, 10, 0x55).bookend().bytes();
        Shard shard = ShardParser.parse(bytes);
        assertEquals(0x1234, shard.files().get(0).terms().get(0).casFlags());
        assertEquals(0x77, shard.xorbs().get(0).casFlags());
        assertEquals(0x55, shard.xorbs().get(0).chunks().get(0).flags());
        assertArrayEquals(bytes, ShardSerializer.toBytes(shard));
    }

    @Test
    void unusedBytes_areIgnoredOnRead_andWrittenAsZero() throws Exception {
        byte[] bytes = ShardFixtures.upload();
        byte[] dirty = bytes.clone();
        dirty[ShardFixtures.FILE_1_HEADER + 40] = 1; // FileDataSequenceHeader._unused
        dirty[ShardFixtures.FILE_1_VERIFICATION_0 + 47] = 1; // FileVerificationEntry._unused
        dirty[ShardFixtures.CAS_A_CHUNK_0 + 47] = 1; // CASChunkSequenceEntry, the u32 after the flags
        assertEquals(ShardParser.parse(bytes), ShardParser.parse(dirty));
        assertArrayEquals(bytes, ShardSerializer.toBytes(ShardParser.parse(dirty)));
    }

    @Test
    void builtShard_serializesToWhatTheSpecWriterWrites() {
        CasInfo a = CasInfo.of(XORB_A, List.of(ShardFixtures.chunkA(0), ShardFixtures.chunkA(1),
                ShardFixtures.chunkA(2), ShardFixtures.chunkA(3), ShardFixtures.chunkA(4)),
                Arrays.stream(ShardFixtures.SIZES_A).boxed().toList(), 0);
        a = new CasInfo(a.xorbHash(), Stream.concat(
                Stream.of(new CasChunk(ShardFixtures.chunkA(0), 0, 65536, ShardLayout.CHUNK_FLAG_GLOBAL_DEDUP)),
                a.chunks().stream().skip(1)).toList(), a.numBytesInXorb(), 0, 0);
        CasInfo b = CasInfo.of(XORB_B, List.of(ShardFixtures.chunkB(0), ShardFixtures.chunkB(1),
                ShardFixtures.chunkB(2)), Arrays.stream(ShardFixtures.SIZES_B).boxed().toList(), 0);
        FileReconstruction f1 = new FileReconstruction(FILE_1, List.of(new FileTerm(XORB_A, 0, 3, 145536),
                new FileTerm(XORB_B, 0, 2, 3000), new FileTerm(XORB_A, 3, 5, 85000)),
                Optional.of(List.of(hash(11), hash(12), hash(13))), Optional.of(hash(14)));
        FileReconstruction f2 = new FileReconstruction(FILE_2, List.of(new FileTerm(XORB_B, 1, 3, 5000)),
                Optional.of(List.of(hash(21))), Optional.of(hash(22)));
        Shard upload = new Shard(List.of(f1, f2), List.of(a, b));
        assertArrayEquals(ShardFixtures.upload(), ShardSerializer.toBytes(upload));

        List<FileReconstruction> files = upload.files();
        List<CasInfo> xorbs = upload.xorbs();
        ShardFooter footer = ShardFooter.build(files, xorbs, LookupTables.build(files, xorbs, true, true, true),
                MerkleHash.fromBytes(new byte[32]), ShardFixtures.CREATED, -1L);
        assertArrayEquals(ShardFixtures.full(), ShardSerializer.toBytes(new Shard(files, xorbs, Optional.of(footer))));
    }
}
