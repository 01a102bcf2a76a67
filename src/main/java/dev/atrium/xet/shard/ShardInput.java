package dev.atrium.xet.shard;

import java.io.IOException;
import java.io.InputStream;

/** Reads a shard from a stream, tracking the offset and refusing to go past a byte limit. */
final class ShardInput {
    private final InputStream in;
    private final long limit;
    private long position;

    ShardInput(InputStream in, long limit) {
        this.in = in;
        this.limit = limit;
    }

    long position() {
        return position;
    }

    /** Fails unless {@code bytes} more bytes fit under the limit; called before trusting a count from the data. */
    void reserve(long bytes, String what) throws ShardFormatException {
        if (bytes < 0 || bytes > limit - position) {
            throw new ShardFormatException(what + " at offset " + position + " needs " + Long.toUnsignedString(bytes)
                    + " bytes, more than the shard size limit of " + limit + " bytes allows");
        }
    }

    byte[] read(int length, String what) throws IOException, ShardFormatException {
        reserve(length, what);
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new ShardFormatException("shard truncated: " + what + " at offset " + position + " needs "
                    + length + " bytes, only " + bytes.length + " remain");
        }
        position += length;
        return bytes;
    }

    /** Everything left in the stream, which must fit under the limit. */
    byte[] readToEnd(String what) throws IOException, ShardFormatException {
        long room = limit - position;
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, room + 1));
        if (bytes.length > room) {
            throw new ShardFormatException(what + " at offset " + position
                    + " run past the shard size limit of " + limit + " bytes");
        }
        position += bytes.length;
        return bytes;
    }

    void expectEnd(String after) throws IOException, ShardFormatException {
        if (in.read() != -1) {
            throw new ShardFormatException("unexpected bytes at offset " + position + " after " + after
                    + " (the header says the shard has no footer)");
        }
    }
}
