package dev.atrium.storage;

import dev.atrium.DaemonThreads;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Blobs as files under {@code root/ab/cd/<oid>}. Every write goes to {@code root/tmp}, is hashed while it streams,
 * verified, fsynced and then atomically renamed into place, so a crash never leaves a partial blob under its name.
 */
public final class LocalBlobStore implements BlobStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalBlobStore.class);
    private static final int BUFFER = 256 * 1024;
    /** A multiple of every file-system block size, so that only an upload's last piece is short (see DirectTempFile). */
    private static final int UPLOAD_BUFFER = 1024 * 1024;
    private static final int PIPELINE_BUFFERS = 4;

    /** A content blob's file name: its SHA-256. */
    private static final java.util.regex.Pattern CONTENT_NAME = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private final Path root;
    private final Path tmp;
    /** Where a collection moves a blob while it checks that nothing refers to it. */
    private final Path setAside;
    /** Threads that hash uploads while the request threads receive them; idle ones die after a minute. */
    private final ExecutorService hashers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), DaemonThreads.named("blob-hasher"));

    private final TempFile.Opener tempFiles;
    private final Optional<DirectReads> directReads;
    /** What uploads' buffers may hold of the heap together: many at once wait, or get a 503, rather than run it out. */
    private final UploadMemory uploadMemory;

    /** Uploads bypass the page cache where the file system allows it. */
    public LocalBlobStore(Path root) throws IOException {
        this(root, true);
    }

    LocalBlobStore(Path root, boolean directIoWhereSupported) throws IOException {
        this(root, directIoWhereSupported, UploadMemory.ofHeap());
    }

    LocalBlobStore(Path root, boolean directIoWhereSupported, UploadMemory uploadMemory) throws IOException {
        this.root = root;
        this.uploadMemory = uploadMemory;
        this.tmp = root.resolve("tmp");
        this.setAside = root.resolve("gc");
        Files.createDirectories(tmp);
        Files.createDirectories(setAside);
        TempFile.Opener buffered = BufferedTempFile.opener(hashers);
        this.tempFiles = directIoWhereSupported
                ? DirectTempFile.openerFor(tmp, UPLOAD_BUFFER).orElse(buffered)
                : buffered;
        this.directReads = directIoWhereSupported ? DirectReads.probe(tmp) : Optional.empty();
        LOG.info("Blob uploads to {} use {}; background reads {}", root, tempFiles.description(),
                directReads.isPresent() ? "bypass the page cache" : "go through the page cache");
    }

    /**
     * Temp files are only ever written by a live request; any found at the server's start are from a crash. So are
     * blobs a collection had set aside: they go back, the collection will check them again.
     */
    @Override
    public void removeTempFiles() throws IOException {
        try (Stream<Path> aside = Files.list(setAside)) {
            for (Path p : (Iterable<Path>) aside::iterator) {
                Path live = pathOf(new Sha256(p.getFileName().toString()));
                Files.createDirectories(live.getParent());
                restore(p, live);
            }
        }
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

    Path pathOf(BlobKey key) {
        if (key instanceof NamedKey named) {
            return fanOut(root.resolve("named"), named.hex());
        }
        return fanOut(root, ((Sha256) key).hex());
    }

    private static Path fanOut(Path dir, String hex) {
        return dir.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    @Override
    public void forEachBlob(BlobVisitor visitor) throws IOException {
        Path named = root.resolve("named");
        for (Path folder : List.of(root, named)) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            // folder/ab/cd/<hex>: tmp and gc are not two levels of two hex characters
            try (Stream<Path> files = Files.walk(folder, 3)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String name = p.getFileName().toString();
                    if (folder.relativize(p).getNameCount() == 3 && CONTENT_NAME.matcher(name).matches()
                            && p.getParent().getParent().getParent().equals(folder)) {
                        OptionalLong size = sizeOf(p);
                        if (size.isPresent()) { // else collected since it was listed
                            visitor.visit(folder == named ? new NamedKey(name) : new Sha256(name), size.getAsLong());
                        }
                    }
                }
            }
        }
    }

    /** A stored blob's file, and where it lies under the store's folder. */
    public interface FileVisitor {
        void visit(Path relative, Path file) throws IOException;
    }

    /**
     * Every stored blob's file, for a copy that keeps this store's layout (a backup); a blob a collection has set
     * aside is visited where it belongs, since it is put back there unless nothing refers to it.
     */
    public void forEachFile(FileVisitor visitor) throws IOException {
        forEachBlob((key, size) -> visitor.visit(root.relativize(pathOf(key)), pathOf(key)));
        for (Sha256 aside : setAside()) {
            Path file = setAside.resolve(aside.hex());
            visitor.visit(root.relativize(pathOf(aside)), Files.exists(file) ? file : pathOf(aside));
        }
    }

    @Override
    public List<Sha256> setAside() throws IOException {
        try (Stream<Path> aside = Files.list(setAside)) {
            return aside.map(p -> p.getFileName().toString()).filter(n -> CONTENT_NAME.matcher(n).matches())
                    .map(Sha256::new).toList();
        }
    }

    @Override
    public List<Sha256> contentBlobsWrittenBefore(Instant before) throws IOException {
        List<Sha256> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root, 3)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                // root/ab/cd/<oid>: tmp, named (xorbs) and gc hold no content blobs
                if (root.relativize(p).getNameCount() == 3 && CONTENT_NAME.matcher(p.getFileName().toString()).matches()
                        && p.getParent().getParent().getParent().equals(root)
                        && Files.getLastModifiedTime(p).toInstant().isBefore(before)) {
                    found.add(new Sha256(p.getFileName().toString()));
                }
            }
        }
        return found;
    }

    @Override
    public boolean deleteIfUnreferenced(Sha256 oid, BooleanSupplier unreferenced) throws IOException {
        Path live = pathOf(oid);
        Path aside = setAside.resolve(oid.hex());
        try {
            Files.move(live, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (unreferenced.getAsBoolean()) {
            Files.delete(aside);
            return true;
        }
        restore(aside, live);
        return false;
    }

    /** Puts a set-aside blob back, unless an upload has published the same content again meanwhile. */
    private static void restore(Path aside, Path live) throws IOException {
        try {
            Files.move(aside, live, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.delete(aside);
        }
    }

    @Override
    public void delete(BlobKey key) throws IOException {
        Files.deleteIfExists(pathOf(key)); // an open file stays readable on POSIX until closed
    }

    @Override
    public OptionalLong size(BlobKey key) throws IOException {
        return sizeOf(pathOf(key));
    }

    private static OptionalLong sizeOf(Path file) throws IOException {
        try {
            return OptionalLong.of(Files.size(file));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void put(Sha256 expectedOid, long expectedSize, InputStream in) throws IOException, BlobMismatchException {
        Path temp = Files.createTempFile(tmp, "upload-", ".part");
        try {
            StoredBlob written = writeAndHash(in, temp, expectedSize);
            BlobMismatchException.verify(expectedOid, expectedSize, written.oid(), written.size());
            publish(temp, expectedOid);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public <E extends Exception> NamedBlob putNamed(NamingWriter<E> writer) throws IOException, E {
        Path temp = Files.createTempFile(tmp, "named-", ".part");
        try {
            NamedKey key;
            long size;
            try (UploadMemory.Reservation held = reservePipeline();
                 TempFile file = tempFiles.open(temp);
                 PipelinedUpload upload = new PipelinedUpload(hashers, file, PIPELINE_BUFFERS, UPLOAD_BUFFER, false)) {
                PipelinedOutputStream out = new PipelinedOutputStream(upload);
                key = writer.writeTo(out);
                size = out.end();
                upload.finish(true);
            }
            publish(temp, key);
            return new NamedBlob(key, size);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Copies little more than {@code limit} bytes, so an oversized upload is detected without storing all of it.
     * The request thread only reads; see {@link PipelinedUpload} for who writes and hashes.
     */
    private StoredBlob writeAndHash(InputStream in, Path temp, long limit) throws IOException {
        if (temp == null) {
            return hashOnly(in);
        }
        long total = 0;
        try (UploadMemory.Reservation held = reservePipeline();
             TempFile out = tempFiles.open(temp);
             PipelinedUpload upload = new PipelinedUpload(hashers, out, PIPELINE_BUFFERS, UPLOAD_BUFFER, true)) {
            while (true) {
                byte[] buffer = upload.buffer();
                int n = in.readNBytes(buffer, 0, buffer.length);
                if (n == 0) {
                    break;
                }
                upload.submit(buffer, n);
                total += n;
                if (total > limit || n < buffer.length) {
                    break;
                }
            }
            return new StoredBlob(upload.finish(total <= limit), total);
        }
    }

    /** The heap an upload's pipeline buffers take, held until it is done. */
    private UploadMemory.Reservation reservePipeline() throws IOException {
        return uploadMemory.reserve((long) PIPELINE_BUFFERS * UPLOAD_BUFFER);
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

    private void publish(Path temp, BlobKey key) throws IOException {
        Path target = pathOf(key);
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
        BlobMismatchException.checkPart(offset, length, size);
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
    public InputStream open(BlobKey key, long offset, long length) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(pathOf(key), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw missing(key);
        }
        channel.position(offset);
        return new RangeInputStream(java.nio.channels.Channels.newInputStream(channel), length);
    }

    @Override
    public InputStream openOnce(BlobKey key, long offset, long length) throws IOException {
        if (directReads.isEmpty()) {
            return open(key, offset, length);
        }
        try {
            return directReads.get().open(pathOf(key), offset, length);
        } catch (NoSuchFileException e) {
            throw missing(key);
        }
    }

    /** Named by its key, not its path: the message may reach a client, which has no business knowing the disk. */
    private static NoSuchFileException missing(BlobKey key) {
        return new NoSuchFileException(key.storageName(), null, "no such blob");
    }

    @Override
    public Optional<FileChannel> channel(BlobKey key) throws IOException {
        try {
            return Optional.of(FileChannel.open(pathOf(key), StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
