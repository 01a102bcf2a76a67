package dev.atrium.xet.cas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.db.Database;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import dev.atrium.storage.LocalBlobStore;
import dev.atrium.storage.Sha256;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.shard.XorbInfo;
import dev.atrium.xet.xorb.XorbReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real SQLite and a real blob store in a temp directory: the conversion end to end, without a server. */
class LfsToXetTest {
    private static final String REPO = "r00000000000000000000001";
    private static final String OTHER_REPO = "r00000000000000000000002";

    @TempDir
    Path dir;

    private Jdbi jdbi;
    private LocalBlobStore blobs;
    private XetStore store;
    private LfsToXet converter;

    @BeforeEach
    void open() throws Exception {
        jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        blobs = new LocalBlobStore(dir.resolve("blobs"));
        store = new XetStore(jdbi, Clock.systemUTC());
        converter = new LfsToXet(jdbi, blobs, store, Clock.systemUTC());
        for (String id : List.of(REPO, OTHER_REPO)) {
            jdbi.useHandle(h -> h.execute("INSERT INTO repos (id, type, namespace, name, private, created_at, "
                    + "updated_at) VALUES (?, 'MODEL', 'alice', ?, false, 0, 0)", id, "m" + id));
        }
    }

    @Test
    void convert_largeBlob_becomesAXetFileWhoseXorbsAreViewsOfIt() throws Exception {
        // More than 64 MiB, so the file takes two xorbs.
        byte[] content = new byte[70 << 20];
        new Random(7).nextBytes(content);
        Sha256 oid = storeLinked(REPO, content);

        converter.convertLater(REPO, oid);
        converter.awaitIdle();

        XetStore.XetFile file = store.fileBySha256(REPO, oid).orElseThrow();
        assertEquals(content.length, file.size());
        assertEquals(dev.atrium.xet.chunking.FileHasher.hash(new ByteArrayInputStream(content)).fileHash(),
                file.fileHash(), "the file hash a Xet client computes for the same bytes");
        XetContent xet = new XetContent(store, blobs, converter);
        Repo repo = new Repo(REPO, RepoType.MODEL, new RepoId("alice", "m" + REPO), false, null, 0, 0);
        assertArrayEquals(content, read(xet, repo, oid, 0, content.length), "the whole file through its terms");
        long from = (64L << 20) - 1000;
        assertArrayEquals(Arrays.copyOfRange(content, (int) from, (int) from + 5000),
                read(xet, repo, oid, from, 5000), "a range across the two xorbs");

        var terms = store.file(file.fileHash(), REPO, true).orElseThrow().terms();
        assertEquals(2, terms.size());
        long offset = 0;
        for (var term : terms) {
            XetStore.StoredXorb xorb = store.xorb(term.xorbHash()).orElseThrow();
            XorbInfo info = xorb.info();
            // Served exactly as a client-uploaded xorb without compression: the upload parser accepts it as the
            // xorb of that name, and its chunks decode, hashes checked, to the blob's bytes.
            ByteArrayOutputStream serialized = new ByteArrayOutputStream();
            LfsViewXorbs.writeSerialized(blobs, (XorbSource.LfsView) xorb.source(), info, 0,
                    info.serializedLength(), serialized);
            var parsed = new XorbReader().read(new ByteArrayInputStream(serialized.toByteArray()), null, info.hash());
            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            XorbReader.decodeChunks(new ByteArrayInputStream(serialized.toByteArray()), parsed.index(), 0,
                    info.chunks().size(), decoded, true);
            assertArrayEquals(Arrays.copyOfRange(content, (int) offset, (int) (offset + term.unpackedLength())),
                    decoded.toByteArray());
            // Any window of the serialized form is that window of the whole.
            ByteArrayOutputStream window = new ByteArrayOutputStream();
            LfsViewXorbs.writeSerialized(blobs, (XorbSource.LfsView) xorb.source(), info, 3, 200_000, window);
            assertArrayEquals(Arrays.copyOfRange(serialized.toByteArray(), 3, 200_003), window.toByteArray());
            offset += term.unpackedLength();
        }
        assertTrue(store.xorbsWithChunk(firstChunk(file.fileHash()), "u00000000000000000000001").size() > 0,
                "the file's first chunk is in the dedup index");
    }

