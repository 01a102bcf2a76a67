package dev.atrium.search;

import java.io.IOException;

/** Reads the first bytes of a file in a repo, whatever stores it (git, LFS blob, Xet): headers only, never a whole file. */
@FunctionalInterface
public interface HeaderReader {
    /** Up to {@code length} bytes starting at {@code offset}; fewer only at the end of the file. */
    byte[] read(long offset, int length) throws IOException;
}
