package dev.atrium.storage;

import java.util.regex.Pattern;

/**
 * A blob name that its writer derived from content it had already verified, so the store does not hash the bytes
 * again. A xorb is verified chunk by chunk against BLAKE3 hashes as it arrives; hashing it once more with SHA-256
 * only to name it cost more server CPU than receiving and writing it (docs/architecture.md). Two blobs stored under
 * one name must be interchangeable for every reader: the writer's derivation guarantees that, not the store.
 *
 * @param hex 64 lowercase hex characters
 */
public record NamedKey(String hex) implements BlobKey {
    static final String PREFIX = "named/";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public NamedKey {
        if (!HEX64.matcher(hex).matches()) {
            throw new IllegalArgumentException("a named blob key is 64 lowercase hex characters");
        }
    }

    @Override
    public String storageName() {
        return PREFIX + hex;
    }
}