    @Test
    void sameContentInAnotherRepo_isRegisteredThere_withoutConvertingAgain() throws Exception {
        byte[] content = new byte[300_000];
        new Random(8).nextBytes(content);
        Sha256 oid = storeLinked(REPO, content);
        storeLinked(OTHER_REPO, content);

        converter.convertLater(REPO, oid);
        converter.convertLater(OTHER_REPO, oid);
        converter.convertLater(REPO, oid);
        converter.awaitIdle();

        MerkleHash fileHash = store.fileBySha256(REPO, oid).orElseThrow().fileHash();
        assertEquals(fileHash, store.fileBySha256(OTHER_REPO, oid).orElseThrow().fileHash());
        assertEquals(Integer.valueOf(1), jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM xet_files").mapTo(Integer.class)
                .one()));
    }

    @Test
    void backfill_convertsObjectsLinkedBeforeConversionExisted() throws Exception {
        byte[] first = new byte[200_000];
        byte[] second = new byte[300_000];
        new Random(10).nextBytes(first);
        new Random(11).nextBytes(second);
        Sha256 a = storeLinked(REPO, first);
        Sha256 b = storeLinked(OTHER_REPO, second);

        converter.backfill(Runnable::run);
        converter.awaitIdle();

        assertEquals(first.length, store.fileBySha256(REPO, a).orElseThrow().size());
        assertEquals(second.length, store.fileBySha256(OTHER_REPO, b).orElseThrow().size());
    }

    @Test
    void missingBlob_isRecordedAsAFailure_andNotTriedAgain() throws Exception {
        Sha256 oid = Sha256.of(new byte[] {1, 2, 3});
        jdbi.useHandle(h -> h.execute("INSERT INTO lfs_objects (repo_id, oid, size, created_at) VALUES (?, ?, 3, 0)",
                REPO, oid.hex()));

        converter.backfill(Runnable::run);
        converter.awaitIdle();
        converter.convertLater(REPO, oid);
        converter.awaitIdle();

        assertEquals(Integer.valueOf(1), jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM lfs_xet_failures WHERE oid = :o")
                .bind("o", oid.hex()).mapTo(Integer.class).one()));
        assertTrue(store.fileBySha256(REPO, oid).isEmpty());
    }

    @Test
    void stopDuringAConversion_isNotRecordedAsAFailure() throws Exception {
        byte[] content = new byte[70 << 20];
        new Random(9).nextBytes(content);
        Sha256 oid = storeLinked(REPO, content);

        converter.convertLater(REPO, oid);
        Thread.sleep(20); // into the chunking of the blob, which takes longer
        converter.close();

        assertEquals(Integer.valueOf(0), jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM lfs_xet_failures")
                .mapTo(Integer.class).one()), "an interrupted conversion is tried again at the next start");
    }

    private Sha256 storeLinked(String repoId, byte[] content) throws Exception {
        Sha256 oid = Sha256.of(content);
        blobs.put(oid, content.length, new ByteArrayInputStream(content));
        jdbi.useHandle(h -> h.execute("INSERT INTO lfs_objects (repo_id, oid, size, created_at) VALUES (?, ?, ?, 0)",
                repoId, oid.hex(), content.length));
        return oid;
    }

    private MerkleHash firstChunk(MerkleHash fileHash) {
        var first = store.file(fileHash, REPO).orElseThrow().terms().get(0);
        return store.xorb(first.xorbHash()).orElseThrow().info().chunks().get(0).hash();
    }

    private static byte[] read(XetContent xet, Repo repo, Sha256 oid, long offset, int length) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        xet.write(repo, oid, offset, length, out);
        return out.toByteArray();
    }
}
