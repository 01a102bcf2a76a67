package dev.atrium.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The entries of a ZIP archive (PyTorch's {@code .bin}/{@code .pt} checkpoints, NumPy's {@code .npz}) read through
 * its central directory, ZIP64 included, so that a scan opens the few entries it needs without reading the gigabytes
 * of tensor data around them.
 */
final class ZipEntries {
    /** One entry: where its (possibly deflated) bytes start, and how they are stored. */
    record Entry(String name, long localHeaderOffset, long compressedSize, int method) {}

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int MAX_DIRECTORY = 64 << 20;
    private static final int TAIL = 22 + 0xFFFF;

    private ZipEntries() {}

    static List<Entry> list(ByteSource zip) throws IOException, PickleFormatException {
        long size = zip.size();
        int tailLength = (int) Math.min(size, TAIL + 20);
        ByteBuffer tail = read(zip, size - tailLength, tailLength);
        int eocd = -1;
        for (int i = tailLength - 22; i >= 0; i--) {
            if (tail.getInt(i) == EOCD) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new PickleFormatException("a ZIP archive without its end-of-directory record");
        }
        long entries = Short.toUnsignedLong(tail.getShort(eocd + 10));
        long directorySize = Integer.toUnsignedLong(tail.getInt(eocd + 12));
        long directoryOffset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
        if (entries == 0xFFFF || directorySize == 0xFFFFFFFFL || directoryOffset == 0xFFFFFFFFL) {
            if (eocd < 20 || tail.getInt(eocd - 20) != ZIP64_LOCATOR) {
                throw new PickleFormatException("a ZIP64 archive without its locator");
            }
            ByteBuffer zip64 = read(zip, tail.getLong(eocd - 20 + 8), 56);
            if (zip64.getInt(0) != ZIP64_EOCD) {
                throw new PickleFormatException("a ZIP64 archive without its end-of-directory record");
            }
            entries = zip64.getLong(32);
            directorySize = zip64.getLong(40);
            directoryOffset = zip64.getLong(48);
        }
        if (directorySize > MAX_DIRECTORY || directoryOffset + directorySize > size) {
            throw new PickleFormatException("a ZIP directory out of bounds");
        }
        ByteBuffer directory = read(zip, directoryOffset, (int) directorySize);
        List<Entry> out = new ArrayList<>();
        int at = 0;
        for (long i = 0; i < entries; i++) {
            if (at + 46 > directory.limit() || directory.getInt(at) != CENTRAL) {
                throw new PickleFormatException("a damaged ZIP directory");
            }
            int method = Short.toUnsignedInt(directory.getShort(at + 10));
            long compressed = Integer.toUnsignedLong(directory.getInt(at + 20));
            long uncompressed = Integer.toUnsignedLong(directory.getInt(at + 24));
            int nameLength = Short.toUnsignedInt(directory.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(directory.getShort(at + 30));
            int commentLength = Short.toUnsignedInt(directory.getShort(at + 32));
            long offset = Integer.toUnsignedLong(directory.getInt(at + 42));
            if (at + 46 + nameLength + extraLength > directory.limit()) {
                throw new PickleFormatException("a damaged ZIP directory");
            }
            byte[] name = new byte[nameLength];
            directory.get(at + 46, name);
            // ZIP64 extended information: the 64-bit values of the fields that say 0xFFFFFFFF, in this order.
            for (int x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; ) {
                int id = Short.toUnsignedInt(directory.getShort(x));
                int length = Short.toUnsignedInt(directory.getShort(x + 2));
                if (id == 0x0001) {
                    int field = x + 4;
                    if (uncompressed == 0xFFFFFFFFL) {
                        field += 8;
                    }
                    if (compressed == 0xFFFFFFFFL) {
                        compressed = directory.getLong(field);
                        field += 8;
                    }
                    if (offset == 0xFFFFFFFFL) {
                        offset = directory.getLong(field);
                    }
                }
                x += 4 + length;
            }
            out.add(new Entry(new String(name, StandardCharsets.UTF_8), offset, compressed, method));
            at += 46 + nameLength + extraLength + commentLength;
        }
        return out;
    }

    /** The entry's uncompressed bytes, streamed. */
    static InputStream open(ByteSource zip, Entry entry) throws IOException, PickleFormatException {
        ByteBuffer local = read(zip, entry.localHeaderOffset(), 30);
        if (local.getInt(0) != LOCAL) {
            throw new PickleFormatException("ZIP entry " + entry.name() + " has no local header");
        }
        long data = entry.localHeaderOffset() + 30 + Short.toUnsignedInt(local.getShort(26))
                + Short.toUnsignedInt(local.getShort(28));
        if (data + entry.compressedSize() > zip.size()) {
            throw new PickleFormatException("ZIP entry " + entry.name() + " runs past the end of the file");
        }
        InputStream raw = zip.open(data, entry.compressedSize());
        return switch (entry.method()) {
            case 0 -> raw;
            case 8 -> new InflaterInputStream(raw, new Inflater(true));
            default -> {
                raw.close();
                throw new PickleFormatException("ZIP entry " + entry.name() + " uses compression method "
                        + entry.method());
            }
        };
    }

    private static ByteBuffer read(ByteSource zip, long offset, int length) throws IOException, PickleFormatException {
        if (offset < 0 || offset + length > zip.size()) {
            throw new PickleFormatException("a ZIP structure out of bounds");
        }
        try (InputStream in = zip.open(offset, length)) {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) {
                throw new PickleFormatException("a ZIP structure cut short");
            }
            return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
