package dev.atrium.scan;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The globals a pickle imports, read from its opcodes without running it: what {@code pickle.load} (and so
 * {@code torch.load} without {@code weights_only}) would import and may call. Every import is an opcode: GLOBAL and
 * INST name module and attribute inline; STACK_GLOBAL (protocol 4 and up) takes them from the two strings pushed
 * before it, often through the memo, so the reader follows string pushes, PUT/MEMOIZE and GET. Everything else is
 * skipped by its declared length, so a large pickle is read once, streaming. Consecutive pickles in one stream are
 * all read.
 */
public final class PickleImports {
    /** A global a pickle imports: {@code module.name}. */
    public record Import(String module, String name) {
        /** STACK_GLOBAL over values the reader cannot see as strings: unknown, and treated as dangerous. */
        public static final Import UNREADABLE = new Import("?", "?");
    }

    private static final int MAX_LINE = 4096;
    private static final int MAX_INLINE_STRING = 1 << 20;
    /** Longer strings are data, never a module or attribute name: the memo does not keep them. */
    private static final int MAX_NAME = 256;

    /**
     * Bounds on what one file may make the reader do: a crafted pickle (a flood of MEMOIZE, of distinct imports, or
     * of opcodes behind a small deflated ZIP entry) must not exhaust the server's memory or its scanning thread.
     */
    record Limits(int memoNames, int imports, long opcodes) {
        static final Limits DEFAULT = new Limits(100_000, 10_000, 100_000_000L);
    }

    private final InputStream in;
    private final Set<Import> imports;
    private final Limits limits;
    /** The memo's names only: other values are nothing STACK_GLOBAL can use. */
    private final Map<Long, String> memo = new HashMap<>();
    private long memoized;
    private long opcodes;
    /** The values of the last two pushes, newest last: a string, or null for anything else. */
    private String previous;
    private String last;

    private PickleImports(InputStream in, Set<Import> into, Limits limits) {
        this.in = in;
        this.imports = into;
        this.limits = limits;
    }

    /**
     * The imports of the pickle(s) in {@code in}, in order of first appearance.
     *
     * @throws PickleFormatException when the bytes are not a pickle, or end inside one
     */
    public static List<Import> read(InputStream in) throws IOException, PickleFormatException {
        Set<Import> imports = new LinkedHashSet<>();
        read(in, imports);
        return new ArrayList<>(imports);
    }

    /**
     * Adds the imports of the pickle(s) in {@code in} to {@code into} as they are read: when the bytes turn out not
     * to be a pickle, what came before still counts (pickle runs opcodes as it reads them).
     */
    public static void read(InputStream in, Set<Import> into) throws IOException, PickleFormatException {
        read(in, into, Limits.DEFAULT);
    }

    static void read(InputStream in, Set<Import> into, Limits limits) throws IOException, PickleFormatException {
        new PickleImports(in, into, limits).readAll();
    }

    private void readAll() throws IOException, PickleFormatException {
        boolean first = true;
        while (true) {
            int op = in.read();
            if (op < 0) {
                if (first) {
                    throw new PickleFormatException("empty");
                }
                return;
            }
            readPickle(op);
            first = false;
        }
    }

    private void readPickle(int op) throws IOException, PickleFormatException {
        while (true) {
            if (op == '.') {
                return;
            }
            step(op);
            op = in.read();
            if (op < 0) {
                throw new PickleFormatException("ends without STOP");
            }
        }
    }

