package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.Principal;
import dev.atrium.auth.TokenInfo;
import dev.atrium.auth.TokenRole;
import dev.atrium.auth.User;
import dev.atrium.commit.CommitHeader;
import dev.atrium.commit.CommitOperation;
import dev.atrium.commit.CommitService;
import dev.atrium.commit.NdjsonCommitParser;
import dev.atrium.commit.StagingArea;
import dev.atrium.db.Database;
import dev.atrium.lfs.LfsGarbage;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.lfs.LfsPointer;
import dev.atrium.repo.GitRepos;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import dev.atrium.storage.LocalBlobStore;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Parquet export of a dataset, made from real commits and read back with DuckDB. */
class ParquetExportTest {
    private static final User ALICE = new User("a".repeat(24), "alice", "alice@example.com", "Alice", false, 0);
    private static final Principal AUTHOR = new Principal(ALICE,
            new TokenInfo("t".repeat(24), ALICE.id(), "laptop", TokenRole.WRITE, 0, null, null));
    /** Files above this many bytes are committed as LFS objects. */
    private static final long GIT_BLOB_LIMIT = 1024;

    @TempDir
    Path dir;
    private Jdbi jdbi;
    private LocalBlobStore blobs;
    private LfsObjects lfs;
    private CommitService commits;
    private StagingArea staging;
    private DatasetViewer viewer;
    private ParquetExport export;
    private Repo repo;
    private Repository git;

