package dev.atrium.repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/** A real bare repository in a temp folder, with shortcuts for the repo tests. */
final class TestGit implements AutoCloseable {
    static final PersonIdent AUTHOR = new PersonIdent("alice", "alice@example.com", 1_700_000_000_000L, 0);

    final Repository repo;

    private TestGit(Repository repo) {
        this.repo = repo;
    }

    static TestGit init(Path dir) throws IOException {
        Repository repo = new FileRepositoryBuilder().setGitDir(dir.resolve("repo.git").toFile()).setBare().build();
        repo.create(true);
        return new TestGit(repo);
    }

    ObjectId blob(byte[] content) throws IOException {
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            ObjectId id = inserter.insert(Constants.OBJ_BLOB, content);
            inserter.flush();
            return id;
        }
    }

    ObjectId blob(String content) throws IOException {
        return blob(content.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts {@code files} (path to text) on top of the branch's head with CommitWriter. */
    RevCommit commit(String branch, Map<String, String> files) throws IOException {
        List<TreeEdit> edits = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            edits.add(new TreeEdit.PutBlob(f.getKey(), blob(f.getValue())));
        }
        return commit(branch, edits);
    }

    RevCommit commit(String branch, List<TreeEdit> edits) throws IOException {
        String refName = Constants.R_HEADS + branch;
        ObjectId old = head(refName);
        RevCommit parent = old == null ? null : parse(old);
        return parse(CommitWriter.commit(repo, new CommitWriter.Request(refName, old, parent, edits, AUTHOR,
                "commit on " + branch)));
    }

    static Map<String, String> files(String... pathAndContent) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pathAndContent.length; i += 2) {
            m.put(pathAndContent[i], pathAndContent[i + 1]);
        }
        return m;
    }

    ObjectId head(String refName) throws IOException {
        Ref ref = repo.exactRef(refName);
        return ref == null ? null : ref.getObjectId();
    }

    RevCommit parse(ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(id);
        }
    }

    ObjectId annotatedTag(String name, ObjectId target) throws IOException {
        TagBuilder tag = new TagBuilder();
        tag.setTag(name);
        tag.setObjectId(target, Constants.OBJ_COMMIT);
        tag.setTagger(AUTHOR);
        tag.setMessage("release " + name);
        ObjectId tagId;
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            tagId = inserter.insert(tag);
            inserter.flush();
        }
        setRef(Constants.R_TAGS + name, tagId);
        return tagId;
    }

    void setRef(String refName, ObjectId target) throws IOException {
        RefUpdate update = repo.updateRef(refName);
        update.setNewObjectId(target);
        update.setForceUpdate(true);
        RefUpdate.Result result = update.update();
        if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED
                && result != RefUpdate.Result.NO_CHANGE) {
            throw new IOException("could not set " + refName + ": " + result);
        }
    }

    /** Every file path in the commit's tree mapped to its content. */
    Map<String, String> tree(ObjectId commit) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(parse(commit).getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                out.put(walk.getPathString(),
                        new String(repo.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        repo.close();
    }
}
