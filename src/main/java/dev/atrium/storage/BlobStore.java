package dev.atrium.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Content-addressed storage of large objects, keyed by their lowercase SHA-256 hex. Local disk now; an S3-compatible
 * store later. A blob is visible only once complete and verified: a reader never sees half an object.
 */
public interface BlobStore {

    /** Size of the stored blob, or empty when absent. */
    OptionalLong size(Sha256 oid) throws IOException;

    default boolean contains(Sha256 oid) throws IOException {
        return size(oid).isPresent();
    }

    /**
     * Streams {@code in} into the store, verifying that it has exactly {@code expectedSize} bytes hashing to
     * {@code expectedOid}. On a mismatch nothing is stored and {@link BlobMismatchException} is thrown. Storing
     * content that is already present is a no-op apart from reading the stream.
     */
    void put(Sha256 expectedOid, long expectedSize, InputStream in) throws IOException, BlobMismatchException;

    /** Stores a stream whose hash is not known beforehand; returns its oid and size. */
    StoredBlob putUnverified(InputStream in) throws IOException;

    /**
     * Stores what {@code writer} writes, hashing it on the way: for content produced while it is validated (a
     * xorb), so that it is not first written elsewhere and copied. If the writer throws, nothing is stored.
     */
    <E extends Exception> StoredBlob putWritten(ContentWriter<E> writer) throws IOException, E;

    @FunctionalInterface
    interface ContentWriter<E extends Exception> {
        void writeTo(java.io.OutputStream out) throws IOException, E;
    }

    /** Opens the blob for reading from {@code offset}; the caller closes the stream. */
    InputStream open(Sha256 oid, long offset) throws IOException;

    /**
     * A file channel on the blob when the store is local, so downloads can be served without copying through the
     * heap. Stores without local files return empty and callers fall back to {@link #open}.
     */
    Optional<FileChannel> channel(Sha256 oid) throws IOException;

    /**
     * Writes one part of a large object uploaded in parts ({@code length} bytes at {@code offset}); returns the
     * SHA-256 of the part. Parts may arrive in any order and more than once; nothing is visible until
     * {@link #completeParts} has verified the whole. Identical content uploaded twice at once writes identical bytes.
     */
    Sha256 writePart(Sha256 oid, long size, long offset, long length, InputStream in) throws IOException,
            BlobMismatchException;

    /** Verifies the parts written for {@code oid} form exactly that object and publishes it; else discards them. */
    void completeParts(Sha256 oid, long size) throws IOException, BlobMismatchException;

    record StoredBlob(Sha256 oid, long size) {}
}
