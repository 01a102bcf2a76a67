package dev.atrium.xet.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The spec's reference shards, from the Hugging Face dataset {@code xet-team/xet-spec-reference-files}, when they
 * are present under {@code src/test/resources/xet-reference/} with their upstream names; skipped otherwise (they
 * are not on GitHub, and this branch does not download data sets). The facts asserted are those hashing.md and
 * shard.md state about them: one 63,527,244-byte file of 796 chunks, all in xorb eea25d6e...7632, one term whose
 * range hash is d81c11b1...4178.
 */
class ReferenceShardsTest {
    private static final String PREFIX = "Electric_Vehicle_Population_Data_20250917.csv.shard";
    private static final String XORB = "eea25d6ee393ccae385820daed127b96ef0ea034dfb7cf6da3a950ce334b7632";
    private static final String RANGE_HASH = "d81c11b1fc9bc2a25587108c675bbfe65ca2e5d350b0cd92c58329fcc8444178";

    private static byte[] reference(String suffix) throws IOException {
        try (InputStream in = ReferenceShardsTest.class.getResourceAsStream("/xet-reference/" + PREFIX + suffix)) {
            assumeTrue(in != null, "reference file " + PREFIX + suffix + " not present");
            return in.readAllBytes();
        }
    }

    @Test
    void uploadForm_isTheReferenceFile_roundTripped() throws Exception {
        byte[] bytes = reference(".verification-no-footer");
        Shard shard = ShardParser.parse(bytes);
        assertArrayEquals(bytes, ShardSerializer.toBytes(shard));
        assertTrue(shard.footer().isEmpty());
        assertEquals(1, shard.files().size());
        FileReconstruction file = shard.files().get(0);
        assertEquals(63_527_244, file.size());
        assertEquals(1, file.terms().size());
        assertEquals(XORB, file.terms().get(0).xorbHash().hex());
        assertEquals(0, file.terms().get(0).chunkStart());
        assertEquals(796, file.terms().get(0).chunkEnd());
        assertEquals(RANGE_HASH, file.verificationHashes().orElseThrow().get(0).hex());
        assertTrue(file.sha256().isPresent());
        assertEquals(1, shard.xorbs().size());
        assertEquals(796, shard.xorbs().get(0).chunks().size());
        assertEquals(63_527_244, shard.xorbs().get(0).numBytesInXorb());
        ShardUploadCheck.checkForm(shard, true);
    }

    @Test
    void withFooter_roundTrips_andDropsToTheUploadForm() throws Exception {
        byte[] full = reference(".verification");
        Shard shard = ShardParser.parse(full);
        assertArrayEquals(full, ShardSerializer.toBytes(shard));
        assertTrue(shard.footer().isPresent());
        assertArrayEquals(reference(".verification-no-footer"), ShardSerializer.toBytes(shard.withoutFooter()));
    }

    @Test
    void withoutVerification_roundTrips() throws Exception {
        byte[] bytes = reference("");
        Shard shard = ShardParser.parse(bytes);
        assertArrayEquals(bytes, ShardSerializer.toBytes(shard));
        assertFalse(shard.hasVerification());
    }

    @Test
    void dedupAnswer_roundTrips_andIsKeyed() throws Exception {
        byte[] bytes = reference(".dedupe");
        Shard shard = ShardParser.parse(bytes);
        assertArrayEquals(bytes, ShardSerializer.toBytes(shard));
        assertTrue(shard.files().isEmpty());
        assertFalse(shard.xorbs().isEmpty());
        assertTrue(shard.footer().orElseThrow().hmacKey().isPresent());
    }
}