    @BeforeEach
    void setUp() throws IOException {
        jdbi = openDatabase();
        Repos repos = new Repos(jdbi);
        RepoService repoService = new RepoService(jdbi, repos, new GitRepos(dir.resolve("git")), Clock.systemUTC());
        blobs = new LocalBlobStore(dir.resolve("blobs"));
        lfs = new LfsObjects(jdbi, blobs, Clock.systemUTC());
        commits = new CommitService(lfs, repos, Clock.systemUTC(), GIT_BLOB_LIMIT);
        staging = StagingArea.open(dir.resolve("staging"));
        // Splits of up to 100 kB are read: the "big" ones below are over it.
        viewer = new DatasetViewer(repoService, lfs, dir.resolve("viewer"), new ViewerLimits(100_000, 10_000_000));
        export = new ParquetExport(repoService, viewer, lfs, Clock.systemUTC());
        repo = repoService.create(RepoType.DATASET, RepoId.parse("alice/ds"), false, null,
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));
        git = repoService.openGit(repo);
    }

    protected Jdbi openDatabase() {
        return Database.openSqlite(dir.resolve("atrium.db"));
    }

    @AfterEach
    void tearDown() throws Exception {
        git.close();
        staging.close();
        viewer.close();
    }

    @Test
    void csvSplits_areConvertedToOneParquetFileEach_withTheSameRows() throws Exception {
        String head = commit(Map.of("data/train.csv", csv(0, 200), "data/test.csv", csv(1000, 5)));

        ParquetExport.Made made = export.run(repo).orElseThrow();

        assertEquals(head, made.source());
        RevCommit commit = exportCommit();
        assertEquals(made.commit(), commit.name());
        assertEquals(0, commit.getParentCount(), "one commit, without history");
        assertEquals("parquet-converter", commit.getAuthorIdent().getName());
        assertEquals("Update parquet files", commit.getShortMessage());
        assertEquals(Optional.of(head), ParquetExport.sourceOf(commit));
        Map<String, LfsPointer> files = pointers(commit);
        assertEquals(List.of("default/test/0000.parquet", "default/train/0000.parquet"),
                new ArrayList<>(files.keySet()));
        assertEquals("*.parquet filter=lfs diff=lfs merge=lfs -text\n", text(commit, ".gitattributes"));
        assertEquals(rows(csvFile(0, 200)), rows(stored(files.get("default/train/0000.parquet"))));
        assertEquals(rows(csvFile(1000, 5)), rows(stored(files.get("default/test/0000.parquet"))));

        assertEquals(2, count("derived_lfs_objects"), "the converted files are the export's");
        assertEquals(1, count("lfs_objects"), "not the repo's storage: only train.csv is (test.csv is in git)");
        assertTrue(lfs.sizeOf(repo, files.get("default/train/0000.parquet").oid()).isPresent(), "but served");

        assertEquals(Optional.empty(), export.run(repo), "made from this head already");
        assertEquals(commit.getId(), exportCommit().getId());
    }

    @Test
    void anExportOfAnOlderConverter_isMadeAgain_butServedWhileExportsAreOff() throws Exception {
        String head = commit(Map.of("data/train.csv", csv(0, 20)));
        export.run(repo).orElseThrow();
        RevCommit made = exportCommit();
        assertEquals(ParquetExport.VERSION, ParquetExport.versionOf(made));
        // What an Atrium before the version trailer wrote: the same, its message without the trailer.
        try (org.eclipse.jgit.lib.ObjectInserter inserter = git.newObjectInserter()) {
            org.eclipse.jgit.lib.CommitBuilder older = new org.eclipse.jgit.lib.CommitBuilder();
            older.setTreeId(made.getTree());
            older.setAuthor(made.getAuthorIdent());
            older.setCommitter(made.getCommitterIdent());
            older.setMessage("Update parquet files\n\n" + ParquetExport.SOURCE_TRAILER + ": " + head + "\n");
            ObjectId id = inserter.insert(older);
            inserter.flush();
            var update = git.updateRef(ParquetExport.REF);
            update.setNewObjectId(id);
            update.setForceUpdate(true);
            update.update();
        }
        assertEquals(1, ParquetExport.versionOf(exportCommit()));
        RepoService repoService = new RepoService(jdbi, new Repos(jdbi), new GitRepos(dir.resolve("git")),
                Clock.systemUTC());
        try (ParquetExports off = new ParquetExports(repoService, viewer, lfs, Clock.systemUTC(), false)) {
            assertInstanceOf(ParquetExports.Ready.class, off.status(repo).orElseThrow(), "served as it is when off");
        }

        assertTrue(export.run(repo).isPresent(), "made again, though main has not moved");
        assertEquals(ParquetExport.VERSION, ParquetExport.versionOf(exportCommit()));
        assertEquals(Optional.empty(), export.run(repo));
    }

    @Test
    void aNewHead_replacesTheExport_andLetsTheOldFilesGo() throws Exception {
        commit(Map.of("data/train.csv", csv(0, 200)));
        export.run(repo).orElseThrow();
        Sha256 before = pointers(exportCommit()).get("default/train/0000.parquet").oid();

        String head = commit(Map.of("data/train.csv", csv(0, 201)));
        export.run(repo).orElseThrow();

        RevCommit commit = exportCommit();
        assertEquals(Optional.of(head), ParquetExport.sourceOf(commit));
        assertEquals(0, commit.getParentCount());
        Sha256 after = pointers(commit).get("default/train/0000.parquet").oid();
        assertNotEquals(before, after);
        assertEquals(201, rows(stored(pointers(commit).get("default/train/0000.parquet"))).size());
        assertTrue(lfs.sizeOf(repo, before).isEmpty(), "the old export's file is no longer the repo's");
        assertEquals(1, count("derived_lfs_objects"));
        assertEquals(1, new LfsGarbage(jdbi, blobs, Clock.systemUTC()).collect(Duration.ZERO, true).blobs(),
                "and garbage collection frees it");
        assertTrue(blobs.size(after).isPresent(), "the current one stays");
    }

    @Test
    void parquetSplits_pointAtTheirOwnFiles() throws Exception {
        byte[] large = parquet(5000);
        byte[] small = parquet(3);
        assertTrue(large.length > GIT_BLOB_LIMIT && small.length < GIT_BLOB_LIMIT, large.length + " " + small.length);
        // Without the Hub's *.parquet rule, as a push without git-lfs leaves it, the small file stays in git.
        commit(Map.of("data/train-00000-of-00002.parquet", large, "data/train-00001-of-00002.parquet", large,
                "data/test-00000-of-00001.parquet", small, ".gitattributes", new byte[0]));

        export.run(repo).orElseThrow();

        Map<String, LfsPointer> files = pointers(exportCommit());
        assertEquals(List.of("default/test/0000.parquet", "default/train/0000.parquet", "default/train/0001.parquet"),
                new ArrayList<>(files.keySet()));
        assertEquals(Sha256.of(large), files.get("default/train/0000.parquet").oid(), "the same large file");
        assertEquals(Sha256.of(small), files.get("default/test/0000.parquet").oid(),
                "a file kept in git becomes a large file of the export's");
        assertEquals(1, count("derived_lfs_objects"), "only that one was stored anew");
    }

    @Test
    void splitsItCannotConvert_areLeftOut_andSaidWhy() throws Exception {
        // A JSON file may be one array: unlike lines, its start cannot be read alone.
        commit(Map.of("big/train.json", jsonArray(20_000), "big/test.csv", csv(0, 3),
                "broken/train.jsonl", "{\"a\": 1}\nthis is not json\n".getBytes(StandardCharsets.UTF_8),
                "README.md", ("---\nconfigs:\n- config_name: big\n  data_files:\n  - split: train\n    path: big/train.json\n"
                        + "  - split: test\n    path: big/test.csv\n- config_name: broken\n  data_files: broken/*.jsonl\n"
                        + "---\n").getBytes(StandardCharsets.UTF_8)));

        ParquetExport.Made made = export.run(repo).orElseThrow();

        assertEquals(List.of("big/test/0000.parquet"), new ArrayList<>(pointers(exportCommit()).keySet()));
        List<ParquetExports.Skipped> skipped = ParquetExport.skippedOf(exportCommit());
        assertEquals(made.skipped(), skipped, "the commit says what the run said");
        assertEquals(List.of("big/train", "broken/train"),
                skipped.stream().map(s -> s.config() + "/" + s.split()).toList());
        assertTrue(skipped.get(0).reason().contains("100000 bytes"), skipped.get(0).reason());
        assertTrue(skipped.get(1).reason().contains("could not be read"), skipped.get(1).reason());
        assertTrue(skipped.get(1).reason().contains("\"broken/train.jsonl\""), "names the file by its path in the "
                + "repo, not where the server copied it: " + skipped.get(1).reason());
        assertTrue(!skipped.get(1).reason().contains(dir.toString()), skipped.get(1).reason());
    }

    @Test
    void aSplitOverTheLimit_isReadAndExportedFromItsFirstFiles_asPartial() throws Exception {
        // About 60 kB each against the 100 kB limit: the first two files fit, the third does not.
        commit(Map.of("data/train-0.csv", csv(0, 3000), "data/train-1.csv", csv(3000, 5), "data/train-2.csv",
                csv(5000, 3000), "data/test.csv", csv(0, 3)));
        DatasetViewer.Snapshot snapshot = viewer.snapshot(repo).orElseThrow();
        assertTrue(csv(0, 3000).length > 50_000 && csv(0, 3000).length + csv(3000, 5).length < 100_000);

        DatasetViewer.Rows rows = viewer.rows(repo, snapshot, "default", "train", 3000, 10);
        assertEquals(3005, rows.total(), "the first two files' rows");
        assertTrue(rows.partial());
        assertEquals(List.of(3000L, 3001L, 3002L, 3003L, 3004L), rows.indexes());
        assertTrue(viewer.isPartial(repo, snapshot, "default", "train"));
        assertTrue(!viewer.isPartial(repo, snapshot, "default", "test"));
        assertTrue(!viewer.rows(repo, snapshot, "default", "test", 0, 10).partial());
        assertEquals(3005, viewer.statistics(repo, snapshot, "default", "train").numExamples());

        ParquetExport.Made made = export.run(repo).orElseThrow();

        assertEquals(List.of(), made.skipped());
        Map<String, LfsPointer> files = pointers(exportCommit());
        assertEquals(List.of("default/partial-train/0000.parquet", "default/test/0000.parquet"),
                new ArrayList<>(files.keySet()), "named as the Hub names a split converted in part");
        List<String> expected = new ArrayList<>(rows(csvFile(0, 3000)));
        expected.addAll(rows(csvFile(3000, 5)));
        assertEquals(expected, rows(stored(files.get("default/partial-train/0000.parquet"))));
        RepoService repoService = new RepoService(jdbi, new Repos(jdbi), new GitRepos(dir.resolve("git")),
                Clock.systemUTC());
        try (ParquetExports exports = new ParquetExports(repoService, viewer, lfs, Clock.systemUTC(), true)) {
            ParquetExports.Ready ready = assertInstanceOf(ParquetExports.Ready.class,
                    exports.status(repo).orElseThrow());
            assertEquals(List.of("train true", "test false"), ready.files().stream()
                    .map(f -> f.split() + " " + f.partial()).toList(), "listed under the split's own name");
        }
    }

    @Test
    void oneCsvFileOverTheLimit_isReadAndExportedFromItsFirstWholeRecords() throws Exception {
        // Every record holds a quoted newline: a cut at any newline would split one.
        StringBuilder csv = new StringBuilder("id,text\n");
        for (int i = 0; i < 8000; i++) {
            csv.append(i).append(",\"row ").append(i).append("\nits second line\"\n");
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length > 200_000);
        commit(Map.of("train.csv", bytes));
        DatasetViewer.Snapshot snapshot = viewer.snapshot(repo).orElseThrow();

        assertTrue(viewer.isPartial(repo, snapshot, "default", "train"));
        DatasetViewer.Rows first = viewer.rows(repo, snapshot, "default", "train", 0, 1);
        assertTrue(first.partial());
        long total = first.total();
        assertTrue(total > 1000 && total < 8000, "the rows of the first 100 kB: " + total);
        DatasetViewer.Rows last = viewer.rows(repo, snapshot, "default", "train", total - 1, 5);
        assertEquals(List.of(List.of(total - 1, "row " + (total - 1) + "\nits second line")), last.rows(),
                "the last row read is whole");

        ParquetExport.Made made = export.run(repo).orElseThrow();

        assertEquals(List.of(), made.skipped());
        Path file = stored(pointers(exportCommit()).get("default/partial-train/0000.parquet"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), max(id), count(*) FILTER (WHERE text = 'row ' || id "
                     + "|| chr(10) || 'its second line') FROM read_parquet('" + file + "')")) {
            assertTrue(rs.next());
            assertEquals(List.of(total, total - 1, total), List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
        }
    }

    @Test
    void aFolderOverTheLimit_isExportedFromItsFirstFiles_asPartial() throws Exception {
        // Each a 30 kB BMP against the 100 kB limit: three fit.
        Map<String, byte[]> files = new java.util.HashMap<>();
        for (int i = 0; i < 5; i++) {
            files.put("train/" + i + ".bmp", TestImages.encoded("bmp", 100, 100, i));
        }
        files.put("test/0.bmp", TestImages.encoded("bmp", 10, 10, 0));
        commit(files);

        ParquetExport.Made made = export.run(repo).orElseThrow();

        assertEquals(List.of(), made.skipped());
        Map<String, LfsPointer> pointers = pointers(exportCommit());
        assertEquals(List.of("default/partial-train/0000.parquet", "default/test/0000.parquet"),
                new ArrayList<>(pointers.keySet()));
        assertEquals(List.of("0.bmp", "1.bmp", "2.bmp"), select("image.path",
                stored(pointers.get("default/partial-train/0000.parquet"))), "the first files, as many as fit");
    }

    @Test
    void aFolderWithMetadataOverTheLimit_isExportedFromItsFirstRows_inFilesOfAboutTheShardSize() throws Exception {
        Map<String, byte[]> files = new java.util.HashMap<>();
        StringBuilder metadata = new StringBuilder("file_name,n\n");
        for (int i = 0; i < 5; i++) {
            files.put("train/" + i + ".bmp", TestImages.encoded("bmp", 100, 100, i));
            metadata.append(4 - i).append(".bmp,").append(i).append('\n'); // rows in the metadata's order
        }
        files.put("train/metadata.csv", metadata.toString().getBytes(StandardCharsets.UTF_8));
        commit(files);

        ParquetExport.Made made = export.run(repo).orElseThrow();

        assertEquals(List.of(), made.skipped());
        Map<String, LfsPointer> pointers = pointers(exportCommit());
        assertEquals(List.of("default/partial-train/0000.parquet"), new ArrayList<>(pointers.keySet()));
        assertEquals(List.of("4.bmp 0", "3.bmp 1", "2.bmp 2"), select("image.path || ' ' || n",
                stored(pointers.get("default/partial-train/0000.parquet"))), "the first rows, as many as fit");
    }

    @Test
    void foldersOfImages_areWrittenAsPushToHubWould_withTheirFeatures() throws Exception {
        byte[] png = TestImages.encoded("png", 4, 3, 0);
        byte[] other = TestImages.encoded("png", 4, 3, 0xFF0000);
        commit(Map.of("train/cat/1.png", png, "train/dog/2.png", other));

        ParquetExport.Made made = export.run(repo).orElseThrow();

        assertEquals(List.of(), made.skipped());
        Path file = stored(pointers(exportCommit()).get("default/train/0000.parquet"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT image.bytes, image.path, label FROM read_parquet('" + file
                    + "')")) {
                assertTrue(rs.next());
                assertEquals(List.of(Sha256.of(png), "1.png", 0L),
                        List.of(Sha256.of(rs.getBytes(1)), rs.getString(2), rs.getLong(3)));
                assertTrue(rs.next());
                assertEquals(List.of(Sha256.of(other), "2.png", 1L),
                        List.of(Sha256.of(rs.getBytes(1)), rs.getString(2), rs.getLong(3)));
            }
            assertEquals(List.of("{\"info\":{\"features\":{\"image\":{\"_type\":\"Image\"},\"label\":{\"names\":"
                    + "[\"cat\",\"dog\"],\"_type\":\"ClassLabel\"}}}}"), huggingfaceMetadata(file));
        }
    }

    @Test
    void aFolderWithMetadata_isItsMetadataRows_withImagesInPlaceOfFileNames() throws Exception {
        byte[] black = TestImages.encoded("png", 4, 3, 0);
        byte[] red = TestImages.encoded("png", 5, 2, 0xFF0000);
        byte[] edges = TestImages.encoded("png", 6, 1, 0x00FF00);
        // Two metadata files, each naming files relative to its own folder; a second image by "{name}_file_name".
        commit(Map.of("train/a/1.png", black, "train/a/edges/1.png", edges, "train/b/pics/2.png", red,
                "train/a/metadata.jsonl", ("{\"file_name\": \"1.png\", \"text\": \"a black picture\", "
                        + "\"edges_file_name\": \"edges/1.png\"}\n").getBytes(StandardCharsets.UTF_8),
                "train/b/metadata.jsonl", ("{\"file_name\": \"./pics/2.png\", \"text\": \"a red one\", "
                        + "\"edges_file_name\": null}\n").getBytes(StandardCharsets.UTF_8)));

        DatasetViewer.Snapshot snapshot = viewer.snapshot(repo).orElseThrow();
        DatasetViewer.Rows rows = viewer.rows(repo, snapshot, "default", "train", 0, 10);
        assertEquals(List.of("image", "text", "edges"), rows.columns().stream().map(DuckTables.Column::name).toList());
        assertEquals(2, rows.total());
        assertEquals(List.of(3, "a black picture", 1), List.of(((DuckTables.MediaCell) rows.rows().get(0).get(0))
                .media().height(), rows.rows().get(0).get(1), ((DuckTables.MediaCell) rows.rows().get(0).get(2))
                .media().height()));
        assertEquals(2, ((DuckTables.MediaCell) rows.rows().get(1).get(0)).media().height(),
                "the second file's row, named from its own folder");
        assertNull(rows.rows().get(1).get(2));
        assertEquals(Sha256.of(red), Sha256.of(viewer.media(repo, snapshot, "default", "train", 1, "image", null)
                .orElseThrow().bytes()));
        assertEquals(Sha256.of(edges), Sha256.of(viewer.media(repo, snapshot, "default", "train", 0, "edges", null)
                .orElseThrow().bytes()));
        assertEquals(Optional.empty(), viewer.media(repo, snapshot, "default", "train", 0, "text", null));
        DatasetViewer.Rows found = viewer.search(repo, snapshot, "default", "train", "red", 0, 10);
        assertEquals(List.of(1L), found.indexes(), "captions are searched");
        assertInstanceOf(DuckTables.MediaCell.class, found.rows().get(0).get(0));
        assertEquals(List.of("text"), viewer.statistics(repo, snapshot, "default", "train").columns().stream()
                .map(SplitStatistics.Column::name).toList(), "no statistics of file names");

        ParquetExport.Made made = export.run(repo).orElseThrow();

        assertEquals(List.of(), made.skipped());
        Path file = stored(pointers(exportCommit()).get("default/train/0000.parquet"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT image.bytes, image.path, text, edges.bytes, edges.path "
                    + "FROM read_parquet('" + file + "')")) {
                assertTrue(rs.next());
                assertEquals(List.of(Sha256.of(black), "1.png", "a black picture", Sha256.of(edges), "1.png"),
                        List.of(Sha256.of(rs.getBytes(1)), rs.getString(2), rs.getString(3),
                                Sha256.of(rs.getBytes(4)), rs.getString(5)));
                assertTrue(rs.next());
                assertEquals(List.of(Sha256.of(red), "2.png", "a red one"),
                        List.of(Sha256.of(rs.getBytes(1)), rs.getString(2), rs.getString(3)));
                assertNull(rs.getObject(4), "no second image in that row");
                assertTrue(!rs.next());
            }
            assertEquals(List.of("{\"info\":{\"features\":{\"image\":{\"_type\":\"Image\"},\"edges\":"
                    + "{\"_type\":\"Image\"}}}}"), huggingfaceMetadata(file));
        }
    }

    @Test
    void aListOfFileNames_isAListOfImages_inTheViewerAndTheExport() throws Exception {
        byte[] a = TestImages.encoded("png", 4, 3, 0);
        byte[] b = TestImages.encoded("png", 5, 2, 0xFF0000);
        commit(Map.of("train/views/a.png", a, "train/views/b.png", b, "train/metadata.jsonl",
                ("{\"file_names\": [\"views/a.png\", \"views/b.png\"], \"n\": 1}\n"
                        + "{\"file_names\": [], \"n\": 2}\n{\"file_names\": null, \"n\": 3}\n")
                        .getBytes(StandardCharsets.UTF_8)));

        DatasetViewer.Snapshot snapshot = viewer.snapshot(repo).orElseThrow();
        DatasetViewer.Rows rows = viewer.rows(repo, snapshot, "default", "train", 0, 10);
        assertEquals(List.of("images", "n"), rows.columns().stream().map(DuckTables.Column::name).toList());
        assertEquals(List.of(new DuckTables.MediaCell(new MediaHeader("image/png", 4, 3)),
                new DuckTables.MediaCell(new MediaHeader("image/png", 5, 2))), rows.rows().get(0).get(0));
        assertEquals(List.of(), rows.rows().get(1).get(0));
        assertNull(rows.rows().get(2).get(0));
        assertEquals("{\"feature\":{\"_type\":\"Image\"},\"_type\":\"List\"}",
                rows.features().get("images").toString());
        assertEquals(Sha256.of(b), Sha256.of(viewer.media(repo, snapshot, "default", "train", 0, "images", 1)
                .orElseThrow().bytes()));
        assertEquals(Optional.empty(), viewer.media(repo, snapshot, "default", "train", 0, "images", null),
                "a list is no image itself");

        ParquetExport.Made made = export.run(repo).orElseThrow();

        assertEquals(List.of(), made.skipped());
        Path file = stored(pointers(exportCommit()).get("default/train/0000.parquet"));
        assertEquals(List.of("2 b.png " + Sha256.of(b).hex() + " 1 false", "0 - - 2 false", "- - - 3 true"),
                select("concat_ws(' ', coalesce(len(images)::VARCHAR, '-'), coalesce(images[2].path, '-'), "
                        + "coalesce(sha256(images[2].bytes), '-'), n, images IS NULL)", file),
                "a list of {bytes, path} structs in order; empty and null kept");
    }

    @Test
    void webDatasetShards_areRowsByKey_inTheViewerAndTheExport() throws Exception {
        byte[] png = TestImages.encoded("png", 4, 3, 0);
        byte[] tar = new TestTar().file("s/1.txt", "first").entry("s/1.png", '0', png).file("s/1.cls", "3")
                .file("s/1.json", "{\"n\": 1, \"tags\": [\"a\"]}").file("s/2.txt", "second").file("s/2.cls", "x")
                .bytes();
        commit(Map.of("train/shard-0.tar", tar));

        DatasetViewer.Snapshot snapshot = viewer.snapshot(repo).orElseThrow();
        DatasetViewer.Rows rows = viewer.rows(repo, snapshot, "default", "train", 0, 10);
        assertEquals(List.of("txt", "png", "cls", "json", "__key__", "__url__"),
                rows.columns().stream().map(DuckTables.Column::name).toList(), "the first row's fields, then these");
        assertEquals(List.of("first", new DuckTables.MediaCell(new MediaHeader("image/png", 4, 3)), 3L,
                Map.of("n", 1, "tags", List.of("a")), "s/1", "train/shard-0.tar"), rows.rows().get(0));
        assertEquals(java.util.Arrays.asList("second", null, "x", null, "s/2", "train/shard-0.tar"),
                rows.rows().get(1), "fields a row lacks are null; a number that is none stays text");
        assertEquals(Sha256.of(png), Sha256.of(viewer.media(repo, snapshot, "default", "train", 0, "png", null)
                .orElseThrow().bytes()));

        ParquetExport.Made made = export.run(repo).orElseThrow();

        assertEquals(List.of("default/train"), made.skipped().stream().map(s -> s.config() + "/" + s.split()).toList(),
                "left out for its second row's class, which is no number");
        assertTrue(made.skipped().get(0).reason().contains("s/2.cls"), made.skipped().get(0).reason());

        commit(Map.of("train/shard-0.tar", new TestTar().file("s/1.txt", "first").entry("s/1.png", '0', png)
                .file("s/1.cls", "3").file("s/1.json", "{\"n\": 1, \"tags\": [\"a\"]}").bytes()));
        export.run(repo).orElseThrow();
        Path file = stored(pointers(exportCommit()).get("default/train/0000.parquet"));
        assertEquals(List.of("first s/1.png " + Sha256.of(png).hex() + " 3 1 a s/1 train/shard-0.tar"),
                select("concat_ws(' ', txt, png.path, sha256(png.bytes), cls, json.n, json.tags[1], __key__, "
                        + "__url__)", file));
    }

    @Test
    void webDatasetShardsOverTheLimit_areReadFromTheFirst_asPartial() throws Exception {
        TestTar first = new TestTar();
        TestTar second = new TestTar();
        for (int i = 0; i < 60; i++) { // about 62 kB each against the 100 kB limit
            first.file("a/" + i + ".txt", "row " + i);
            second.file("b/" + i + ".txt", "row " + (60 + i));
        }
        commit(Map.of("train/0.tar", first.bytes(), "train/1.tar", second.bytes()));
        DatasetViewer.Snapshot snapshot = viewer.snapshot(repo).orElseThrow();

        DatasetViewer.Rows rows = viewer.rows(repo, snapshot, "default", "train", 0, 100);
        assertEquals(60, rows.total(), "the first shard's rows");
        assertTrue(rows.partial());
        assertTrue(viewer.isPartial(repo, snapshot, "default", "train"));
        assertEquals(List.of(), export.run(repo).orElseThrow().skipped());
        assertEquals(List.of("default/partial-train/0000.parquet"), new ArrayList<>(pointers(exportCommit()).keySet()),
                "exported as partial");
    }

    @Test
    void aFolderWhoseMetadataNamesAMissingFile_isLeftOut_andSaidWhich() throws Exception {
        commit(Map.of("train/1.png", TestImages.encoded("png", 4, 3, 0), "train/metadata.csv",
                "file_name,text\n1.png,here\n../outside.png,escapes\n".getBytes(StandardCharsets.UTF_8)));

        DatasetViewer.Snapshot snapshot = viewer.snapshot(repo).orElseThrow();
        DatasetViewer.Rows rows = viewer.rows(repo, snapshot, "default", "train", 0, 10);
        assertInstanceOf(DuckTables.MediaCell.class, rows.rows().get(0).get(0));
        assertEquals("../outside.png", rows.rows().get(1).get(0), "the viewer shows what it names");
        ParquetExport.Made made = export.run(repo).orElseThrow();

        assertEquals(List.of(), new ArrayList<>(pointers(exportCommit()).keySet()));
        assertEquals(List.of("default/train"), made.skipped().stream().map(s -> s.config() + "/" + s.split()).toList());
        assertTrue(made.skipped().get(0).reason().contains("train/metadata.csv names '../outside.png'"),
                made.skipped().get(0).reason());
    }

    @Test
    void withoutDataFiles_theExportGoes() throws Exception {
        commit(Map.of("data/train.csv", csv(0, 10)));
        export.run(repo).orElseThrow();

        commit(Map.of("README.md", "# No data any more\n".getBytes(StandardCharsets.UTF_8)), "data/train.csv");
        assertEquals(Optional.empty(), export.run(repo));

        assertNull(git.exactRef(ParquetExport.REF));
        assertEquals(0, count("derived_lfs_objects"));
    }

    @Test
    void anExportFileCommittedToABranch_becomesTheRepos() throws Exception {
        commit(Map.of("data/train.csv", csv(0, 200)));
        export.run(repo).orElseThrow();
        LfsPointer exported = pointers(exportCommit()).get("default/train/0000.parquet");

        lfs.noteCommitted(repo, exported.oid()); // as a commit of that pointer to main would
        commit(Map.of("data/train.csv", csv(0, 300)));
        export.run(repo).orElseThrow();

        assertTrue(lfs.sizeOf(repo, exported.oid()).isPresent(), "still the repo's, though the export let it go");
    }

    @Test
    void status_isPendingUntilTheExportIsMade_thenReady() throws Exception {
        String head = commit(Map.of("data/train.csv", csv(0, 50)));
        RepoService repoService = new RepoService(jdbi, new Repos(jdbi), new GitRepos(dir.resolve("git")),
                Clock.systemUTC());
        try (ParquetExports exports = new ParquetExports(repoService, viewer, lfs, Clock.systemUTC(), true)) {
            ParquetExports.Status first = exports.status(repo).orElseThrow();
            assertEquals(head, first.source());
            ParquetExports.Status status = first;
            for (int i = 0; i < 200 && !(status instanceof ParquetExports.Ready); i++) {
                Thread.sleep(50);
                status = exports.status(repo).orElseThrow();
            }
            ParquetExports.Ready ready = assertInstanceOf(ParquetExports.Ready.class, status);
            assertEquals(head, ready.source());
            assertEquals(1, ready.files().size());
            ParquetExports.ExportedFile file = ready.files().get(0);
            assertEquals(List.of("default", "train", "default/train/0000.parquet"),
                    List.of(file.config(), file.split(), file.path()));
            assertEquals(stored(pointers(exportCommit()).get(file.path())).toFile().length(), file.size());
        }
    }

    @Test
    void turnedOff_noExportIsMade_andTheStatusSaysWhy() throws Exception {
        String head = commit(Map.of("data/train.csv", csv(0, 50)));
        RepoService repoService = new RepoService(jdbi, new Repos(jdbi), new GitRepos(dir.resolve("git")),
                Clock.systemUTC());
        try (ParquetExports exports = new ParquetExports(repoService, viewer, lfs, Clock.systemUTC(), false)) {
            exports.contentChanged(repo, List.of());
            exports.backfill(new Repos(jdbi), Runnable::run);
            ParquetExports.Failed status = assertInstanceOf(ParquetExports.Failed.class,
                    exports.status(repo).orElseThrow());
            assertEquals(head, status.source());
            assertTrue(status.reason().contains("turned off"), status.reason());
            Thread.sleep(300); // what a scheduled export would have had to show itself
            assertNull(git.exactRef(ParquetExport.REF), "nothing was made");
        }
    }

    @Test
    void status_ofADatasetWithoutDataFiles_isNothingToExport() throws Exception {
        String head = commit(Map.of("README.md", "# Soon\n".getBytes(StandardCharsets.UTF_8)));
        RepoService repoService = new RepoService(jdbi, new Repos(jdbi), new GitRepos(dir.resolve("git")),
                Clock.systemUTC());
        try (ParquetExports exports = new ParquetExports(repoService, viewer, lfs, Clock.systemUTC(), true)) {
            assertEquals(new ParquetExports.NothingToExport(head), exports.status(repo).orElseThrow());
        }
    }

    @Test
    void theStartUpPass_exportsWhatIsMissingOrBehind_only() throws Exception {
        commit(Map.of("data/train.csv", csv(0, 20)));
        export.run(repo).orElseThrow();
        RevCommit upToDate = exportCommit();
        Repos repos = new Repos(jdbi);
        RepoService repoService = new RepoService(jdbi, repos, new GitRepos(dir.resolve("git")), Clock.systemUTC());
        Repo other = repoService.create(RepoType.DATASET, RepoId.parse("alice/other"), false, null,
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));
        try (Repository otherGit = repoService.openGit(other)) {
            commits.apply(otherGit, other, AUTHOR, "main", new NdjsonCommitParser.ParsedCommit(
                    new CommitHeader("data", "", null), List.of(new CommitOperation.AddFile("train.csv",
                    staging.stage(out -> out.write(csv(0, 5)))))));
            try (ParquetExports exports = new ParquetExports(repoService, viewer, lfs, Clock.systemUTC(), true)) {
                exports.backfill(repos, Runnable::run);
                for (int i = 0; i < 200 && otherGit.exactRef(ParquetExport.REF) == null; i++) {
                    Thread.sleep(50);
                }
                assertNotNull(otherGit.exactRef(ParquetExport.REF), "the dataset without an export got one");
                assertEquals(upToDate.getId(), exportCommit().getId(), "the one up to date was left alone");
            }
        }
    }

    // ---- helpers ----

    private String commit(Map<String, byte[]> files, String... deleted) throws IOException {
        List<CommitOperation> ops = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
            ops.add(new CommitOperation.AddFile(file.getKey(), staging.stage(out -> out.write(file.getValue()))));
        }
        for (String path : deleted) {
            ops.add(new CommitOperation.DeleteFile(path));
        }
        ObjectId id = commits.apply(git, repo, AUTHOR, "main", new NdjsonCommitParser.ParsedCommit(
                new CommitHeader("data", "", null), ops));
        return id.name();
    }

    private static byte[] csv(int first, int count) {
        StringBuilder out = new StringBuilder("id,text,score\n");
        for (int i = first; i < first + count; i++) {
            out.append(i).append(",row ").append(i).append(',').append(i / 4.0).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] jsonArray(int count) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",\n").append("{\"id\": ").append(i).append('}');
        }
        return out.append("]\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private Path csvFile(int first, int count) throws IOException {
        return Files.write(Files.createTempFile(dir, "source-", ".csv"), csv(first, count));
    }

    private byte[] parquet(int rows) throws Exception {
        Path file = dir.resolve("made-" + rows + ".parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT range AS id, 'row ' || range AS text FROM range(" + rows + ")) TO '" + file
                    + "' (FORMAT parquet)");
        }
        return Files.readAllBytes(file);
    }

    private RevCommit exportCommit() throws IOException {
        Ref ref = git.exactRef(ParquetExport.REF);
        assertNotNull(ref, "the export's ref");
        try (RevWalk walk = new RevWalk(git)) {
            return walk.parseCommit(ref.getObjectId());
        }
    }

    /** The export's Parquet files, by path in order, as the LFS pointers they are. */
    private Map<String, LfsPointer> pointers(RevCommit commit) throws IOException {
        Map<String, LfsPointer> out = new TreeMap<>();
        try (TreeWalk walk = new TreeWalk(git)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                if (walk.getPathString().endsWith(".parquet")) {
                    out.put(walk.getPathString(), LfsPointer.parse(git.open(walk.getObjectId(0)).getBytes())
                            .orElseThrow(() -> new AssertionError(walk.getPathString() + " is no LFS pointer")));
                }
            }
        }
        return out;
    }

    private String text(RevCommit commit, String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(git, path, commit.getTree())) {
            return new String(git.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A stored large file, copied out where DuckDB reads it. */
    private Path stored(LfsPointer pointer) throws IOException {
        Path copy = dir.resolve("read-" + pointer.oid().hex() + ".parquet");
        try (InputStream in = blobs.open(pointer.oid(), 0, pointer.size())) {
            Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(pointer.oid(), Sha256.of(Files.readAllBytes(copy)), "the bytes its pointer names");
        return copy;
    }

    /** One text expression over every row of a Parquet file, in order. */
    private static List<String> select(String expression, Path parquet) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + expression + " FROM read_parquet('" + parquet + "')")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** The {@code huggingface} entries of a Parquet file's key-value metadata (datasets' features). */
    private static List<String> huggingfaceMetadata(Path parquet) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT decode(value) FROM parquet_kv_metadata('" + parquet
                     + "') WHERE decode(key) = 'huggingface'")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** Every row of a CSV or Parquet file, in order, as text. */
    private static List<String> rows(Path file) throws SQLException {
        String reader = file.toString().endsWith(".csv") ? "read_csv" : "read_parquet";
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, text, score FROM " + reader + "('" + file + "')")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getDouble(3));
            }
        }
        return rows;
    }

    private int count(String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Integer.class).one());
    }
}
