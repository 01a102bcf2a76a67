package dev.atrium.storage;

import java.net.URI;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where large files live when they are kept in S3-compatible object storage rather than on the local disk.
 * Credentials are not part of it: the AWS SDK's usual chain finds them ({@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY}, a profile, or the machine's role), so they never appear in a command line.
 *
 * @param bucket   an existing bucket
 * @param prefix   the folder of the bucket the hub owns, empty or ending in {@code /}
 * @param endpoint the S3 API's address for stores other than AWS (MinIO, Ceph, Garage...); null for AWS itself
 * @param region   the bucket's region; null takes the SDK's (AWS_REGION, a profile), or us-east-1 with an endpoint
 * @param downloads whether clients download large files straight from the bucket, and at which address
 */
public record S3Settings(String bucket, String prefix, @Nullable URI endpoint, @Nullable String region,
                         Downloads downloads) {
    /**
     * Downloads go through the hub ({@link #THROUGH_HUB}), or are redirected to presigned URLs of the bucket at
     * {@code publicEndpoint}: the S3 address clients reach, when it is not the one the hub uses (null: the same).
     */
    public record Downloads(boolean redirect, @Nullable URI publicEndpoint) {
        public static final Downloads THROUGH_HUB = new Downloads(false, null);

        public Downloads {
            checkEndpoint(publicEndpoint, "--s3-public-endpoint");
        }
    }

    /** S3's own rule for new buckets, minus the IP-address form; the hub never creates one, but a typo shows here. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Settings {
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("'" + bucket + "' is not an S3 bucket name");
        }
        if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/") || prefix.contains("//"))) {
            throw new IllegalArgumentException("the S3 prefix must be a folder like 'hub/', not '" + prefix + "'");
        }
        checkEndpoint(endpoint, "--s3-endpoint");
    }

    public S3Settings(String bucket, String prefix, @Nullable URI endpoint, @Nullable String region) {
        this(bucket, prefix, endpoint, region, Downloads.THROUGH_HUB);
    }

    private static void checkEndpoint(@Nullable URI endpoint, String option) {
        if (endpoint != null && (endpoint.getHost() == null
                || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())))) {
            throw new IllegalArgumentException(option + " must be an http(s) URL, like https://s3.example.com");
        }
        if (endpoint != null && endpoint.getRawUserInfo() != null) {
            // It would be logged; credentials come from the AWS variables or a profile.
            throw new IllegalArgumentException(option + " must not hold a user name or key");
        }
    }

    public S3Settings withDownloads(Downloads downloads) {
        return new S3Settings(bucket, prefix, endpoint, region, downloads);
    }

    /** {@code s3://bucket} or {@code s3://bucket/folder}. */
    public static S3Settings parse(String location, @Nullable String endpoint, @Nullable String region) {
        if (!location.startsWith("s3://")) {
            throw new IllegalArgumentException("--blob-store takes s3://bucket or s3://bucket/folder, not '" + location
                    + "'");
        }
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String folder = slash < 0 ? "" : rest.substring(slash + 1);
        String prefix = folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/";
        return new S3Settings(bucket, prefix, endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
                region == null || region.isBlank() ? null : region);
    }

    /** Whether both name the same folder of the same bucket, whatever they say of downloads. */
    public boolean sameLocation(S3Settings other) {
        return bucket.equals(other.bucket) && prefix.equals(other.prefix)
                && java.util.Objects.equals(endpoint, other.endpoint);
    }

    /** How the location shows in logs. */
    public String describe() {
        return "s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint);
    }
}
