package dev.atrium.viewer;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Small images as Java's own encoders write them, for the viewer's tests. */
final class TestImages {
    private TestImages() {}

    /** A black {@code width} × {@code height} image in {@code format} ({@code png}, {@code jpg}, ...), one pixel set. */
    static byte[] encoded(String format, int width, int height, int rgbAtCenter) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(width / 2, height / 2, rgbAtCenter);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IllegalArgumentException("no " + format + " writer");
        }
        return out.toByteArray();
    }
}
