package dev.atrium.storage;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A temp file written with O_DIRECT: the disk takes the bytes straight from the buffer, so an upload costs no copy
 * into the page cache and no writeback work later, and the final fsync has nothing left to flush. On this project's
 * 2-core benchmark machine that halves the kernel's CPU time per uploaded GiB, which the hashing thread needs.
 *
 * <p>Direct I/O wants every write to be a whole number of file-system blocks at an aligned offset. Uploads are read
 * in full buffers whose size is a multiple of the block size, so only the last piece can be short; its aligned head
 * still goes direct and its tail through an ordinary channel on the same file.
 */
final class DirectTempFile implements TempFile {
    private final Path path;
    private final FileChannel direct;
    private final AlignedBuffers buffers;
    private final ByteBuffer aligned;
    private FileChannel tail;
    private long position;

    private DirectTempFile(Path path, FileChannel direct, AlignedBuffers buffers) {
        this.path = path;
        this.direct = direct;
        this.buffers = buffers;
        this.aligned = buffers.take();
    }

    /**
     * An opener for the file system holding {@code probeDirectory}, or empty where direct I/O is not available
     * (tmpfs, some network and FUSE file systems, non-Linux platforms): it is tried once, with a real write.
     */
    static Optional<Opener> openerFor(Path probeDirectory, int bufferSize) {
        return AlignedBuffers.probe(probeDirectory, bufferSize, (buffers, probe) -> {
            try (TempFile file = open(probe, buffers)) {
                file.append(new byte[(int) buffers.blockSize()], (int) buffers.blockSize());
                file.force();
            }
            return Optional.of(new Opener() {
                @Override
                public TempFile open(Path path) throws IOException {
                    return DirectTempFile.open(path, buffers);
                }

                @Override
                public String description() {
                    return "direct I/O (O_DIRECT, " + buffers.blockSize() + "-byte blocks)";
                }
            });
        });
    }

    private static TempFile open(Path path, AlignedBuffers buffers) throws IOException {
        return new DirectTempFile(path, FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT),
                buffers);
    }

    @Override
    public void append(byte[] buffer, int length) throws IOException {
        if (tail != null) {
            throw new IllegalStateException("a short piece was already appended: it must be the last");
        }
        if (length > aligned.capacity()) {
            throw new IllegalArgumentException(length + " bytes do not fit the " + aligned.capacity() + "-byte buffer");
        }
        int whole = (int) (length - length % buffers.blockSize());
        aligned.clear().put(buffer, 0, whole).flip();
        writeFully(direct, aligned, position);
        position += whole;
        if (whole < length) {
            tail = FileChannel.open(path, StandardOpenOption.WRITE);
            writeFully(tail, ByteBuffer.wrap(buffer, whole, length - whole), position);
            position += length - whole;
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long at) throws IOException {
        long offset = at;
        while (bytes.hasRemaining()) {
            offset += channel.write(bytes, offset);
        }
    }

    @Override
    public void force() throws IOException {
        // Direct writes bypass the page cache but not the disk's own cache or the file's metadata: fsync still.
        (tail != null ? tail : direct).force(true);
    }

    @Override
    public void close() throws IOException {
        try (FileChannel ignored = direct; FileChannel alsoIgnored = tail) {
            // both channels close, even if one fails
        } finally {
            buffers.give(aligned);
        }
    }
}
