package dev.atrium.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An upload's temp file, written front to back and then made durable. Two ways to write it: {@link DirectTempFile}
 * bypasses the page cache, {@link BufferedTempFile} goes through it where the file system refuses direct I/O.
 */
interface TempFile extends AutoCloseable {
    /** Appends {@code length} bytes of {@code buffer}; the caller may reuse the buffer when this returns. */
    void append(byte[] buffer, int length) throws IOException;

    /** Makes everything appended durable, file size included. */
    void force() throws IOException;

    @Override
    void close() throws IOException;

    /** Opens temp files of one kind. */
    interface Opener {
        TempFile open(Path path) throws IOException;

        String description();
    }
}
