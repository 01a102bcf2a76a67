package dev.atrium.viewer;

import java.util.Optional;

/**
 * What the first bytes of an image or a sound say: its type, and an image's size, read from the header alone (PNG,
 * JPEG, GIF, WebP, BMP; WAV, FLAC, Ogg, MP3), never by decoding it. The viewer shows a cell as an image or a player
 * only when its bytes are one of these, and serves them as that type and no other. A sound's width and height are 0.
 */
public record MediaHeader(String mime, int width, int height) {
    /** Bytes enough for every header here but a JPEG with a large EXIF block before its frame. */
    public static final int PREFIX = 64 * 1024;

    public boolean isImage() {
        return mime.startsWith("image/");
    }

    /** The type (and an image's size) when {@code bytes} (its first bytes, or all) begin one of the formats. */
    public static Optional<MediaHeader> of(byte[] bytes) {
        if (startsWith(bytes, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A) && bytes.length >= 24) {
            return sized("image/png", int32(bytes, 16), int32(bytes, 20));
        }
        if (startsWith(bytes, 'G', 'I', 'F', '8') && bytes.length >= 10) {
            return sized("image/gif", uint16le(bytes, 6), uint16le(bytes, 8));
        }
        if (startsWith(bytes, 0xFF, 0xD8, 0xFF)) {
            return jpeg(bytes);
        }
        if (startsWith(bytes, 'R', 'I', 'F', 'F') && bytes.length >= 30 && bytes[8] == 'W' && bytes[9] == 'E'
                && bytes[10] == 'B' && bytes[11] == 'P') {
            return webp(bytes);
        }
        if (startsWith(bytes, 'B', 'M') && bytes.length >= 26) {
            return sized("image/bmp", int32le(bytes, 18), Math.abs(int32le(bytes, 22)));
        }
        return sound(bytes);
    }

    private static Optional<MediaHeader> sound(byte[] b) {
        if (startsWith(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'A' && b[10] == 'V'
                && b[11] == 'E') {
            return Optional.of(new MediaHeader("audio/wav", 0, 0));
        }
        if (startsWith(b, 'f', 'L', 'a', 'C')) {
            return Optional.of(new MediaHeader("audio/flac", 0, 0));
        }
        if (startsWith(b, 'O', 'g', 'g', 'S')) {
            return Optional.of(new MediaHeader("audio/ogg", 0, 0));
        }
        // An ID3 tag, or an MPEG audio frame's sync word with a layer III header.
        if (startsWith(b, 'I', 'D', '3') || b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE6) == 0xE2) {
            return Optional.of(new MediaHeader("audio/mpeg", 0, 0));
        }
        return Optional.empty();
    }

    /** The frame header (SOF0 to SOF15 but DHT, JPG and DAC) gives the size; markers are walked by their lengths. */
    private static Optional<MediaHeader> jpeg(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return Optional.empty();
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return sized("image/jpeg", uint16(b, i + 7), uint16(b, i + 5));
            }
            i += 2 + uint16(b, i + 2);
        }
        return Optional.empty();
    }

    private static Optional<MediaHeader> webp(byte[] b) {
        if (b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == ' ' && (b[23] & 0xFF) == 0x9D && b[24] == 0x01
                && b[25] == 0x2A) {
            return sized("image/webp", uint16le(b, 26) & 0x3FFF, uint16le(b, 28) & 0x3FFF);
        }
        if (b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == 'L' && b.length >= 25) {
            int bits = int32le(b, 21);
            return sized("image/webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }
        if (b[12] == 'V' && b[13] == 'P' && b[14] == '8' && b[15] == 'X') {
            return sized("image/webp", uint24le(b, 24) + 1, uint24le(b, 27) + 1);
        }
        return Optional.empty();
    }

    private static Optional<MediaHeader> sized(String mime, int width, int height) {
        return width > 0 && height > 0 ? Optional.of(new MediaHeader(mime, width, height)) : Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int uint16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static int uint16le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int uint24le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
    }

    private static int int32(byte[] b, int at) {
        return uint16(b, at) << 16 | uint16(b, at + 2);
    }

    private static int int32le(byte[] b, int at) {
        return uint16le(b, at) | uint16le(b, at + 2) << 16;
    }
}
