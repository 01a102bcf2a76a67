package dev.atrium.git;

import dev.atrium.lfs.LfsPointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevObject;

/**
 * Finds what a push adds that the hub refuses: plain git blobs above the size limit (they belong in LFS) and LFS
 * pointers to objects the repo was never sent. Only objects new to the repository are looked at, so a push costs
 * in proportion to what it brings, not to the size of the history.
 */
public final class PushScanner {

    /** Whether the repo may reference an LFS object (present in the store and linked to the repo). */
    @FunctionalInterface
    public interface LfsCheck {
        boolean isAvailable(LfsPointer pointer) throws IOException;
    }

    /** Something a push must not bring in, with the path it was first seen at. */
    public sealed interface Violation permits OversizedBlob, MissingLfsObject {
        String path();
    }

    public record OversizedBlob(String path, long size) implements Violation {}

    public record MissingLfsObject(String path, LfsPointer pointer) implements Violation {}

    private final long blobLimit;
    private final LfsCheck lfs;

    public PushScanner(long blobLimit, LfsCheck lfs) {
        this.blobLimit = blobLimit;
        this.lfs = lfs;
    }

    /**
     * Walks the objects reachable from {@code tip} and from none of {@code known} (the repository's current refs).
     *
     * @param max stop after this many violations: one is enough to refuse, a few make a useful message
     */
    public List<Violation> scan(Repository git, AnyObjectId tip, Collection<? extends AnyObjectId> known, int max)
            throws IOException {
        List<Violation> found = new ArrayList<>();
        try (ObjectWalk walk = new ObjectWalk(git)) {
            walk.markStart(walk.parseAny(tip));
            for (AnyObjectId id : known) {
                try {
                    walk.markUninteresting(walk.parseAny(id));
                } catch (MissingObjectException e) {
                    // a ref to a missing object is the repository's problem, not this push's
                }
            }
            while (walk.next() != null) {
                // commits first; their trees and blobs follow from nextObject()
            }
            ObjectReader reader = walk.getObjectReader();
            RevObject object;
            while (found.size() < max && (object = walk.nextObject()) != null) {
                if (object.getType() == Constants.OBJ_BLOB) {
                    check(reader, object, walk.getPathString()).ifPresent(found::add);
                }
            }
        }
        return found;
    }

    private Optional<Violation> check(ObjectReader reader, RevObject blob, String path) throws IOException {
        long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
        if (size > blobLimit) {
            return Optional.of(new OversizedBlob(path, size));
        }
        if (size > LfsPointer.MAX_POINTER_SIZE) {
            return Optional.empty();
        }
        byte[] content = reader.open(blob, Constants.OBJ_BLOB).getCachedBytes(LfsPointer.MAX_POINTER_SIZE);
        Optional<LfsPointer> pointer = LfsPointer.parse(content);
        if (pointer.isPresent() && !lfs.isAvailable(pointer.get())) {
            return Optional.of(new MissingLfsObject(path, pointer.get()));
        }
        return Optional.empty();
    }
}
