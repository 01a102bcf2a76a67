package dev.atrium.lfs;

import dev.atrium.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A git-lfs pointer file: the git blob that stands for a large object. Parsing follows the spec strictly enough that
 * a regular text file is never mistaken for one: a version line first, an {@code oid sha256:} and a {@code size} line.
 */
public record LfsPointer(Sha256 oid, long size) {
    public static final String VERSION = "https://git-lfs.github.com/spec/v1";
    /** Real pointers are about 130 bytes; anything larger is content, not a pointer. */
    public static final int MAX_POINTER_SIZE = 1024;

    public byte[] encode() {
        return ("version " + VERSION + "\noid sha256:" + oid.hex() + "\nsize " + size + "\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    public static Optional<LfsPointer> parse(byte[] content) {
        if (content.length > MAX_POINTER_SIZE) {
            return Optional.empty();
        }
        String text = new String(content, StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        if (lines.length < 3 || !lines[0].equals("version " + VERSION)
                && !lines[0].equals("version https://hawser.github.com/spec/v1")) {
            return Optional.empty();
        }
        Sha256 oid = null;
        Long size = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("oid sha256:")) {
                oid = Sha256.parseOrNull(line.substring("oid sha256:".length()));
                if (oid == null || !line.substring("oid sha256:".length()).equals(oid.hex())) {
                    return Optional.empty();
                }
            } else if (line.startsWith("size ")) {
                try {
                    size = Long.parseLong(line.substring(5));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
                if (size < 0) {
                    return Optional.empty();
                }
            } else if (line.isEmpty() || !line.matches("[a-z0-9.-]+ .*")) {
                return Optional.empty();
            }
        }
        if (oid == null || size == null || !text.endsWith("\n")) {
            return Optional.empty();
        }
        return Optional.of(new LfsPointer(oid, size));
    }
}
