package dev.atrium.backup;

import dev.atrium.db.Database;
import java.time.Instant;
import java.util.List;

/**
 * The file that marks a folder as a complete backup, written last: when it was taken, what it holds, and what it
 * does not (metadata in PostgreSQL, large files in object storage), for whoever restores it.
 */
record Manifest(Instant taken, int repos, long blobs, Database.Dialect database, boolean localBlobs,
                List<String> notes) {
    static final String NAME = "BACKUP.txt";

    String text() {
        StringBuilder out = new StringBuilder();
        out.append("Atrium backup\n");
        out.append("taken: ").append(taken).append('\n');
        out.append("repositories: ").append(repos).append('\n');
        out.append("large files: ").append(localBlobs ? blobs + " blobs" : "not included (object storage)")
                .append('\n');
        out.append("metadata: ").append(database == Database.Dialect.SQLITE ? "atrium.db"
                : "not included (PostgreSQL)").append('\n');
        out.append("restore: stop the hub, then start it on this folder (atrium serve --data <this folder>), or move"
                + " this folder to where --data points\n");
        for (String note : notes) {
            out.append("note: ").append(note).append('\n');
        }
        return out.toString();
    }
}
