package dev.atrium.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Copies every blob of one store into another: how a hub moves its large files into object storage when it outgrows
 * its disk (or back). Blobs already in the target with the same size are skipped, so a copy interrupted, or made
 * while the server still ran, is finished by running it again. Content blobs are verified against their SHA-256 on
 * the way, by the target's {@link BlobStore#put}; a corrupt one is reported and left out, not copied.
 */
public final class BlobCopy {
    private static final int PROGRESS_EVERY = 1000;

    private BlobCopy() {}

    /** What a copy did; {@code failed} names each blob that could not be copied, and why. */
    public record Report(long copied, long copiedBytes, long skipped, List<String> failed) {}

    public static Report copy(BlobStore from, BlobStore to, PrintStream progress) throws IOException {
        long[] counts = new long[3]; // copied, bytes, skipped
        List<String> failed = new ArrayList<>();
        from.forEachBlob((key, size) -> {
            OptionalLong there = to.size(key);
            if (there.isPresent()) {
                if (there.getAsLong() == size) {
                    counts[2]++;
                } else {
                    failed.add(key.storageName() + ": the target holds " + there.getAsLong() + " bytes, the source "
                            + size);
                }
                return;
            }
            try (InputStream in = from.open(key, 0, size)) {
                if (key instanceof Sha256 oid) {
                    to.put(oid, size, in);
                } else {
                    // A named blob's name was derived when its content was verified on arrival (a xorb's hash).
                    to.putNamed(out -> {
                        long copied = in.transferTo(out);
                        if (copied != size) {
                            throw new BlobMismatchException("read " + copied + " bytes of " + size);
                        }
                        return (NamedKey) key;
                    });
                }
                counts[0]++;
                counts[1] += size;
            } catch (BlobMismatchException e) {
                failed.add(key.storageName() + ": " + e.getMessage());
            }
            if ((counts[0] + counts[2]) % PROGRESS_EVERY == 0) {
                progress.printf("%d blobs copied (%d bytes), %d already there%n", counts[0], counts[1], counts[2]);
            }
        });
        return new Report(counts[0], counts[1], counts[2], List.copyOf(failed));
    }
}
