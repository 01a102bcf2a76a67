package dev.atrium.commit;

import dev.atrium.auth.Principal;
import dev.atrium.card.FrontMatter;
import dev.atrium.card.InvalidCardException;
import dev.atrium.http.Errors;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.lfs.LfsPointer;
import dev.atrium.repo.CommitWriter;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RefMovedException;
import dev.atrium.repo.Repos;
import dev.atrium.repo.Revisions;
import dev.atrium.repo.TreeEdit;
import dev.atrium.repo.TreeReader;
import dev.atrium.storage.BlobMismatchException;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Applies a parsed NDJSON commit to a branch: checks every operation against the current tree, stores large inline
 * files as LFS objects (adding a {@code .gitattributes} rule when none covers them, so git clients see the real
 * file), writes the tree and commit, and moves the branch with a compare-and-swap.
 */
public final class CommitService {
    private static final int MAX_ATTEMPTS = 5;
    private static final String GITATTRIBUTES = ".gitattributes";
    private static final int MAX_GITATTRIBUTES = 10 << 20;
    private final ReentrantLock[] branchLocks = newLocks(64);
    private final LfsObjects lfsObjects;
    private final Repos repos;
    private final Clock clock;
    private final long gitBlobLimit;

    public CommitService(LfsObjects lfsObjects, Repos repos, Clock clock, long gitBlobLimit) {
        this.lfsObjects = lfsObjects;
        this.repos = repos;
        this.clock = clock;
        this.gitBlobLimit = gitBlobLimit;
    }

