package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaHeaderTest {

    private static byte[] encoded(String format, int width, int height) throws Exception {
        return TestImages.encoded(format, width, height, 0x336699);
    }

    @ParameterizedTest
    @CsvSource({"png, image/png", "jpg, image/jpeg", "gif, image/gif", "bmp, image/bmp"})
    void encodedImages_giveTheirTypeAndSize(String format, String mime) throws Exception {
        assertEquals(Optional.of(new MediaHeader(mime, 28, 17)), MediaHeader.of(encoded(format, 28, 17)));
        assertEquals(Optional.of(new MediaHeader(mime, 640, 480)), MediaHeader.of(encoded(format, 640, 480)));
    }

    @Test
    void aJpegFrame_isFoundPastTheSegmentsBeforeIt() throws Exception {
        byte[] jpeg = encoded("jpg", 300, 200);
        // An APP1 segment of 40,000 bytes between the start and the rest, as a camera's EXIF block is.
        byte[] app1 = new byte[40_002];
        app1[0] = (byte) 0xFF;
        app1[1] = (byte) 0xE1;
        app1[2] = (byte) (40_000 >> 8);
        app1[3] = (byte) (40_000 & 0xFF);
        byte[] withExif = new byte[jpeg.length + app1.length];
        System.arraycopy(jpeg, 0, withExif, 0, 2);
        System.arraycopy(app1, 0, withExif, 2, app1.length);
        System.arraycopy(jpeg, 2, withExif, 2 + app1.length, jpeg.length - 2);
        assertEquals(Optional.of(new MediaHeader("image/jpeg", 300, 200)), MediaHeader.of(withExif));
    }

    @Test
    void webpHeaders_ofEachKind() {
        byte[] lossless = webp("VP8L", 30);
        lossless[20] = 0x2F; // signature
        int bits = (99 - 1) | (49 - 1) << 14;
        for (int i = 0; i < 4; i++) {
            lossless[21 + i] = (byte) (bits >> (8 * i));
        }
        assertEquals(Optional.of(new MediaHeader("image/webp", 99, 49)), MediaHeader.of(lossless));

        byte[] extended = webp("VP8X", 30);
        extended[24] = (byte) (1919 & 0xFF); // width - 1, 24 bits
        extended[25] = (byte) (1919 >> 8);
        extended[27] = (byte) (1079 & 0xFF);
        extended[28] = (byte) (1079 >> 8);
        assertEquals(Optional.of(new MediaHeader("image/webp", 1920, 1080)), MediaHeader.of(extended));

        byte[] lossy = webp("VP8 ", 30);
        lossy[23] = (byte) 0x9D; // start code
        lossy[24] = 0x01;
        lossy[25] = 0x2A;
        lossy[26] = 64;
        lossy[28] = 32;
        assertEquals(Optional.of(new MediaHeader("image/webp", 64, 32)), MediaHeader.of(lossy));
    }

    @Test
    void sounds_giveTheirType() throws Exception {
        javax.sound.sampled.AudioFormat format = new javax.sound.sampled.AudioFormat(16_000, 16, 1, true, false);
        ByteArrayOutputStream wav = new ByteArrayOutputStream();
        javax.sound.sampled.AudioSystem.write(new javax.sound.sampled.AudioInputStream(
                new java.io.ByteArrayInputStream(new byte[3200]), format, 1600),
                javax.sound.sampled.AudioFileFormat.Type.WAVE, wav);
        MediaHeader header = MediaHeader.of(wav.toByteArray()).orElseThrow();
        assertEquals(new MediaHeader("audio/wav", 0, 0), header);
        assertEquals(false, header.isImage());
        assertEquals(Optional.of(new MediaHeader("audio/flac", 0, 0)), MediaHeader.of(bytes("fLaC", 0, 0, 0, 34)));
        assertEquals(Optional.of(new MediaHeader("audio/ogg", 0, 0)), MediaHeader.of(bytes("OggS", 0, 2)));
        assertEquals(Optional.of(new MediaHeader("audio/mpeg", 0, 0)), MediaHeader.of(bytes("ID3", 4, 0)));
        assertEquals(Optional.of(new MediaHeader("audio/mpeg", 0, 0)), MediaHeader.of(new byte[] {(byte) 0xFF,
                (byte) 0xFB, (byte) 0x90, 0x64}), "an MPEG-1 layer III frame without a tag");
        assertEquals(Optional.empty(), MediaHeader.of(new byte[] {(byte) 0xFF, (byte) 0xFD, 0, 0}), "layer II");
    }

    private static byte[] bytes(String text, int... more) {
        byte[] start = text.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(start, start.length + more.length);
        for (int i = 0; i < more.length; i++) {
            all[start.length + i] = (byte) more[i];
        }
        return all;
    }

    private static byte[] webp(String chunk, int length) {
        byte[] b = new byte[length];
        System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 4);
        System.arraycopy("WEBP".getBytes(StandardCharsets.US_ASCII), 0, b, 8, 4);
        System.arraycopy(chunk.getBytes(StandardCharsets.US_ASCII), 0, b, 12, 4);
        return b;
    }

    @Test
    void otherBytes_areNoImage() throws Exception {
        assertEquals(Optional.empty(), MediaHeader.of("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), MediaHeader.of(new byte[0]));
        assertEquals(Optional.empty(), MediaHeader.of(Arrays.copyOf(encoded("png", 10, 10), 12)), "cut short");
        assertEquals(Optional.empty(), MediaHeader.of(Arrays.copyOf(encoded("jpg", 10, 10), 20)), "no frame yet");
        byte[] riffAvi = webp("LIST", 30);
        System.arraycopy("AVI ".getBytes(StandardCharsets.US_ASCII), 0, riffAvi, 8, 4);
        assertEquals(Optional.empty(), MediaHeader.of(riffAvi), "RIFF, but neither WebP nor WAV");
        byte[] zero = encoded("png", 10, 10);
        Arrays.fill(zero, 16, 24, (byte) 0);
        assertEquals(Optional.empty(), MediaHeader.of(zero), "no image is 0 × 0");
    }
}
