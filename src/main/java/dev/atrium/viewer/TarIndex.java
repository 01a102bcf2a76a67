package dev.atrium.viewer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The regular files of a tar archive and where their bytes are, read from the headers alone (one ranged read of
 * 512 bytes a member, none of the members' bytes): POSIX ustar names with their prefix, GNU long names ({@code L})
 * and pax {@code path} and {@code size} records ({@code x}); directories, links and global pax headers are passed
 * over. A header whose checksum is wrong ends the reading with {@link Malformed}.
 */
final class TarIndex {
    private static final int BLOCK = 512;
    /** Long names and pax records are read whole: no more than this. */
    private static final int MAX_EXTENDED_HEADER = 64 * 1024;

    /** A regular file of the archive: its name, where its bytes begin, and how many there are. */
    record Member(String name, long offset, long size) {}

    /** Reads {@code length} bytes from {@code offset} (fewer at the archive's end). */
    interface Ranges {
        byte[] read(long offset, int length) throws IOException;
    }

    /** Not a tar archive, or a damaged one: the reason says where. */
    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason);
        }
    }

    private TarIndex() {}

    /** The archive's first {@code maxMembers} regular files, in order. */
    static List<Member> read(Ranges archive, long archiveSize, int maxMembers) throws IOException {
        List<Member> members = new ArrayList<>();
        String longName = null;
        String paxPath = null;
        Long paxSize = null;
        long position = 0;
        while (position + BLOCK <= archiveSize && members.size() < maxMembers) {
            byte[] header = archive.read(position, BLOCK);
            if (header.length < BLOCK || isZero(header)) {
                break; // the end-of-archive blocks
            }
            if (checksum(header) != octal(header, 148, 8)) {
                throw new Malformed("the tar header at byte " + position + " has a wrong checksum");
            }
            long size = size(header);
            char type = (char) header[156];
            long data = position + BLOCK;
            switch (type) {
                case 'L' -> longName = text(archive.read(data, extended(size, position)));
                case 'x' -> {
                    for (String record : text(archive.read(data, extended(size, position))).split("\n")) {
                        int space = record.indexOf(' ');
                        int equals = record.indexOf('=');
                        if (space < 0 || equals < space) {
                            continue;
                        }
                        String key = record.substring(space + 1, equals);
                        String value = record.substring(equals + 1);
                        if (key.equals("path")) {
                            paxPath = value;
                        } else if (key.equals("size")) {
                            try {
                                paxSize = Long.parseLong(value.strip());
                            } catch (NumberFormatException e) {
                                throw new Malformed("a pax size that is no number at byte " + position);
                            }
                        }
                    }
                }
                case 'g' -> { } // global pax records say nothing of one member
                default -> {
                    if (type == '0' || type == '\0' || type == '7') {
                        size = paxSize != null ? paxSize : size;
                        members.add(new Member(paxPath != null ? paxPath : longName != null ? longName
                                : name(header), data, size));
                    }
                    longName = null;
                    paxPath = null;
                    paxSize = null;
                }
            }
            position = data + (size + BLOCK - 1) / BLOCK * BLOCK;
        }
        return members;
    }

    private static int extended(long size, long position) throws Malformed {
        if (size > MAX_EXTENDED_HEADER) {
            throw new Malformed("an extended tar header of " + size + " bytes at byte " + position);
        }
        return (int) size;
    }

    /** The ustar name: the prefix (when the magic says ustar), a slash, the name. */
    private static String name(byte[] header) {
        String name = text(header, 0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r';
        String prefix = ustar ? text(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The size field: octal text, or GNU's base-256 (high bit of its first byte set) for sizes over 8 GB. */
    private static long size(byte[] header) throws Malformed {
        if ((header[124] & 0x80) != 0) {
            long size = 0;
            for (int i = 125; i < 136; i++) {
                size = (size << 8) | (header[i] & 0xFF);
            }
            if (size < 0) {
                throw new Malformed("a tar member size that overflows");
            }
            return size;
        }
        return octal(header, 124, 12);
    }

    private static long octal(byte[] header, int offset, int length) throws Malformed {
        long value = 0;
        boolean digits = false;
        for (int i = offset; i < offset + length; i++) {
            byte b = header[i];
            if (b >= '0' && b <= '7') {
                value = value * 8 + (b - '0');
                digits = true;
            } else if (b == 0 || b == ' ') {
                if (digits) {
                    break;
                }
            } else {
                throw new Malformed("a tar header field that is not octal");
            }
        }
        return value;
    }

    /** The header's bytes summed, its checksum field counted as spaces. */
    private static long checksum(byte[] header) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xFF;
        }
        return sum;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return text(bytes, 0, bytes.length).replaceAll("\n$", "");
    }
}