    /**
     * Without a {@code parentCommit} the client asked for "on top of whatever the branch is", as on the Hub: when
     * another writer moves the branch first, the operations are applied again on its new head. With one, a moved
     * branch is the client's business: 412.
     */
    public ObjectId apply(Repository git, Repo repo, Principal author, String revision,
                          NdjsonCommitParser.ParsedCommit parsed) throws IOException {
        String refName = Revisions.writableRefName(git, revision);
        requireValidCard(parsed);
        // Writers of one branch queue here instead of racing; the compare-and-swap still guards against other
        // processes (git pushes, other nodes), whose wins are retried below.
        ReentrantLock lock = branchLocks[Math.floorMod((repo.id() + refName).hashCode(), branchLocks.length)];
        for (int attempt = 1; ; attempt++) {
            lock.lock();
            try {
                return attempt(git, repo, author, revision, refName, parsed);
            } catch (RefMovedException e) {
                if (parsed.header().parentCommit() != null || attempt == MAX_ATTEMPTS) {
                    throw new Errors.StaleParent("The branch " + refName + " was updated by someone else while this "
                            + "commit was prepared; retry on its new head");
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * A README.md whose YAML metadata does not parse, or whose model-index has the wrong shape, is refused with the
     * fault named, as the Hub does.
     */
    private static void requireValidCard(NdjsonCommitParser.ParsedCommit parsed) throws IOException {
        for (CommitOperation op : parsed.operations()) {
            if (op instanceof CommitOperation.AddFile add && add.path().equals("README.md")
                    && add.content().size() <= FrontMatter.MAX_BYTES * 2L) {
                String text;
                try (java.io.InputStream in = add.content().open()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                try {
                    FrontMatter.validate(text);
                } catch (InvalidCardException e) {
                    throw new Errors.BadRequest("Invalid metadata in README.md: " + e.getMessage());
                }
            }
        }
    }

    private ObjectId attempt(Repository git, Repo repo, Principal author, String revision, String refName,
                             NdjsonCommitParser.ParsedCommit parsed) throws IOException {
        Ref ref = git.exactRef(refName);
        if (ref == null) {
            throw new Errors.RevisionNotFound(revision);
        }
        RevCommit parent;
        try (RevWalk walk = new RevWalk(git)) {
            parent = walk.parseCommit(ref.getObjectId());
        }
        checkParent(parsed.header().parentCommit(), parent);

        Map<String, Pending> puts = new LinkedHashMap<>();
        List<TreeEdit> deletes = new ArrayList<>();
        Set<String> deletedFiles = new HashSet<>();
        Set<String> deletedFolders = new HashSet<>();
        for (CommitOperation requested : parsed.operations()) {
            CommitOperation op = folderIfOne(git, parent, requested, puts.keySet());
            if (op instanceof CommitOperation.AddFile add) {
                puts.put(add.path(), new Pending.Inline(add.content()));
            } else if (op instanceof CommitOperation.AddLfsFile lfs) {
                puts.put(lfs.path(), new Pending.Lfs(lfs.oid(), lfsSize(repo, lfs)));
            } else if (op instanceof CommitOperation.DeleteFile del) {
                boolean pending = puts.remove(del.path()) != null;
                boolean inParent = CommitWriter.fileExists(git, parent, del.path())
                        && !isDeleted(del.path(), deletedFiles, deletedFolders);
                if (inParent) {
                    deletedFiles.add(del.path());
                    deletes.add(new TreeEdit.DeleteFile(del.path()));
                } else if (!pending) {
                    throw new Errors.EntryNotFound("A file with this name doesn't exist: " + del.path());
                }
            } else if (op instanceof CommitOperation.DeleteFolder del) {
                boolean pending = puts.keySet().removeIf(p -> p.startsWith(del.path() + "/"));
                if (CommitWriter.folderExists(git, parent, del.path())
                        && !isDeleted(del.path(), deletedFiles, deletedFolders)) {
                    deletes.add(new TreeEdit.DeleteFolder(del.path()));
                    deletedFolders.add(del.path());
                } else if (!pending) {
                    throw new Errors.EntryNotFound("A folder with this name doesn't exist: " + del.path());
                }
            }
        }

        requireNoFileFolderClash(git, parent, puts.keySet(), deletedFiles, deletedFolders);
        byte[] attributes = resultingGitattributes(git, parent, puts, deletedFiles);
        LfsRules rules = LfsRules.parse(new String(attributes, StandardCharsets.UTF_8));
        List<String> newRules = new ArrayList<>();
        List<TreeEdit> edits = new ArrayList<>(deletes);
        boolean attributesSent = puts.get(GITATTRIBUTES) instanceof Pending.Inline;
        try (ObjectInserter inserter = git.newObjectInserter()) {
            for (Map.Entry<String, Pending> e : puts.entrySet()) {
                String path = e.getKey();
                if (path.equals(GITATTRIBUTES) && attributesSent) {
                    continue; // written last, with any rules this commit needs
                }
                ObjectId blob = insert(inserter, repo, path, e.getValue(), rules, newRules);
                edits.add(new TreeEdit.PutBlob(path, blob));
            }
            if (!newRules.isEmpty()) {
                edits.add(new TreeEdit.PutBlob(GITATTRIBUTES,
                        inserter.insert(Constants.OBJ_BLOB, withRules(attributes, newRules))));
            } else if (attributesSent) {
                edits.add(new TreeEdit.PutBlob(GITATTRIBUTES, inserter.insert(Constants.OBJ_BLOB, attributes)));
            }
            inserter.flush();
        }
        PersonIdent ident = new PersonIdent(author.user().name(), author.user().email(),
                Instant.ofEpochMilli(clock.millis()), ZoneOffset.UTC);
        ObjectId commit = CommitWriter.commit(git, new CommitWriter.Request(refName, parent, parent, edits, ident,
                parsed.header().message()));
        for (Pending pending : puts.values()) {
            if (pending instanceof Pending.Lfs lfs) {
                lfsObjects.noteCommitted(repo, lfs.oid());
            }
        }
        repos.touch(repo, clock.millis(), List.of(Repos.RefChange.of(refName, parent, commit)));
        return commit;
    }

    private static ReentrantLock[] newLocks(int count) {
        ReentrantLock[] locks = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            locks[i] = new ReentrantLock();
        }
        return locks;
    }

    private sealed interface Pending {
        record Inline(StagingArea.Staged content) implements Pending {}

        record Lfs(Sha256 oid, long size) implements Pending {}
    }

    private static void checkParent(String parentCommit, RevCommit head) {
        if (parentCommit == null || parentCommit.isEmpty()) {
            return;
        }
        String expected = parentCommit.toLowerCase(java.util.Locale.ROOT);
        if (!expected.matches("[0-9a-f]{5,40}")) {
            throw new Errors.BadRequest("'parentCommit' must be a commit sha");
        }
        if (!head.name().startsWith(expected)) {
            // The Hub's first sentence (its web editor sends parentCommit too), which scripts may look for.
            throw new Errors.StaleParent("The branch was updated since you opened this page. Please refresh and try"
                    + " again. Its head is " + head.name() + ", not the parentCommit " + parentCommit + ".");
        }
    }

    private long lfsSize(Repo repo, CommitOperation.AddLfsFile lfs) throws IOException {
        OptionalLong stored = lfsObjects.sizeOf(repo, lfs.oid());
        if (stored.isEmpty()) {
            throw new Errors.BadRequest("LFS object " + lfs.oid() + " for " + lfs.path()
                    + " was not uploaded to this repository; upload it through the LFS batch API first");
        }
        if (lfs.size() != null && lfs.size() != stored.getAsLong()) {
            throw new Errors.BadRequest("LFS object " + lfs.oid() + " has size " + stored.getAsLong() + ", not "
                    + lfs.size());
        }
        return stored.getAsLong();
    }

    /**
     * The bytes of the .gitattributes the commit will have, before rules for large files are added: the one sent in
     * this commit, else none when this commit deletes it, else the parent's. Kept as bytes so that a file the
     * client sent is stored exactly as sent.
     */
    private static byte[] resultingGitattributes(Repository git, RevCommit parent, Map<String, Pending> puts,
                                                 Set<String> deletedFiles) throws IOException {
        Pending pending = puts.get(GITATTRIBUTES);
        if (pending instanceof Pending.Inline inline) {
            if (inline.content().size() > MAX_GITATTRIBUTES) {
                throw new Errors.BadRequest(".gitattributes is larger than " + MAX_GITATTRIBUTES + " bytes");
            }
            try (InputStream in = inline.content().open()) {
                return in.readAllBytes();
            }
        }
        if (pending != null || deletedFiles.contains(GITATTRIBUTES)) {
            return new byte[0];
        }
        var entry = TreeReader.find(git, parent, GITATTRIBUTES);
        if (entry.isEmpty() || entry.get().isDirectory() || entry.get().lfs() != null) {
            return new byte[0];
        }
        return git.open(ObjectId.fromString(entry.get().oid())).getCachedBytes(MAX_GITATTRIBUTES);
    }

    private static byte[] withRules(byte[] attributes, List<String> rules) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(attributes.length + 128 * rules.size());
        out.writeBytes(attributes);
        if (attributes.length > 0 && attributes[attributes.length - 1] != '\n') {
            out.write('\n');
        }
        rules.forEach(rule -> out.writeBytes((rule + "\n").getBytes(StandardCharsets.UTF_8)));
        return out.toByteArray();
    }

    private ObjectId insert(ObjectInserter inserter, Repo repo, String path, Pending pending, LfsRules rules,
                            List<String> newRules) throws IOException {
        if (pending instanceof Pending.Lfs lfs) {
            if (!rules.isLfs(path)) {
                newRules.add(LfsRules.ruleFor(path));
            }
            return inserter.insert(Constants.OBJ_BLOB, new LfsPointer(lfs.oid(), lfs.size()).encode());
        }
        StagingArea.Staged content = ((Pending.Inline) pending).content();
        // git-lfs never makes a pointer of an empty file (its clean filter passes it through), nor does the Hub.
        boolean routedToLfs = rules.isLfs(path) && content.size() > 0;
        if (routedToLfs || content.size() > gitBlobLimit) {
            try (InputStream in = content.open()) {
                lfsObjects.store(repo, content.sha256(), content.size(), in);
            } catch (BlobMismatchException e) {
                throw new IOException("staged content changed on disk", e);
            }
            if (!routedToLfs) {
                newRules.add(LfsRules.ruleFor(path));
            }
            return inserter.insert(Constants.OBJ_BLOB,
                    new LfsPointer(content.sha256(), content.size()).encode());
        }
        try (InputStream in = content.open()) {
            return inserter.insert(Constants.OBJ_BLOB, content.size(), in);
        }
    }

    /**
     * A path cannot be both a file and a folder ("a" and "a/b"). JGit's index editor would silently drop the old
     * entry, deleting files the client never asked to delete; the Hub refuses such commits, and so does Atrium.
     */
    private static void requireNoFileFolderClash(Repository git, RevCommit parent, Set<String> puts,
                                                 Set<String> deletedFiles, Set<String> deletedFolders)
            throws IOException {
        java.util.Map<String, Boolean> fileInBaseMemo = new java.util.HashMap<>();
        for (String path : puts) {
            if (CommitWriter.folderExists(git, parent, path) && !isDeleted(path, deletedFiles, deletedFolders)) {
                throw new Errors.BadRequest("Cannot add the file '" + path + "': a folder with that name exists");
            }
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                String ancestor = path.substring(0, slash);
                Boolean known = fileInBaseMemo.get(ancestor);
                if (known == null) {
                    known = CommitWriter.fileExists(git, parent, ancestor);
                    fileInBaseMemo.put(ancestor, known);
                }
                boolean fileInBase = known && !isDeleted(ancestor, deletedFiles, deletedFolders);
                if (puts.contains(ancestor) || fileInBase) {
                    throw new Errors.BadRequest("Cannot add '" + path + "': '" + ancestor + "' is a file");
                }
            }
        }
    }

    /**
     * A file deletion naming a folder ({@code deletedFile: "data"}, which the Python client sends for a path without
     * a trailing slash) deletes the folder, as on the Hub.
     */
    private static CommitOperation folderIfOne(Repository git, RevCommit parent, CommitOperation op,
                                               Set<String> pendingPuts) throws IOException {
        if (op instanceof CommitOperation.DeleteFile del && !pendingPuts.contains(del.path())
                && !CommitWriter.fileExists(git, parent, del.path())
                && CommitWriter.folderExists(git, parent, del.path())) {
            return new CommitOperation.DeleteFolder(del.path());
        }
        return op;
    }

    private static boolean isDeleted(String path, Set<String> deletedFiles, Set<String> deletedFolders) {
        if (deletedFiles.contains(path)) {
            return true;
        }
        for (String folder : deletedFolders) {
            if (path.equals(folder) || path.startsWith(folder + "/")) {
                return true;
            }
        }
        return false;
    }
}
