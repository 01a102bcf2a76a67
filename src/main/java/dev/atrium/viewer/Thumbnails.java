package dev.atrium.viewer;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Small JPEG renditions of the images in a dataset's cells, for the viewer's pages: a page of a hundred photos of a
 * megabyte each would otherwise send a hundred megabytes to show them 96 pixels high. Decoded by the JDK's readers,
 * PNG, JPEG, GIF and BMP only (Java code, but for JPEG the JDK's own patched libjpeg); subsampled while decoding, so
 * a large image never becomes a full-size raster; at most {@link #MAX_PIXELS} (as the header says) and two decodings
 * at a time. The most recent renditions are kept: a commit's cell never changes.
 */
public final class Thumbnails {
    /** Twice the page's box (160 × 96 CSS pixels), for high-density screens. */
    static final int WIDTH = 320;
    static final int HEIGHT = 192;
    /** Larger images are shown as they are rather than decoded. */
    static final long MAX_PIXELS = 40_000_000L;

    private final Semaphore decoding = new Semaphore(2);
    private final Map<String, byte[]> made = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > 2_000; // about 15 kB each
        }
    });

    /** Whether an image of this header is worth a rendition: larger than the box, in a format decoded here. */
    public static boolean wanted(MediaHeader header) {
        return header.isImage() && (header.width() > WIDTH || header.height() > HEIGHT)
                && (long) header.width() * header.height() <= MAX_PIXELS && !header.mime().equals("image/webp");
    }

    /** The rendition made before under {@code key}, if it is still kept. */
    Optional<byte[]> known(String key) {
        return Optional.ofNullable(made.get(key));
    }

    /**
     * A JPEG of the image in {@code bytes} fitted into {@link #WIDTH} × {@link #HEIGHT}, its transparency on white;
     * kept under {@code key} (what names the cell at its commit). Empty when it is not {@link #wanted}, or cannot be
     * decoded.
     */
    Optional<byte[]> of(String key, MediaHeader header, byte[] bytes) throws IOException {
        if (!wanted(header)) {
            return Optional.empty();
        }
        decoding.acquireUninterruptibly();
        try {
            Optional<BufferedImage> image = decode(bytes, header);
            if (image.isEmpty()) {
                return Optional.empty();
            }
            byte[] jpeg = jpeg(fit(image.get()));
            made.put(key, jpeg);
            return Optional.of(jpeg);
        } finally {
            decoding.release();
        }
    }

    private static Optional<BufferedImage> decode(byte[] bytes, MediaHeader header) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(header.mime());
        if (!readers.hasNext()) {
            return Optional.empty();
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            // The reader's own size, which is what it allocates for: a GIF's frame may claim more than its header.
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if ((long) width * height > MAX_PIXELS) {
                return Optional.empty();
            }
            ImageReadParam param = reader.getDefaultReadParam();
            // Every n-th pixel only, n as large as still leaves the box covered: the raster stays small.
            int step = Math.max(1, Math.min(width / WIDTH, height / HEIGHT));
            param.setSourceSubsampling(step, step, 0, 0);
            return Optional.ofNullable(reader.read(0, param));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not what its header claimed, or truncated: shown as it is
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage fit(BufferedImage image) {
        double scale = Math.min(1.0, Math.min((double) WIDTH / image.getWidth(), (double) HEIGHT / image.getHeight()));
        int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
