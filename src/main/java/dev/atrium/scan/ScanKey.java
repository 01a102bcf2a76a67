package dev.atrium.scan;

import dev.atrium.repo.FileEntry;

/**
 * What a scan is kept under: a large file's SHA-256 (LFS or Xet), or {@code git:} and the blob id of a file stored in
 * git itself. A file is scanned once, whatever repos and paths hold it.
 */
public record ScanKey(String id) {
    public static ScanKey of(FileEntry file) {
        return file.lfs() != null ? new ScanKey(file.lfs().oid().hex()) : new ScanKey("git:" + file.oid());
    }

    boolean inGit() {
        return id.startsWith("git:");
    }
}
