package dev.atrium.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * Content-addressed storage of large objects, keyed by their lowercase SHA-256 hex, or by a {@link NamedKey} that a
 * writer derived from content it verified itself: files on the local disk ({@link LocalBlobStore}) or objects in an
 * S3-compatible store ({@link S3BlobStore}). A blob is visible only once complete and verified: a reader never sees
 * half an object.
 */
public interface BlobStore {

    /** Size of the stored blob, or empty when absent. */
    OptionalLong size(BlobKey key) throws IOException;

    default boolean contains(BlobKey key) throws IOException {
        return size(key).isPresent();
    }

    /**
     * Streams {@code in} into the store, verifying that it has exactly {@code expectedSize} bytes hashing to
     * {@code expectedOid}. On a mismatch nothing is stored and {@link BlobMismatchException} is thrown. Storing
     * content that is already present is a no-op apart from reading the stream.
     */
    void put(Sha256 expectedOid, long expectedSize, InputStream in) throws IOException, BlobMismatchException;

    /**
     * Stores what {@code writer} writes under the name it returns once done: for content validated while it is
     * produced (a xorb), so that it is not hashed again (object storage spools it to a local file first, since S3
     * needs the name before the bytes). If the writer throws,
     * nothing is stored; if the name is taken, the blob already there stays.
     */
    <E extends Exception> NamedBlob putNamed(NamingWriter<E> writer) throws IOException, E;

    @FunctionalInterface
    interface NamingWriter<E extends Exception> {
        /** Writes the content and returns its name, derived from what was verified while writing. */
        NamedKey writeTo(java.io.OutputStream out) throws IOException, E;
    }

    record NamedBlob(NamedKey key, long size) {}

    /**
     * Removes the temp files of uploads a crash interrupted. Only the server calls it, once at start before it serves:
     * admin commands open the same store while the server runs, and must not pull its uploads from under it.
     */
    void removeTempFiles() throws IOException;

    /**
     * Removes a blob, for a garbage collection that has made sure nothing refers to it any more; a missing blob is
     * not an error. Readers that opened it before keep reading what they opened.
     */
    void delete(BlobKey key) throws IOException;

    /** Every blob in the store, content and named, with its size: for copying a store into another. */
    void forEachBlob(BlobVisitor visitor) throws IOException;

    @FunctionalInterface
    interface BlobVisitor {
        void visit(BlobKey key, long size) throws IOException;
    }

    /**
     * The blobs a collection has set aside and not yet deleted or put back: in progress, or left by a crash until the
     * server's next start puts them back. A copy of the store would miss them.
     */
    List<Sha256> setAside() throws IOException;

    /** The content blobs (keyed by their SHA-256) last written before {@code before}: what a collection considers. */
    List<Sha256> contentBlobsWrittenBefore(Instant before) throws IOException;

    /**
     * Deletes a content blob if {@code unreferenced} still holds once the blob is out of readers' sight: it is set
     * aside first and checked after, so a reference made meanwhile is either seen by the check (the blob is put back)
     * or was made by a writer that found the blob missing and failed. Returns whether it was deleted.
     */
    boolean deleteIfUnreferenced(Sha256 oid, BooleanSupplier unreferenced) throws IOException;

    /**
     * Opens bytes {@code [offset, offset + length)} of the blob, which must lie within it (a range past its end
     * reads short, not an error: callers that must have every byte count them); the caller closes the stream.
     * Asking for the bytes a reader needs, no more, matters on object storage: the request names the range. A
     * missing blob throws {@link java.nio.file.NoSuchFileException}.
     */
    InputStream open(BlobKey key, long offset, long length) throws IOException;

    /**
     * {@link #open} for bytes read once in the background (a check of an upload, a conversion), not to be served:
     * a local store reads them past the page cache where it can, so they cost no copies into it and push no file
     * that is read again out of it.
     */
    default InputStream openOnce(BlobKey key, long offset, long length) throws IOException {
        return open(key, offset, length);
    }

    /**
     * A URL from which anyone holding it may download the blob straight from the store for a while, sparing this
     * server the bytes: offered by object storage with download redirects turned on, after this server has made its
     * access checks. {@code contentDisposition} is the header the download should carry. Empty when downloads go
     * through this server, as they do by default.
     */
    default Optional<DirectDownload> directDownload(BlobKey key, String contentDisposition) {
        return Optional.empty();
    }

    /**
     * {@link #directDownload} of one byte range only: a URL the store honours with exactly this {@code Range}
     * header ({@code bytes=FIRST-LAST}), for blobs whose other bytes the holder may not read (a xorb shared by the
     * files of several repos). Empty when the store cannot bind a URL to a range, or downloads go through this server.
     */
    default Optional<DirectDownload> directRange(BlobKey key, String rangeHeader) {
        return Optional.empty();
    }

    record DirectDownload(java.net.URI url, java.time.Duration validFor) {
        /**
         * Whether the URL is on another host than the hub at {@code hubUrl}. The Python client follows a redirect to
         * the hub's own host name (whatever the port) with the user's token and reads the file's metadata from where
         * it lands: a store on the hub's host name would get the token and break the download, so such a URL must
         * not be handed out.
         */
        public boolean leaves(String hubUrl) {
            String hub = hostOf(hubUrl);
            String store = hostOf(url.toString());
            return store != null && hub != null && !store.equalsIgnoreCase(hub);
        }

        /** The host name of an http(s) URL, read as the Python client reads it; null when there is none. */
        static String hostOf(String url) {
            int start = url.indexOf("://");
            if (start < 0) {
                return null;
            }
            String authority = url.substring(start + 3).split("[/?#]", 2)[0];
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            if (authority.startsWith("[")) {
                int end = authority.indexOf(']');
                return end < 0 ? null : authority.substring(1, end);
            }
            int colon = authority.indexOf(':');
            String host = colon < 0 ? authority : authority.substring(0, colon);
            return host.isEmpty() ? null : host;
        }
    }

    /**
     * A file channel on the blob when the store is local, so downloads can be served without copying through the
     * heap. Stores without local files return empty and callers fall back to {@link #open}.
     */
    Optional<FileChannel> channel(BlobKey key) throws IOException;

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
