package dev.atrium.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream into a {@link PipelinedUpload}, for content the server writes itself: bytes are gathered into
 * the upload's buffers, and each full one is handed to the writer and hasher threads. Only the last buffer can be
 * short, as direct I/O requires.
 */
final class PipelinedOutputStream extends OutputStream {
    private final PipelinedUpload upload;
    private byte[] buffer;
    private int filled;
    private long total;
    private boolean ended;

    PipelinedOutputStream(PipelinedUpload upload) throws IOException {
        this.upload = upload;
        this.buffer = upload.buffer();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (ended) {
            throw new IOException("the stream has ended");
        }
        int off = offset;
        int len = length;
        while (len > 0) {
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(bytes, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == buffer.length) {
                upload.submit(buffer, filled);
                total += filled;
                buffer = upload.buffer();
                filled = 0;
            }
        }
    }

    /** Hands over the last, possibly short, buffer; returns the number of bytes written in all. */
    long end() throws IOException {
        if (!ended) {
            ended = true;
            if (filled > 0) {
                upload.submit(buffer, filled);
                total += filled;
            }
        }
        return total;
    }
}
