package dev.atrium.viewer;

import dev.atrium.http.HubException;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.lfs.LfsPointer;
import dev.atrium.repo.CommitWriter;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.RefMovedException;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.TreeEdit;
import dev.atrium.storage.BlobMismatchException;
import dev.atrium.storage.Sha256;
import dev.atrium.viewer.ParquetExports.Skipped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jspecify.annotations.Nullable;

/**
 * Writes a dataset's Parquet export, as the Hub's parquet-converter does: {@code refs/convert/parquet} holds one
 * commit, without history, with each split of each config at {@code {config}/{split}/0000.parquet} (and on, for a
 * folder of images or sounds written in parts). Splits already in Parquet point at their own files (nothing is
 * copied); the others are converted by DuckDB. The commit names the
 * default branch's commit it was made from, and the splits left out and why, as trailers of its message: the export
 * and what it says of itself change together, in one compare-and-swap of the ref.
 */
final class ParquetExport {
    static final String REF = "refs/convert/parquet";
    static final String SOURCE_TRAILER = "Source-Commit";
    static final String SKIPPED_TRAILER = "Not-Converted";
    static final String VERSION_TRAILER = "Converter-Version";
    /**
     * What this converter writes, in each export's message: 2 added folders with metadata, partial splits, text and
     * WebDataset; an export of an older version is made again (by the start-up pass, or when asked for), so that an
     * upgrade reaches datasets whose main has not moved since. An older node takes a newer export as it is.
     */
    static final int VERSION = 2;
    /** The prefix of the folder of a split exported from its first files only. */
    static final String PARTIAL = "partial-";
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final String GITATTRIBUTES = "*.parquet filter=lfs diff=lfs merge=lfs -text\n";

    /** What an export wrote: its commit, the default branch's commit it was made from, and the splits left out. */
    record Made(String commit, String source, List<Skipped> skipped) {}

    private final RepoService repoService;
    private final DatasetViewer viewer;
    private final LfsObjects lfs;
    private final Clock clock;

    ParquetExport(RepoService repoService, DatasetViewer viewer, LfsObjects lfs, Clock clock) {
        this.repoService = repoService;
        this.viewer = viewer;
        this.lfs = lfs;
        this.clock = clock;
    }

    /** The default branch's commit the export at {@code commit} was made from, read from its message. */
    static Optional<String> sourceOf(RevCommit commit) {
        return commit.getFooterLines(SOURCE_TRAILER).stream().findFirst().map(String::strip);
    }

    /** The splits the export at {@code commit} left out, read from its message. */
    static List<Skipped> skippedOf(RevCommit commit) {
        List<Skipped> skipped = new ArrayList<>();
        for (String line : commit.getFooterLines(SKIPPED_TRAILER)) {
            String[] parts = line.strip().split(" ", 2);
            String[] split = parts[0].split("/", 2);
            if (parts.length == 2 && split.length == 2) {
                skipped.add(new Skipped(split[0], split[1], parts[1]));
            }
        }
        return skipped;
    }

    /**
     * Brings the export up to the default branch's head: nothing when it already is, or when the dataset has no
     * commit; the ref is deleted when the head has no data files.
     *
     * @throws IOException when storage fails; the ref is then left as it was
     */
    Optional<Made> run(Repo repo) throws IOException {
        Optional<DatasetViewer.Snapshot> found = viewer.snapshot(repo);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DatasetViewer.Snapshot snapshot = found.get();
        try (Repository git = repoService.openGit(repo); RevWalk walk = new RevWalk(git)) {
            Ref current = git.exactRef(REF);
            if (current != null && isCurrent(walk.parseCommit(current.getObjectId()), snapshot.commit(), false)) {
                return Optional.empty();
            }
            if (snapshot.configs().isEmpty()) {
                if (current != null) {
                    var delete = git.updateRef(REF);
                    delete.setExpectedOldObjectId(current.getObjectId());
                    delete.setForceUpdate(true);
                    if (delete.delete() != RefUpdate.Result.FORCED) {
                        throw new RefMovedException(REF); // another export came first: its files stay
                    }
                }
                lfs.keepDerived(repo, Map.of());
                return Optional.empty();
            }
            Written written = write(git, repo, snapshot);
            ObjectId commit = CommitWriter.replace(git, new CommitWriter.Request(REF,
                    current == null ? null : current.getObjectId(), null, written.edits(),
                    new PersonIdent("parquet-converter", "parquet-converter@users.noreply.atrium",
                            Instant.ofEpochMilli(clock.millis()), ZoneOffset.UTC),
                    message(snapshot.commit(), written.skipped())));
            // After the ref moved, and re-asserting its own files: a slower export on another node may have let
            // them go in between, and this one's are what the ref now points at.
            lfs.keepDerived(repo, written.derived());
            return Optional.of(new Made(commit.name(), snapshot.commit(), written.skipped()));
        }
    }

    private record Written(List<TreeEdit> edits, Map<Sha256, Long> derived, List<Skipped> skipped) {}

