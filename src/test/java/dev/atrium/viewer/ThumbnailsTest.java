package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Small renditions of large images for the viewer's pages. */
class ThumbnailsTest {
    private final Thumbnails thumbnails = new Thumbnails();

    private static byte[] png(int width, int height, boolean transparent, int argb) throws IOException {
        BufferedImage image = new BufferedImage(width, height,
                transparent ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, argb);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private Optional<byte[]> of(String key, byte[] bytes) throws IOException {
        return thumbnails.of(key, MediaHeader.of(bytes).orElseThrow(), bytes);
    }

    @Test
    void aLargeImage_becomesASmallJpeg_ofTheSameShapeAndColour() throws IOException {
        byte[] big = png(1000, 600, false, 0xFF2080C0);
        byte[] small = of("a", big).orElseThrow();
        assertEquals(new MediaHeader("image/jpeg", 320, 192), MediaHeader.of(small).orElseThrow());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(small));
        int rgb = decoded.getRGB(160, 96);
        assertTrue(Math.abs(((rgb >> 16) & 0xFF) - 0x20) < 8 && Math.abs(((rgb >> 8) & 0xFF) - 0x80) < 8
                && Math.abs((rgb & 0xFF) - 0xC0) < 8, Integer.toHexString(rgb));
        assertTrue(Arrays.equals(small, thumbnails.known("a").orElseThrow()), "kept");
    }

    @Test
    void aPhotoLikeImage_shrinksToAFractionOfItsBytes() throws IOException {
        BufferedImage noise = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(1);
        for (int y = 0; y < 600; y++) {
            for (int x = 0; x < 800; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(noise, "jpg", out);
        byte[] small = of("n", out.toByteArray()).orElseThrow();
        assertTrue(small.length * 4 < out.size(), small.length + " bytes of " + out.size());
    }

    @Test
    void aTallImage_fitsTheBoxByItsHeight_andTransparencyIsWhite() throws IOException {
        byte[] tall = png(300, 900, true, 0x00000000);
        byte[] small = of("b", tall).orElseThrow();
        assertEquals(new MediaHeader("image/jpeg", 64, 192), MediaHeader.of(small).orElseThrow());
        int rgb = ImageIO.read(new ByteArrayInputStream(small)).getRGB(32, 96) & 0xFFFFFF;
        assertTrue(rgb > 0xF0F0F0, Integer.toHexString(rgb));
    }

    @Test
    void smallImages_otherFormats_andHugeOnes_areShownAsTheyAre() throws IOException {
        assertEquals(Optional.empty(), of("c", png(300, 150, false, 0)), "fits the box already");
        assertFalse(Thumbnails.wanted(new MediaHeader("image/webp", 2000, 2000)), "no WebP reader here");
        assertFalse(Thumbnails.wanted(new MediaHeader("image/png", 20_000, 20_000)), "too many pixels to decode");
        assertFalse(Thumbnails.wanted(new MediaHeader("audio/wav", 0, 0)));
        assertEquals(Optional.empty(), thumbnails.known("c"));
    }

    @Test
    void aGifWhoseFrameClaimsMoreThanItsScreen_givesNone() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB), "gif", out);
        byte[] gif = out.toByteArray();
        // The image descriptor: 0x2C, left and top 0, then the frame's width and height (little-endian).
        int at = -1;
        for (int i = 13; i + 9 < gif.length && at < 0; i++) {
            if (gif[i] == 0x2C && gif[i + 1] == 0 && gif[i + 2] == 0 && gif[i + 3] == 0 && gif[i + 4] == 0
                    && (gif[i + 5] & 0xFF) == (400 & 0xFF) && (gif[i + 6] & 0xFF) == 400 >> 8) {
                at = i;
            }
        }
        assertTrue(at > 0, "found the frame");
        gif[at + 5] = (byte) 0x60;
        gif[at + 6] = (byte) 0xEA; // 60,000 wide
        gif[at + 7] = (byte) 0x60;
        gif[at + 8] = (byte) 0xEA; // and high: 3.6 billion pixels, while the screen says 400 x 300
        assertEquals(new MediaHeader("image/gif", 400, 300), MediaHeader.of(gif).orElseThrow());
        assertEquals(Optional.empty(), of("g", gif));
    }

    @Test
    void bytesThatOnlyClaimToBeAnImage_giveNone() throws IOException {
        byte[] header = Arrays.copyOf(png(1000, 600, false, 0), 40); // the header, then nothing
        assertEquals(Optional.empty(), of("d", header));
    }
}
