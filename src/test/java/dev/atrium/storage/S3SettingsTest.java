package dev.atrium.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
    @Test
    void parse_bucketAndFolder_givesAPrefixEndingInASlash() {
        assertEquals(new S3Settings("models", "hub/", null, null), S3Settings.parse("s3://models/hub", null, null));
        assertEquals(new S3Settings("models", "a/b/", null, null), S3Settings.parse("s3://models/a/b/", null, ""));
        assertEquals(new S3Settings("models", "", URI.create("http://127.0.0.1:9000"), "eu-west-1"),
                S3Settings.parse("s3://models", "http://127.0.0.1:9000", "eu-west-1"));
        assertNull(S3Settings.parse("s3://models/", " ", null).endpoint());
    }

    @Test
    void parse_whatIsNotABucketLocation_isRefusedSayingWhy() {
        assertEquals("--blob-store takes s3://bucket or s3://bucket/folder, not '/data/blobs'",
                assertThrows(IllegalArgumentException.class,
                        () -> S3Settings.parse("/data/blobs", null, null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> S3Settings.parse("s3://Upper_Case", null, null));
        assertThrows(IllegalArgumentException.class, () -> S3Settings.parse("s3://", null, null));
        assertThrows(IllegalArgumentException.class, () -> S3Settings.parse("s3://models//x", null, null));
        assertThrows(IllegalArgumentException.class, () -> S3Settings.parse("s3://models", "minio:9000", null));
        assertThrows(IllegalArgumentException.class,
                () -> S3Settings.parse("s3://models", "ftp://minio.example.com", null));
        assertEquals("--s3-endpoint must not hold a user name or key", assertThrows(IllegalArgumentException.class,
                () -> S3Settings.parse("s3://models", "https://key:secret@minio.example.com", null)).getMessage());
    }
}
