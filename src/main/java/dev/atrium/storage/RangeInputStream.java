package dev.atrium.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Ends after {@code length} bytes of the stream it wraps: a file opened for a range reads no further than it, and an
 * object's ranged body knows whether it was read to its end.
 */
public class RangeInputStream extends FilterInputStream {
    private long remaining;

    public RangeInputStream(InputStream in, long length) {
        super(in);
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = in.read();
        if (b >= 0) {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining <= 0) {
            return length == 0 ? 0 : -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(Math.min(n, remaining));
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), remaining);
    }

    /** Bytes of the range not read yet. */
    final long remaining() {
        return remaining;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
