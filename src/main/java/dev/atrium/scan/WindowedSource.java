package dev.atrium.scan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A file read through a function that returns byte ranges, streamed a window at a time: however the file is stored
 * (a blob, a Xet reconstruction, a git object), a scan holds at most one window, and bytes it skips past the current
 * window are never read.
 */
final class WindowedSource implements ByteSource {
    /** Up to {@code length} bytes from {@code offset}; fewer only at the end of the file. */
    @FunctionalInterface
    interface Ranges {
        byte[] read(long offset, int length) throws IOException;
    }

    private final long size;
    private final int window;
    private final Ranges ranges;

    WindowedSource(long size, int window, Ranges ranges) {
        this.size = size;
        this.window = window;
        this.ranges = ranges;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open(long offset, long length) {
        return new Windows(offset, Math.min(size, offset + length));
    }

    private final class Windows extends InputStream {
        private final long end;
        private long next;
        private InputStream current = InputStream.nullInputStream();

        Windows(long offset, long end) {
            this.next = offset;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = current.read(b, off, len);
            while (n < 0 && next < end) {
                byte[] bytes = ranges.read(next, (int) Math.min(window, end - next));
                if (bytes.length == 0) {
                    return -1;
                }
                next += bytes.length;
                current = new ByteArrayInputStream(bytes);
                n = current.read(b, off, len);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = current.skip(n);
            long further = Math.max(0, Math.min(n - skipped, end - next));
            next += further;
            return skipped + further;
        }
    }
}
