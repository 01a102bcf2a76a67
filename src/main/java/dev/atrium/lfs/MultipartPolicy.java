package dev.atrium.lfs;

/**
 * When an upload is split into parts (the Hub's {@code multipart} transfer, which the Python and JS clients speak):
 * objects above {@code threshold} bytes, cut into {@code partSize} slices. Parts let a client retry one failed slice
 * of a multi-gigabyte upload instead of starting over; on S3 they will map onto its own multipart upload.
 */
public record MultipartPolicy(long threshold, long partSize) {
    public static final MultipartPolicy DEFAULT = new MultipartPolicy(4L << 30, 256L << 20);

    public MultipartPolicy {
        if (threshold < 1 || partSize < 1) {
            throw new IllegalArgumentException("multipart threshold and part size must be positive");
        }
    }

    public boolean appliesTo(long size) {
        return size > threshold;
    }

    public int partCount(long size) {
        return (int) ((size + partSize - 1) / partSize);
    }

    public long offsetOf(int part) {
        return (part - 1) * partSize;
    }

    public long lengthOf(int part, long size) {
        return Math.min(partSize, size - offsetOf(part));
    }
}
