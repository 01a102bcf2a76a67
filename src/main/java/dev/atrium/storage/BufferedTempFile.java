package dev.atrium.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A temp file written through the page cache, for file systems without direct I/O. Writeback is started every
 * {@link #FLUSH_EVERY} bytes in the background, so the final fsync finds little left to do.
 */
final class BufferedTempFile implements TempFile {
    private static final long FLUSH_EVERY = 16L << 20;

    private final FileChannel channel;
    private final ExecutorService flusher;
    private Future<?> flushing = CompletableFuture.completedFuture(null);
    private long unflushed;

    private BufferedTempFile(FileChannel channel, ExecutorService flusher) {
        this.channel = channel;
        this.flusher = flusher;
    }

    static Opener opener(ExecutorService flusher) {
        return new Opener() {
            @Override
            public TempFile open(Path path) throws IOException {
                return new BufferedTempFile(FileChannel.open(path, StandardOpenOption.WRITE), flusher);
            }

            @Override
            public String description() {
                return "buffered I/O (the file system refused O_DIRECT)";
            }
        };
    }

    @Override
    public void append(byte[] buffer, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        unflushed += length;
        if (unflushed >= FLUSH_EVERY && flushing.isDone()) {
            flushing = flusher.submit(() -> {
                channel.force(false);
                return null;
            });
            unflushed = 0;
        }
    }

    @Override
    public void force() throws IOException {
        awaitFlush();
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        awaitFlush(); // the channel must outlive a background flush
        channel.close();
    }

    /** Errors of an early flush do not matter: the final fsync reports any that persist. */
    private void awaitFlush() {
        try {
            flushing.get();
        } catch (ExecutionException e) {
            // see above
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