    private Written write(Repository git, Repo repo, DatasetViewer.Snapshot snapshot) throws IOException {
        List<TreeEdit> edits = new ArrayList<>();
        Map<Sha256, Long> derived = new LinkedHashMap<>();
        List<Skipped> skipped = new ArrayList<>();
        try (ObjectInserter inserter = git.newObjectInserter()) {
            edits.add(new TreeEdit.PutBlob(".gitattributes",
                    inserter.insert(Constants.OBJ_BLOB, GITATTRIBUTES.getBytes(StandardCharsets.UTF_8))));
            for (DataConfigs.Config config : snapshot.configs()) {
                for (DataFiles.Split split : config.splits()) {
                    if (!PATH_SEGMENT.matcher(config.name()).matches()
                            || !PATH_SEGMENT.matcher(split.name()).matches()) {
                        skipped.add(new Skipped(config.name(), split.name(), "its name cannot be a folder's"));
                        continue;
                    }
                    try {
                        Stored stored = split.format() == DataFiles.Format.PARQUET
                                ? new Stored(ownFiles(git, repo, snapshot, split, derived), false)
                                : converted(repo, snapshot, config, split, derived);
                        List<LfsPointer> files = stored.files();
                        // As the Hub names a split converted from its first rows only.
                        String folder = config.name() + "/" + (stored.partial() ? PARTIAL : "") + split.name() + "/";
                        for (int i = 0; i < files.size(); i++) {
                            edits.add(new TreeEdit.PutBlob(folder + String.format("%04d.parquet", i),
                                    inserter.insert(Constants.OBJ_BLOB, files.get(i).encode())));
                        }
                    } catch (ViewerErrors.SplitTooBig | ViewerErrors.FileTooBig | ViewerErrors.UnreadableSplit e) {
                        skipped.add(new Skipped(config.name(), split.name(), oneLine(e)));
                    }
                }
            }
            inserter.flush();
        }
        return new Written(edits, derived, skipped);
    }

    /**
     * A split already in Parquet: its files as they are, as the Hub links them. A small one kept in git becomes a
     * large file of the export's, as every file of the export is.
     */
    private List<LfsPointer> ownFiles(Repository git, Repo repo, DatasetViewer.Snapshot snapshot,
                                      DataFiles.Split split, Map<Sha256, Long> derived) throws IOException {
        List<LfsPointer> pointers = new ArrayList<>();
        for (String path : split.paths()) {
            FileEntry file = snapshot.files().get(path);
            if (file.lfs() != null) {
                pointers.add(file.lfs());
                continue;
            }
            ObjectId blob = ObjectId.fromString(file.oid());
            pointers.add(storeDerived(repo, file.size(), () -> git.open(blob, Constants.OBJ_BLOB).openStream(),
                    derived));
        }
        return pointers;
    }

    /** A split's files in the export, and whether they hold its first rows only. */
    private record Stored(List<LfsPointer> files, boolean partial) {}

    /**
     * A split in another format (a table, or a folder of images or sounds), written to Parquet by DuckDB and stored as
     * large files of the export's.
     */
    private Stored converted(Repo repo, DatasetViewer.Snapshot snapshot, DataConfigs.Config config,
                             DataFiles.Split split, Map<Sha256, Long> derived) throws IOException {
        DatasetViewer.Converted written = viewer.writeParquet(repo, snapshot, config.name(), split.name());
        try {
            List<LfsPointer> pointers = new ArrayList<>();
            for (Path file : written.files()) {
                pointers.add(storeDerived(repo, Files.size(file), () -> Files.newInputStream(file), derived));
            }
            return new Stored(pointers, written.partial());
        } finally {
            for (Path file : written.files()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Content that can be read more than once: the store wants its SHA-256 before it takes it. */
    @FunctionalInterface
    private interface Content {
        InputStream open() throws IOException;
    }

    /** Stores {@code content} as a large file of the export's: read once for its SHA-256, once into the store. */
    private LfsPointer storeDerived(Repo repo, long size, Content content, Map<Sha256, Long> derived)
            throws IOException {
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(content.open(), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        Sha256 oid = Sha256.of(digest);
        try (InputStream in = content.open()) {
            lfs.storeDerived(repo, oid, size, in);
        } catch (BlobMismatchException e) {
            throw new IOException("the bytes of " + oid + " changed while they were stored", e);
        }
        derived.put(oid, size);
        return new LfsPointer(oid, size);
    }

    private static String message(String source, List<Skipped> skipped) {
        StringBuilder message = new StringBuilder("Update parquet files\n\n");
        message.append(SOURCE_TRAILER).append(": ").append(source).append('\n');
        message.append(VERSION_TRAILER).append(": ").append(VERSION).append('\n');
        for (Skipped s : skipped) {
            message.append(SKIPPED_TRAILER).append(": ").append(asWord(s.config())).append('/')
                    .append(asWord(s.split())).append(' ').append(s.reason()).append('\n');
        }
        return message.toString();
    }

    /** A name as one word of a trailer line, which a config named with slashes, spaces or lines must not break. */
    private static String asWord(String name) {
        return name.isBlank() ? "_" : name.replaceAll("[\\s/]+", "_");
    }

    private static String oneLine(HubException e) {
        String text = e.getMessage() == null ? e.toString() : e.getMessage();
        return text.replaceAll("\\s+", " ").strip();
    }

    /**
     * The export's commit when it was made from {@code source} by this converter's version or a newer one (by any
     * version, with {@code anyVersion}: an export is still served when exports are turned off).
     */
    static Optional<RevCommit> current(Repository git, RevWalk walk, @Nullable String source, boolean anyVersion)
            throws IOException {
        Ref ref = git.exactRef(REF);
        if (ref == null || source == null) {
            return Optional.empty();
        }
        RevCommit commit = walk.parseCommit(ref.getObjectId());
        return isCurrent(commit, source, anyVersion) ? Optional.of(commit) : Optional.empty();
    }

    private static boolean isCurrent(RevCommit commit, String source, boolean anyVersion) {
        return sourceOf(commit).orElse("").equals(source) && (anyVersion || versionOf(commit) >= VERSION);
    }

    /** The converter version that made the export at {@code commit}: 1 for exports before the trailer. */
    static int versionOf(RevCommit commit) {
        try {
            return commit.getFooterLines(VERSION_TRAILER).stream().findFirst().map(String::strip)
                    .map(Integer::parseInt).orElse(1);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
