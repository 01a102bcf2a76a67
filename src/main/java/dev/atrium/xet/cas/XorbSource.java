package dev.atrium.xet.cas;

import dev.atrium.storage.BlobKey;
import dev.atrium.storage.Sha256;

/** Where the bytes of a stored xorb come from. */
public sealed interface XorbSource {
    String LFS_VIEW_PREFIX = "lfs-view:";

    /** A xorb as a client uploaded it: chunk records and Atrium's footer, served as stored. */
    record Stored(BlobKey blob) implements XorbSource {
        @Override
        public String storageName() {
            return blob.storageName();
        }
    }

    /**
     * A xorb made from an LFS object without copying it ({@link LfsToXet}): its chunks are the blob's bytes from
     * {@code offset} on, uncompressed, and the 8-byte chunk headers between them are written when served.
     */
    record LfsView(Sha256 blob, long offset) implements XorbSource {
        @Override
        public String storageName() {
            return LFS_VIEW_PREFIX + blob.hex() + "@" + offset;
        }
    }

    /** The form kept in {@code xet_xorbs.blob_key}; {@link #parse} reverses it. */
    String storageName();

    static XorbSource parse(String storageName) {
        if (storageName.startsWith(LFS_VIEW_PREFIX)) {
            String rest = storageName.substring(LFS_VIEW_PREFIX.length());
            int at = rest.indexOf('@');
            return new LfsView(new Sha256(rest.substring(0, at)), Long.parseLong(rest.substring(at + 1)));
        }
        return new Stored(BlobKey.parse(storageName));
    }
}
