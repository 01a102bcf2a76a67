package dev.atrium.storage;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads of bytes wanted once, with O_DIRECT ({@link BlobStore#openOnce}): the disk puts them straight into a reused
 * buffer. Through the page cache, such a read would copy every byte twice, allocate a page-cache page for each (a
 * cost that grows where the machine is a VM handing free memory back to its host: 1.7 s of kernel time per GiB on
 * the benchmark machine, against 0.04 s direct) and push files that are read again out of the cache. Reads are whole
 * aligned buffers; the stream hands out the asked range of them.
 */
final class DirectReads {
    /** Large reads: without the page cache there is no read-ahead, so each read waits for the disk once. */
    private static final int BUFFER = 4 * 1024 * 1024;
    private final AlignedBuffers buffers;

    private DirectReads(AlignedBuffers buffers) {
        this.buffers = buffers;
    }

    /** Direct reads for the file system holding {@code probeDirectory}, or empty: tried once, with a real read. */
    static Optional<DirectReads> probe(Path probeDirectory) {
        return AlignedBuffers.probe(probeDirectory, BUFFER, (buffers, probe) -> {
            byte[] content = new byte[(int) buffers.blockSize() + 1];
            content[content.length - 1] = 1;
            Files.write(probe, content);
            DirectReads reads = new DirectReads(buffers);
            try (InputStream in = reads.open(probe, 1, content.length - 1)) {
                byte[] back = in.readAllBytes();
                return back.length == content.length - 1 && back[back.length - 1] == 1 ? Optional.of(reads)
                        : Optional.empty();
            }
        });
    }

    /** Bytes {@code [offset, offset + length)} of {@code file}; fewer when the file ends first. */
    InputStream open(Path file, long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        return new Range(channel, offset, length);
    }

    private final class Range extends InputStream {
        private final FileChannel channel;
        private final ByteBuffer buffer;
        private final long blockSize = buffers.blockSize();
        /** Where the next whole-buffer read starts: always block-aligned. */
        private long next;
        /** Bytes of the first buffer that come before the asked range. */
        private long before;
        private long remaining;
        private boolean ended;
        private boolean closed;

        Range(FileChannel channel, long offset, long length) {
            this.channel = channel;
            this.buffer = buffers.take();
            this.next = offset - offset % blockSize;
            this.before = offset - next;
            this.remaining = length;
            buffer.limit(0);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (remaining == 0) {
                return -1;
            }
            while (!buffer.hasRemaining()) {
                if (ended) {
                    return -1;
                }
                fill();
            }
            int n = (int) Math.min(Math.min(len, buffer.remaining()), remaining);
            buffer.get(b, off, n);
            remaining -= n;
            return n;
        }

        private void fill() throws IOException {
            buffer.clear();
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, next);
                if (n <= 0) {
                    ended = true;
                    break;
                }
                next += n;
                if (n % blockSize != 0) {
                    ended = true; // a short read of a regular file is its end
                    break;
                }
            }
            buffer.flip();
            int skip = (int) Math.min(before, buffer.limit());
            buffer.position(skip);
            before -= skip;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return; // the buffer goes back once
            }
            closed = true;
            try {
                channel.close();
            } finally {
                buffers.give(buffer);
            }
        }
    }
}
