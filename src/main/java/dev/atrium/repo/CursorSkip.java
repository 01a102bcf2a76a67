package dev.atrium.repo;

import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.util.Paths;

/**
 * Places the entries of a tree walk against a {@link TreeCursor}, in git's tree order (names compared as bytes, a
 * folder's as if it ended in '/'), so a walk can pass over everything up to the cursor without opening the folders
 * that lie wholly before it. Only asked about entries on the way to the cursor: their parent folders are the
 * cursor's own, so an entry's depth picks the cursor's segment to compare with.
 */
final class CursorSkip {
    enum Place {
        /** Wholly before the cursor: skip it, do not open it. */
        BEFORE,
        /** A folder holding the cursor's entry: open it, do not list it. */
        ANCESTOR,
        /** The cursor's entry itself: not listed again; a folder's contents follow it. */
        AT,
        /** After the cursor: this entry and all that follow are listed. */
        AFTER
    }

    private final byte[][] segments;
    private final boolean lastIsDirectory;

    /** A non-recursive listing never opens a folder: a deeper cursor counts as its first folder. */
    CursorSkip(TreeCursor cursor, boolean recursive) {
        String[] parts = cursor.segments();
        boolean truncated = !recursive && parts.length > 1;
        int kept = truncated ? 1 : parts.length;
        this.segments = new byte[kept][];
        for (int i = 0; i < kept; i++) {
            segments[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        this.lastIsDirectory = truncated || cursor.directory();
    }

    Place place(int depth, String name, boolean directory) {
        int last = segments.length - 1;
        if (depth > last) {
            return Place.AFTER; // inside the cursor's own folder: its contents follow it
        }
        byte[] entry = name.getBytes(StandardCharsets.UTF_8);
        byte[] target = segments[depth];
        boolean targetIsDirectory = depth < last || lastIsDirectory;
        int order = Paths.compare(entry, 0, entry.length, mode(directory),
                target, 0, target.length, mode(targetIsDirectory));
        if (order < 0) {
            return Place.BEFORE;
        }
        if (order > 0) {
            return Place.AFTER;
        }
        return depth == last ? Place.AT : Place.ANCESTOR;
    }

    private static int mode(boolean directory) {
        return directory ? FileMode.TREE.getBits() : FileMode.REGULAR_FILE.getBits();
    }
}
