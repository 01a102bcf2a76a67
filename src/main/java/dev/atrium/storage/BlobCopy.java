package dev.atrium.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Copies every blob of one store into another: how a hub moves its large files into object storage when it outgrows
 * its disk (or back). Blobs already in the target with the same size are skipped, so a copy interrupted, or made
 * while the server still ran, is finished by running it again. Content blobs are verified against their SHA-256 on
 * the way, by the target's {@link BlobStore#put}; a corrupt one is reported and left out, not copied. A blob that
 * a garbage collection has set aside cannot be copied: it is reported, so that the copy is not taken for complete.
 */
public final class BlobCopy {
    private static final int PROGRESS_EVERY = 1000;

    private BlobCopy() {}

    /**
     * What a copy did: {@code vanished} counts blobs deleted (by a collection) between listing and copying;
     * {@code failed} names each blob that could not be copied, and why.
     */
    public record Report(long copied, long copiedBytes, long skipped, long vanished, List<String> failed) {}

    public static Report copy(BlobStore from, BlobStore to, PrintStream progress) throws IOException {
        long[] counts = new long[5]; // copied, bytes, skipped, vanished, seen
        List<String> failed = new ArrayList<>();
        Set<Sha256> setAside = new LinkedHashSet<>(from.setAside());
        from.forEachBlob((key, size) -> {
            copyOne(from, to, key, size, counts, failed);
            if (++counts[4] % PROGRESS_EVERY == 0) {
                progress.printf("%d blobs looked at: %d copied (%d bytes), %d already there%n", counts[4], counts[0],
                        counts[1], counts[2]);
            }
        });
        setAside.addAll(from.setAside());
        for (Sha256 oid : setAside) {
            failed.add(oid.hex() + ": set aside by a garbage collection (running, or interrupted by a crash: the"
                    + " server's next start puts it back); copy again once it is back or gone");
        }
        return new Report(counts[0], counts[1], counts[2], counts[3], List.copyOf(failed));
    }

    private static void copyOne(BlobStore from, BlobStore to, BlobKey key, long size, long[] counts,
                                List<String> failed) throws IOException {
        OptionalLong there = to.size(key);
        if (there.isPresent()) {
            if (there.getAsLong() == size) {
                counts[2]++;
            } else {
                failed.add(key.storageName() + ": the target holds " + there.getAsLong() + " bytes, the source " + size);
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
        } catch (NoSuchFileException e) {
            counts[3]++; // collected since it was listed
        } catch (BlobMismatchException e) {
            failed.add(key.storageName() + ": " + e.getMessage());
        }
    }
}
