package dev.atrium.repo;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The history of a commit in the order the commits API lists it (newest first, children before parents), kept as the
 * commits' ids, so that any page of it and its length cost no walk once known. A client listing a history reads it a
 * page at a time ({@code list_repo_commits} reads every page): with a walk per page, 200,000 commits took 4,000
 * walks of up to 200,000 commits. The order of a head never changes, so it is kept by repo and head; the least
 * recently used go first past a byte budget.
 */
public final class CommitOrder {
    /** Up to this many bytes of ids are kept (20 a commit): 3 million commits in all. */
    private static final long BUDGET = 64L << 20;

    /** The ids of a history, 20 bytes each, in order. */
    public record Ids(byte[] raw) {
        public int size() {
            return raw.length / Constants.OBJECT_ID_LENGTH;
        }

        public ObjectId get(int index) {
            return ObjectId.fromRaw(raw, index * Constants.OBJECT_ID_LENGTH);
        }
    }

    private final Map<String, Ids> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    /** The history of {@code head} in {@code repo}, walked once per head. */
    public Ids of(Repo repo, Repository git, AnyObjectId head) throws IOException {
        String key = repo.id() + " " + head.name();
        synchronized (this) {
            Ids known = cache.get(key);
            if (known != null) {
                return known;
            }
        }
        Ids ids = walk(git, head);
        synchronized (this) {
            if (cache.putIfAbsent(key, ids) == null) {
                cachedBytes += ids.raw().length;
                var eldest = cache.entrySet().iterator();
                while (cachedBytes > BUDGET && eldest.hasNext()) {
                    var e = eldest.next();
                    if (e.getValue() != ids) {
                        cachedBytes -= e.getValue().raw().length;
                        eldest.remove();
                    }
                }
            }
        }
        return ids;
    }

    private static Ids walk(Repository git, AnyObjectId head) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            walk.setRetainBody(false); // only the order is kept; a page reads its own commits
            walk.sort(RevSort.COMMIT_TIME_DESC);
            walk.sort(RevSort.TOPO, true);
            walk.markStart(walk.parseCommit(head));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] id = new byte[Constants.OBJECT_ID_LENGTH];
            for (RevCommit c : walk) {
                c.copyRawTo(id, 0);
                out.write(id, 0, id.length);
            }
            return new Ids(out.toByteArray());
        }
    }
}
