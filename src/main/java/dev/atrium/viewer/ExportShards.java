package dev.atrium.viewer;

import dev.atrium.repo.FileEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Parquet files of a split of images or sounds, written as its rows come: rows are grouped into files of about
 * {@code shardBytes} of images or sounds (a larger row is a file of its own), each written as soon as it
 * is full, so that only one file's rows are held; rows past {@code maxSplitBytes} in all are left out, and the export
 * is partial, as the Hub's is for a split too large to convert whole. Temp files in {@code scratch}; all are deleted
 * when the export fails or is closed unfinished.
 *
 * @param <R> what the writer needs of a row (its index, its files)
 */
final class ExportShards<R> implements AutoCloseable {
    /** Writes one file's rows, in order, to {@code target}. */
    interface Writer<R> {
        void write(List<R> rows, Path target) throws IOException, SQLException;
    }

    /** Reads what a row holds (its images, sounds, members) when the writer comes to it. */
    interface Reader<R, V> {
        V read(R row) throws IOException;
    }

    /**
     * The writer's values of {@code rows}, each read only when it is asked for, so that one row's files are held at a
     * time while a part is written.
     */
    static <R, V> java.util.Iterator<V> reading(List<R> rows, Reader<R, V> reader) {
        java.util.Iterator<R> next = rows.iterator();
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return next.hasNext();
            }

            @Override
            public V next() {
                try {
                    return reader.read(next.next());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    private final String split;
    private final Path scratch;
    private final long maxSplitBytes;
    private final long shardBytes;
    private final Writer<R> writer;
    private final List<Path> written = new ArrayList<>();
    private final List<R> pending = new ArrayList<>();
    private long pendingBytes;
    private long total;
    private boolean full;
    /** The split's bytes up to and with the first row left out. */
    private long reached;
    private boolean finished;

    /** In files of about {@link MediaFolders#SHARD_BYTES}. */
    ExportShards(String split, Path scratch, long maxSplitBytes, Writer<R> writer) {
        this(split, scratch, maxSplitBytes, MediaFolders.SHARD_BYTES, writer);
    }

    ExportShards(String split, Path scratch, long maxSplitBytes, long shardBytes, Writer<R> writer) {
        this.split = split;
        this.scratch = scratch;
        this.maxSplitBytes = maxSplitBytes;
        this.shardBytes = shardBytes;
        this.writer = writer;
    }

    /**
     * Takes a row whose images or sounds are {@code files}; false, taking nothing, once the split's limit is reached
     * (the rows after it are left out).
     *
     * @throws ViewerErrors.FileTooBig when one of the files holds more than {@link MediaFolders#MAX_FILE_BYTES} (each
     *                                 is held in memory while it is written)
     */
    boolean add(R row, List<FileEntry> files) throws IOException, SQLException {
        return add(row, files.stream().map(FileEntry::path).toList(), files.stream().map(FileEntry::size).toList());
    }

    /** Like {@link #add(Object, List)}, of files named {@code paths} that hold {@code sizes} bytes. */
    boolean add(R row, List<String> paths, List<Long> sizes) throws IOException, SQLException {
        long bytes = 0;
        for (int i = 0; i < paths.size(); i++) {
            if (sizes.get(i) > MediaFolders.MAX_FILE_BYTES) {
                throw new ViewerErrors.FileTooBig(paths.get(i), sizes.get(i), MediaFolders.MAX_FILE_BYTES);
            }
            bytes += sizes.get(i);
        }
        if (full || total + bytes > maxSplitBytes) {
            if (!full) {
                reached = total + bytes;
                full = true;
            }
            return false;
        }
        if (!pending.isEmpty() && pendingBytes + bytes > shardBytes) {
            flush();
        }
        pending.add(row);
        pendingBytes += bytes;
        total += bytes;
        return true;
    }

    /**
     * Writes the last file: the files in order, and whether rows were left out.
     *
     * @throws ViewerErrors.SplitTooBig when not even the first row fits in the limit
     */
    DatasetViewer.Converted finish() throws IOException, SQLException {
        flush();
        if (written.isEmpty() && full) {
            throw new ViewerErrors.SplitTooBig(split, reached, maxSplitBytes);
        }
        finished = true;
        return new DatasetViewer.Converted(List.copyOf(written), full);
    }

    private void flush() throws IOException, SQLException {
        if (pending.isEmpty()) {
            return;
        }
        Path target = Files.createTempFile(scratch, "export-", ".part");
        written.add(target);
        writer.write(List.copyOf(pending), target);
        pending.clear();
        pendingBytes = 0;
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            for (Path path : written) {
                Files.deleteIfExists(path);
            }
        }
    }
}
