package dev.atrium.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What the Hub shows of a GGUF file, from its header: the architecture, the context length and the parameter
 * count (the tensor infos' shapes). The header is read in windows, so a large tokenizer vocabulary in the metadata
 * costs reading it but never the tensor data; headers beyond {@link #MAX_HEADER} are refused.
 */
public final class Gguf {
    static final long MAX_HEADER = 256L << 20;
    private static final int MAGIC = 0x46554747; // "GGUF" read little-endian

    public record Info(String architecture, long contextLength, long totalParameters) {}

    private Gguf() {}

    public static Info read(HeaderReader file) throws IOException, MalformedHeaderException {
        Cursor in = new Cursor(file);
        try {
            if (in.i32() != MAGIC) {
                throw new MalformedHeaderException("does not start with the GGUF magic");
            }
            int version = in.i32();
            if (version < 2 || version > 3) {
                throw new MalformedHeaderException("has GGUF version " + version + " (2 and 3 are read)");
            }
            long tensors = in.count("tensor");
            long entries = in.count("metadata entry");
            String architecture = "";
            long context = 0;
            java.util.Map<String, Long> numbers = new java.util.HashMap<>();
            for (long i = 0; i < entries; i++) {
                String key = in.string();
                int type = in.i32();
                if (type == 8 && key.equals("general.architecture")) {
                    architecture = in.string();
                } else if (type == 4 || type == 5 || type == 10 || type == 11) {
                    numbers.put(key, type == 4 ? in.i32() & 0xFFFF_FFFFL : type == 5 ? in.i32() : in.i64());
                } else {
                    in.skipValue(type, 0);
                }
            }
            context = numbers.getOrDefault(architecture + ".context_length", 0L);
            long total = 0;
            for (long t = 0; t < tensors; t++) {
                in.string();
                int dims = in.i32();
                if (dims < 0 || dims > 8) {
                    throw new MalformedHeaderException("gives a tensor " + dims + " dimensions");
                }
                long count = 1;
                for (int d = 0; d < dims; d++) {
                    count = Math.multiplyExact(count, in.count("dimension"));
                }
                in.i32(); // type
                in.i64(); // offset
                total = Math.addExact(total, count);
            }
            return new Info(architecture, context, total);
        } catch (ArithmeticException e) {
            throw new MalformedHeaderException("counts more parameters than fit in 64 bits");
        }
    }

    /** Sequential little-endian reads over windows of the file. */
    private static final class Cursor {
        private static final int WINDOW = 1 << 20;
        private final HeaderReader file;
        private ByteBuffer window = ByteBuffer.allocate(0);
        private long windowStart;

        Cursor(HeaderReader file) {
            this.file = file;
        }

        private void need(int bytes) throws IOException, MalformedHeaderException {
            if (window.remaining() >= bytes) {
                return;
            }
            long position = windowStart + window.position();
            if (position + bytes > MAX_HEADER) {
                throw new MalformedHeaderException("has a header larger than " + (MAX_HEADER >> 20) + " MiB");
            }
            byte[] next = file.read(position, Math.max(WINDOW, bytes));
            if (next.length < bytes) {
                throw new MalformedHeaderException("is truncated inside its header");
            }
            window = ByteBuffer.wrap(next).order(ByteOrder.LITTLE_ENDIAN);
            windowStart = position;
        }

        int i32() throws IOException, MalformedHeaderException {
            need(4);
            return window.getInt();
        }

        long i64() throws IOException, MalformedHeaderException {
            need(8);
            return window.getLong();
        }

        long count(String what) throws IOException, MalformedHeaderException {
            long n = i64();
            if (n < 0 || n > MAX_HEADER) {
                throw new MalformedHeaderException("has an impossible " + what + " count " + Long.toUnsignedString(n));
            }
            return n;
        }

        void skip(long bytes) throws IOException, MalformedHeaderException {
            long left = bytes;
            while (left > 0) {
                if (!window.hasRemaining()) {
                    need(1);
                }
                int step = (int) Math.min(left, window.remaining());
                window.position(window.position() + step);
                left -= step;
            }
        }

        String string() throws IOException, MalformedHeaderException {
            long length = count("string length");
            if (length > 1 << 20) {
                throw new MalformedHeaderException("has a metadata string of " + length + " bytes");
            }
            need((int) length);
            byte[] bytes = new byte[(int) length];
            window.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private static int fixedSize(int type) {
            return switch (type) {
                case 0, 1, 7 -> 1;
                case 2, 3 -> 2;
                case 4, 5, 6 -> 4;
                case 10, 11, 12 -> 8;
                default -> 0;
            };
        }

        void skipValue(int type, int depth) throws IOException, MalformedHeaderException {
            switch (type) {
                case 0, 1, 7 -> skip(1);
                case 2, 3 -> skip(2);
                case 4, 5, 6 -> skip(4);
                case 10, 11, 12 -> skip(8);
                case 8 -> skip(count("string length"));
                case 9 -> {
                    if (depth > 2) {
                        throw new MalformedHeaderException("nests metadata arrays too deeply");
                    }
                    int itemType = i32();
                    long items = count("array item");
                    int fixed = fixedSize(itemType);
                    if (fixed > 0) {
                        skip(items * fixed); // a token-type or score table: one step, not one per item
                    } else {
                        for (long i = 0; i < items; i++) {
                            skipValue(itemType, depth + 1);
                        }
                    }
                }
                default -> throw new MalformedHeaderException("has metadata of unknown type " + type);
            }
        }
    }
}
