package dev.atrium.repo;

import dev.atrium.http.Errors;
import java.io.IOException;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Turns what clients send as a revision (branch, tag, full or abbreviated sha, {@code HEAD}, {@code refs/pr/1}) into a
 * commit.
 */
public final class Revisions {
    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}");
    /** Git's default abbreviation is 7 digits; shorter ones too easily read as a branch name ("cafe"). */
    private static final Pattern SHORT_SHA = Pattern.compile("[0-9a-fA-F]{7,39}");
    public static final String DEFAULT_BRANCH = "main";

    private Revisions() {}

    public record Resolved(RevCommit commit, String refName) {
        public String sha() {
            return commit.name();
        }
    }

    /** The commit {@code revision} points at; {@link Errors.RevisionNotFound} when it names nothing. */
    public static Resolved resolve(Repository repo, String revision) throws IOException {
        Ref ref = findRef(repo, revision);
        ObjectId target = null;
        String refName = null;
        if (ref != null) {
            Ref peeled = repo.getRefDatabase().peel(ref);
            target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
            refName = ref.getName();
        } else if (FULL_SHA.matcher(revision).matches()) {
            target = ObjectId.fromString(revision.toLowerCase(java.util.Locale.ROOT));
        } else if (SHORT_SHA.matcher(revision).matches()) {
            target = uniqueCommit(repo, revision);
        }
        if (target == null) {
            throw new Errors.RevisionNotFound(revision);
        }
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(target);
            return new Resolved(commit, refName);
        } catch (org.eclipse.jgit.errors.MissingObjectException
                 | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw new Errors.RevisionNotFound(revision);
        }
    }

    /** The one commit whose id starts with {@code prefix}; null when none does, or several (git calls it ambiguous). */
    static ObjectId uniqueCommit(Repository repo, String prefix) throws IOException {
        try (ObjectReader reader = repo.newObjectReader()) {
            ObjectId found = null;
            for (ObjectId candidate : reader.resolve(AbbreviatedObjectId.fromString(prefix))) {
                if (reader.open(candidate).getType() != Constants.OBJ_COMMIT) {
                    continue;
                }
                if (found != null) {
                    return null;
                }
                found = candidate;
            }
            return found;
        }
    }

    /** The ref a revision names, trying branches before tags as the Hub does; null when it is not a ref. */
    public static Ref findRef(Repository repo, String revision) throws IOException {
        if (revision.isEmpty() || revision.contains("..") || revision.startsWith("/")) {
            return null;
        }
        if (revision.equals(Constants.HEAD)) {
            return repo.exactRef(Constants.R_HEADS + DEFAULT_BRANCH);
        }
        if (revision.startsWith("refs/")) {
            return repo.exactRef(revision);
        }
        Ref branch = repo.exactRef(Constants.R_HEADS + revision);
        return branch != null ? branch : repo.exactRef(Constants.R_TAGS + revision);
    }

    /** A ref that commits may be added to: a branch or a pull-request ref, never a tag. */
    public static String writableRefName(Repository repo, String revision) throws IOException {
        if (revision.equals(Constants.HEAD)) {
            return Constants.R_HEADS + DEFAULT_BRANCH;
        }
        if (revision.startsWith("refs/pr/") || revision.startsWith(Constants.R_HEADS)) {
            return revision;
        }
        if (revision.startsWith("refs/")) {
            throw new Errors.BadRequest("Cannot commit to " + revision + ": only branches accept commits");
        }
        if (repo.exactRef(Constants.R_HEADS + revision) == null && repo.exactRef(Constants.R_TAGS + revision) != null) {
            throw new Errors.BadRequest("Cannot commit to tag " + revision + ": only branches accept commits");
        }
        return Constants.R_HEADS + revision;
    }
}
