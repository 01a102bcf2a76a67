package dev.atrium.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Blobs as files under {@code root/ab/cd/<oid>}. Every write goes to {@code root/tmp}, is hashed while it streams,
 * verified, fsynced and then atomically renamed into place, so a crash never leaves a partial blob under its name.
 */
public final class LocalBlobStore implements BlobStore {
    private static final int BUFFER = 1 << 20;

    private final Path root;
    private final Path tmp;

    public LocalBlobStore(Path root) throws IOException {
        this.root = root;
        this.tmp = root.resolve("tmp");
        Files.createDirectories(tmp);
        removeLeftoverTempFiles();
    }

    /** Temp files are only ever written by a live request; any found at start-up are from a crash. */
    private void removeLeftoverTempFiles() throws IOException {
        try (Stream<Path> leftovers = Files.list(tmp)) {
            leftovers.forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    Path pathOf(Sha256 oid) {
        String hex = oid.hex();
        return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    @Override
    public OptionalLong size(Sha256 oid) throws IOException {
        try {
            return OptionalLong.of(Files.size(pathOf(oid)));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void put(Sha256 expectedOid, long expectedSize, InputStream in) throws IOException, BlobMismatchException {
        Path temp = Files.createTempFile(tmp, "upload-", ".part");
        try {
            StoredBlob written = writeAndHash(in, temp, expectedSize);
            if (written.size() != expectedSize) {
                throw new BlobMismatchException("size mismatch: expected " + expectedSize + " bytes, received "
                        + (written.size() > expectedSize ? "more" : written.size()));
            }
            if (!written.oid().equals(expectedOid)) {
                throw new BlobMismatchException("sha256 mismatch: expected " + expectedOid + ", received content hashing to "
                        + written.oid());
            }
            publish(temp, expectedOid);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public StoredBlob putUnverified(InputStream in) throws IOException {
        Path temp = Files.createTempFile(tmp, "upload-", ".part");
        try {
            StoredBlob written = writeAndHash(in, temp, Long.MAX_VALUE);
            publish(temp, written.oid());
            return written;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Copies at most {@code limit + 1} bytes so an oversized upload is detected without storing all of it. */
    private static StoredBlob writeAndHash(InputStream in, Path temp, long limit) throws IOException {
        if (temp == null) {
            return hashOnly(in);
        }
        MessageDigest digest = Sha256.newDigest();
        long total = 0;
        byte[] buffer = new byte[BUFFER];
        ByteBuffer wrapped = ByteBuffer.wrap(buffer);
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                digest.update(buffer, 0, n);
                wrapped.clear().limit(n);
                while (wrapped.hasRemaining()) {
                    out.write(wrapped);
                }
                total += n;
                if (total > limit) {
                    return new StoredBlob(Sha256.of(digest), total);
                }
            }
            out.force(true);
        }
        return new StoredBlob(Sha256.of(digest), total);
    }

    private static StoredBlob hashOnly(InputStream in) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            digest.update(buffer, 0, n);
            total += n;
        }
        return new StoredBlob(Sha256.of(digest), total);
    }

    private void publish(Path temp, Sha256 oid) throws IOException {
        Path target = pathOf(oid);
        if (Files.exists(target)) {
            return; // identical content is stored once
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("blob directory must be on one file system with its tmp folder", e);
        } catch (FileAlreadyExistsException e) {
            return; // a concurrent upload of the same content won the race
        }
        fsyncDirectory(target.getParent());
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Some file systems refuse to open directories; the rename itself is still atomic there.
        }
    }

    private Path partialPath(Sha256 oid, long size) {
        return tmp.resolve("partial-" + oid.hex() + "-" + size);
    }

    @Override
    public Sha256 writePart(Sha256 oid, long size, long offset, long length, InputStream in)
            throws IOException, BlobMismatchException {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new BlobMismatchException("part at " + offset + "+" + length + " lies outside an object of " + size
                    + " bytes");
        }
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[BUFFER];
        ByteBuffer wrapped = ByteBuffer.wrap(buffer);
        long written = 0;
        try (FileChannel out = FileChannel.open(partialPath(oid, size), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            out.position(offset);
            int n;
            while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, length - written + 1))) != -1) {
                if (written + n > length) {
                    throw new BlobMismatchException("part is longer than its " + length + " bytes");
                }
                digest.update(buffer, 0, n);
                wrapped.clear().limit(n);
                while (wrapped.hasRemaining()) {
                    out.write(wrapped);
                }
                written += n;
            }
            out.force(true);
        }
        if (written != length) {
            throw new BlobMismatchException("part has " + written + " bytes, expected " + length);
        }
        return Sha256.of(digest);
    }

    @Override
    public void completeParts(Sha256 oid, long size) throws IOException, BlobMismatchException {
        Path partial = partialPath(oid, size);
        if (contains(oid)) {
            Files.deleteIfExists(partial);
            return;
        }
        if (!Files.exists(partial)) {
            throw new BlobMismatchException("no parts were uploaded for " + oid);
        }
        try {
            StoredBlob whole;
            try (InputStream in = Files.newInputStream(partial)) {
                whole = writeAndHash(in, null, Long.MAX_VALUE);
            }
            if (whole.size() != size || !whole.oid().equals(oid)) {
                throw new BlobMismatchException("the parts form " + whole.size() + " bytes hashing to " + whole.oid()
                        + ", not " + size + " bytes hashing to " + oid);
            }
            publish(partial, oid);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public InputStream open(Sha256 oid, long offset) throws IOException {
        FileChannel channel = FileChannel.open(pathOf(oid), StandardOpenOption.READ);
        channel.position(offset);
        return java.nio.channels.Channels.newInputStream(channel);
    }

    @Override
    public Optional<FileChannel> channel(Sha256 oid) throws IOException {
        try {
            return Optional.of(FileChannel.open(pathOf(oid), StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
