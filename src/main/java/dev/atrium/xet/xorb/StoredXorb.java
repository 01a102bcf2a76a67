package dev.atrium.xet.xorb;

import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/**
 * Reads from a xorb as the server stores it: chunks followed by a version 1 footer (the reader's chunk section plus
 * {@link XorbFooter#serialize}). The footer gives the index without touching the chunks, and from the index a chunk
 * range maps to the byte range a download serves, or is decoded to file content.
 *
 * <p>The channel methods work on a {@link java.nio.channels.FileChannel}; they move its position.
 */
public final class StoredXorb {
    private StoredXorb() {}

    /** Reads the index from the footer at the end of a stored xorb. */
    public static XorbIndex readIndex(SeekableByteChannel xorb) throws IOException, XetFormatException {
        long size = xorb.size();
        if (size < XorbFooter.v1Length(0) + 4) {
            throw new XetFormatException(Reason.BAD_FOOTER, "a stored xorb of " + size + " bytes has no footer");
        }
        ByteBuffer lengthField = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(xorb, lengthField, size - 4);
        long infoLength = Integer.toUnsignedLong(lengthField.getInt(0));
        if (infoLength + 4 > size) {
            throw new XetFormatException(Reason.BAD_FOOTER, "footer length " + infoLength + " exceeds the xorb");
        }
        ByteBuffer footer = ByteBuffer.allocate((int) infoLength + 4);
        readFully(xorb, footer, size - footer.capacity());
        return XorbFooter.parseIndex(footer.array(), size);
    }

    /** Reads the index from the footer of a stored xorb held in memory. */
    public static XorbIndex readIndex(byte[] xorb) throws XetFormatException {
        if (xorb.length < XorbFooter.v1Length(0) + 4) {
            throw new XetFormatException(Reason.BAD_FOOTER, "a stored xorb of " + xorb.length + " bytes has no footer");
        }
        long infoLength = Integer.toUnsignedLong(ByteBuffer.wrap(xorb, xorb.length - 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN).getInt());
        if (infoLength + 4 > xorb.length) {
            throw new XetFormatException(Reason.BAD_FOOTER, "footer length " + infoLength + " exceeds the xorb");
        }
        byte[] footer = Arrays.copyOfRange(xorb, xorb.length - (int) infoLength - 4, xorb.length);
        return XorbFooter.parseIndex(footer, xorb.length);
    }

    /** Copies the serialized bytes of chunks {@code [start, end)}, exactly as a download's url_range serves them. */
    public static void copySerialized(SeekableByteChannel xorb, XorbIndex index, int start, int end, OutputStream out)
            throws IOException, XetFormatException {
        ByteRange range = index.serializedRange(start, end);
        xorb.position(range.start());
        InputStream in = Channels.newInputStream(xorb);
        long remaining = range.length();
        byte[] buffer = new byte[64 * 1024];
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new XetFormatException(Reason.TRUNCATED, "the stored xorb ends inside chunk range");
            }
            out.write(buffer, 0, n);
            remaining -= n;
        }
    }

    /** Decodes chunks {@code [start, end)} to their uncompressed bytes: the file content they stand for. */
    public static void copyUncompressed(SeekableByteChannel xorb, XorbIndex index, int start, int end,
            OutputStream out, boolean verifyHashes) throws IOException, XetFormatException {
        ByteRange range = index.serializedRange(start, end);
        xorb.position(range.start());
        XorbReader.decodeChunks(Channels.newInputStream(xorb), index, start, end, out, verifyHashes);
    }

    /**
     * {@link #copyUncompressed} from a stream that starts at chunk {@code start}'s record and holds the records up to
     * {@code end}: a ranged read from object storage.
     */
    public static void copyUncompressed(InputStream records, XorbIndex index, int start, int end, OutputStream out)
            throws IOException, XetFormatException {
        XorbReader.decodeChunks(records, index, start, end, out, false);
    }

    /** {@link #copySerialized} for a xorb in memory. */
    public static byte[] serializedRange(byte[] xorb, XorbIndex index, int start, int end) throws XetFormatException {
        ByteRange range = index.serializedRange(start, end);
        if (range.end() > xorb.length) {
            throw new XetFormatException(Reason.TRUNCATED, "the xorb ends inside the chunk range");
        }
        return Arrays.copyOfRange(xorb, (int) range.start(), (int) range.end());
    }

    /** {@link #copyUncompressed} for a xorb in memory, always verifying chunk hashes. */
    public static byte[] uncompressedRange(byte[] xorb, XorbIndex index, int start, int end)
            throws XetFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(index.unpackedLength(start, end));
        try {
            XorbReader.decodeChunks(new ByteArrayInputStream(serializedRange(xorb, index, start, end)), index, start,
                    end, out, true);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory streams do not fail", e);
        }
        return out.toByteArray();
    }

    private static void readFully(SeekableByteChannel channel, ByteBuffer buffer, long position) throws IOException {
        channel.position(position);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("unexpected end of stored xorb");
            }
        }
    }
}