    private void step(int op) throws IOException, PickleFormatException {
        if (++opcodes > limits.opcodes()) {
            throw new PickleFormatException("more than " + limits.opcodes() + " opcodes; the rest was not read");
        }
        switch (op) {
            case 'c', 'i' -> { // GLOBAL, INST: "module\nname\n"
                imported(new Import(line(), line()));
                push(null);
            }
            case 0x93 -> { // STACK_GLOBAL
                imported(previous != null && last != null ? new Import(previous, last) : Import.UNREADABLE);
                previous = null;
                last = null;
                push(null);
            }
            case 'V' -> push(line()); // UNICODE (raw-unicode-escaped; module names are ASCII)
            case 'S' -> push(unquote(line())); // STRING, a Python repr
            case 0x8c, 'U' -> push(string(u8())); // SHORT_BINUNICODE, SHORT_BINSTRING
            case 'X', 'T' -> push(string(u32())); // BINUNICODE, BINSTRING
            case 0x8d -> push(string(u64())); // BINUNICODE8
            case 0x94 -> remember(memoized++); // MEMOIZE: the top, whatever it is, takes the next index
            case 'p' -> remember(index(line())); // PUT
            case 'q' -> remember(u8()); // BINPUT
            case 'r' -> remember(u32()); // LONG_BINPUT
            case 'g' -> push(memo.get(index(line()))); // GET
            case 'h' -> push(memo.get((long) u8())); // BINGET
            case 'j' -> push(memo.get(u32())); // LONG_BINGET
            case 0x80 -> skip(1); // PROTO
            case 0x95 -> skip(8); // FRAME: its length; the opcodes inside follow as usual
            case 'I', 'L', 'F', 'P' -> { // INT, LONG, FLOAT, PERSID
                line();
                push(null);
            }
            case 'J', 0x84 -> skipPush(4); // BININT, EXT4
            case 'K', 0x82 -> skipPush(1); // BININT1, EXT1
            case 'M', 0x83 -> skipPush(2); // BININT2, EXT2
            case 'G' -> skipPush(8); // BINFLOAT
            case 'C' -> skipPush(u8()); // SHORT_BINBYTES
            case 'B' -> skipPush(u32()); // BINBYTES
            case 0x8e, 0x96 -> skipPush(u64()); // BINBYTES8, BYTEARRAY8
            case 0x8a -> skipPush(u8()); // LONG1
            case 0x8b -> skipPush(u32()); // LONG4
            case '(', '0', '1', '2', 'N', 'R', 'a', 'b', 'd', '}', 'e', 'l', ']', 'o', 's', 'u', 't', ')', 0x81, 0x85,
                 0x86, 0x87, 0x88, 0x89, 0x92, 0x8f, 0x90, 0x91, 0x97, 0x98, 'Q' -> push(null);
            default -> throw new PickleFormatException(String.format("unknown opcode 0x%02x", op));
        }
    }

    private void imported(Import imported) throws PickleFormatException {
        if (imports.add(imported) && imports.size() > limits.imports()) {
            throw new PickleFormatException("more than " + limits.imports() + " imports; the rest was not read");
        }
    }

    /** Memo slot {@code index} now holds the top of the stack; only names are kept, and only so many. */
    private void remember(long index) {
        if (last != null && last.length() <= MAX_NAME && (memo.size() < limits.memoNames() || memo.containsKey(index))) {
            memo.put(index, last);
        } else {
            memo.remove(index);
        }
    }

    private void push(String value) {
        previous = last;
        last = value;
    }

    private void skipPush(long n) throws IOException, PickleFormatException {
        skip(n);
        push(null);
    }

    private void skip(long n) throws IOException, PickleFormatException {
        if (n < 0) {
            throw new PickleFormatException("negative length");
        }
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new PickleFormatException("ends inside an argument");
        }
    }

    private String string(long length) throws IOException, PickleFormatException {
        if (length > MAX_INLINE_STRING) { // data, not a name: read past it
            skip(length);
            return null;
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new PickleFormatException("ends inside a string");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private String line() throws IOException, PickleFormatException {
        StringBuilder text = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new PickleFormatException("ends inside a line argument");
            }
            if (b == '\n') {
                return text.toString();
            }
            if (text.length() == MAX_LINE) {
                throw new PickleFormatException("line argument longer than " + MAX_LINE + " bytes");
            }
            text.append((char) b);
        }
    }

    private static long index(String text) throws PickleFormatException {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new PickleFormatException("memo index '" + text + "' is not a number");
        }
    }

    private static String unquote(String repr) {
        String s = repr.strip();
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private int u8() throws IOException, PickleFormatException {
        int b = in.read();
        if (b < 0) {
            throw new PickleFormatException("ends inside an argument");
        }
        return b;
    }

    private long u32() throws IOException, PickleFormatException {
        return u8() | (long) u8() << 8 | (long) u8() << 16 | (long) u8() << 24;
    }

    private long u64() throws IOException, PickleFormatException {
        long low = u32();
        long high = u32();
        if (high > Integer.MAX_VALUE) {
            throw new PickleFormatException("length beyond any file");
        }
        return low | high << 32;
    }
}
