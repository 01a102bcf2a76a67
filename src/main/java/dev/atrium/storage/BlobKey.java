package dev.atrium.storage;

/**
 * Where a blob lives in a {@link BlobStore}: the SHA-256 of its bytes, or a {@link NamedKey} that the caller derived
 * from content it verified itself.
 */
public sealed interface BlobKey permits Sha256, NamedKey {
    /** The form kept in the database; {@link #parse} reverses it. */
    String storageName();

    static BlobKey parse(String storageName) {
        return storageName.startsWith(NamedKey.PREFIX)
                ? new NamedKey(storageName.substring(NamedKey.PREFIX.length()))
                : new Sha256(storageName);
    }
}
