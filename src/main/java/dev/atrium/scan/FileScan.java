package dev.atrium.scan;

import java.io.IOException;
import java.util.Collection;
import java.util.Set;

/** One kind of scan of pushed files, its results kept by content ({@link ScanKey}); {@link FileScans} runs them. */
interface FileScan {
    /** A short name for logs and for the record of which repos the start-up pass has walked for it. */
    String kind();

    /** Whether a file of this path and size is scanned at all; {@code inGit}: stored in git itself, not LFS or Xet. */
    boolean wants(String path, long size, boolean inGit);

    /** The keys among {@code keys} with a stored result. */
    Set<ScanKey> scanned(Collection<ScanKey> keys);

    /**
     * Whether the scanner answers now: a pass over every repo leaves out a kind whose scanner does not, rather than
     * fail (and log) once per repo. Asked once per pass.
     */
    default boolean answers() {
        return true;
    }

    /** Scans the file and stores the result; a failure stores nothing, so the file is asked for again later. */
    void scanAndStore(ScanKey key, String path, ByteSource bytes) throws IOException;
}
