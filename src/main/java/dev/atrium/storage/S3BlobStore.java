package dev.atrium.storage;

import dev.atrium.DaemonThreads;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects in an S3-compatible bucket, under the settings' prefix: content at {@code blobs/<sha256>}, named
 * blobs (xorbs) at {@code named/<hex>}, parts of multipart LFS uploads at {@code parts/<sha256>-<size>/<offset>},
 * and a blob a collection is checking at {@code gc/<sha256>}.
 *
 * <p>S3 has no rename, so nothing is written under a temporary name and moved: an object is written under its final
 * key as a multipart upload, which S3 shows to nobody until it is completed, and it is completed only once the bytes
 * are verified (else aborted). Uploads of unknown content (a xorb, whose name comes from validating it) are spooled
 * to a local file first. Several hub nodes may share the bucket; the start-up sweep only touches what is old enough
 * to be no live node's.
 */
public final class S3BlobStore implements BlobStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(S3BlobStore.class);
    /**
     * Sizes of requests: parts of uploads (S3's smallest but the last is 5 MiB; larger ones mean fewer requests),
     * the largest object one CopyObject may copy (S3's limit) and the parts of larger copies.
     */
    record Tuning(int partSize, long singleCopyLimit, long copyPart) {
        static final Tuning DEFAULT = new Tuning(8 << 20, 5L << 30, 1L << 30);
    }
    private static final int BUFFER = 256 * 1024;
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    /** A download streamed through the hub holds one for as long as its client reads: many, so slow readers do not
     * starve uploads. */
    private static final int MAX_CONNECTIONS = 512;
    /** Older unfinished uploads and parts are taken to be crashed ones, not another node's in progress. */
    private static final Duration STALE_UPLOAD = Duration.ofDays(2);
    private static final Duration STALE_SET_ASIDE = Duration.ofHours(1);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Path spool;
    private final Tuning tuning;
    private final Clock clock;
    /** Signs download URLs when clients are to fetch blobs from the bucket themselves; null when they are not. */
    private final @Nullable S3Presigner presigner;
    private final UploadMemory uploadMemory;
    /** Threads that send parts while request threads read the next; idle ones die after a minute. */
    private final ExecutorService senders = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), DaemonThreads.named("s3-part-sender"));

    S3BlobStore(S3Client s3, String bucket, String prefix, Path spool, Tuning tuning, Clock clock) throws IOException {
        this(s3, null, bucket, prefix, spool, tuning, clock);
    }

    S3BlobStore(S3Client s3, @Nullable S3Presigner presigner, String bucket, String prefix, Path spool, Tuning tuning,
                Clock clock) throws IOException {
        this(s3, presigner, bucket, prefix, spool, tuning, UploadMemory.ofHeap(), clock);
    }

    S3BlobStore(S3Client s3, @Nullable S3Presigner presigner, String bucket, String prefix, Path spool, Tuning tuning,
                UploadMemory uploadMemory, Clock clock) throws IOException {
        this.s3 = s3;
        this.uploadMemory = uploadMemory;
        this.presigner = presigner;
        this.bucket = bucket;
        this.prefix = prefix;
        this.spool = spool;
        this.tuning = tuning;
        this.clock = clock;
        Files.createDirectories(spool);
    }

    /**
     * Connects to the bucket and checks that it is there and readable, so that a wrong name or credentials stop the
     * server at start rather than fail its first upload. {@code spool} is a local folder for uploads in progress.
     */
    public static S3BlobStore open(S3Settings settings, Path spool) throws IOException {
        return open(settings, spool, DefaultCredentialsProvider.builder().build());
    }

    static S3BlobStore open(S3Settings settings, Path spool, AwsCredentialsProvider credentials) throws IOException {
        S3Client s3 = client(settings, credentials);
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (SdkException e) {
            s3.close();
            throw new ObjectStorageUnavailable("cannot use the bucket " + settings.describe() + ": " + e.getMessage()
                    + " (the bucket must exist; credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or"
                    + " an AWS profile)", e);
        }
        LOG.info("Large files are stored in {}{}", settings.describe(), settings.downloads().redirect()
                ? "; downloads are redirected to it" : "");
        return new S3BlobStore(s3, settings.downloads().redirect() ? presigner(settings, credentials) : null,
                settings.bucket(), settings.prefix(), spool, Tuning.DEFAULT, Clock.systemUTC());
    }

    static S3Presigner presigner(S3Settings settings, AwsCredentialsProvider credentials) {
        S3Presigner.Builder builder = S3Presigner.builder().credentialsProvider(credentials);
        URI endpoint = settings.downloads().publicEndpoint() != null ? settings.downloads().publicEndpoint()
                : settings.endpoint();
        if (endpoint != null) {
            builder.endpointOverride(endpoint)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        }
        Region region = region(settings);
        if (region != null) {
            builder.region(region);
        }
        return builder.build();
    }

    static S3Client client(S3Settings settings, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(MAX_CONNECTIONS))
                // Stores other than AWS often reject the trailing checksums the SDK sends by default.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        URI endpoint = settings.endpoint();
        if (endpoint != null) {
            builder.endpointOverride(endpoint).forcePathStyle(true); // no bucket DNS names on a private store
        }
        Region region = region(settings);
        if (region != null) {
            builder.region(region);
        }
        return builder.build();
    }

    /** The settings' region; else, for a store other than AWS, us-east-1 unless AWS_REGION says; else the SDK's. */
    private static @Nullable Region region(S3Settings settings) {
        if (settings.region() != null) {
            return Region.of(settings.region());
        }
        if (settings.endpoint() != null && System.getenv("AWS_REGION") == null) {
            return Region.US_EAST_1; // private stores mostly ignore it, but the signature names one
        }
        return null;
    }

    private String keyOf(BlobKey key) {
        return key instanceof NamedKey named ? prefix + "named/" + named.hex() : prefix + "blobs/" + ((Sha256) key).hex();
    }

    /**
     * Where one collection attempt sets a blob aside: a key of its own, so that two collections of the same blob (on
     * two nodes) never restore or delete each other's copy.
     */
    private String asideKey(Sha256 oid, String attempt) {
        return prefix + "gc/" + oid.hex() + "/" + attempt;
    }

    private String partsFolder(Sha256 oid, long size) {
        return prefix + "parts/" + oid.hex() + "-" + size + "/";
    }

    @Override
    public OptionalLong size(BlobKey key) throws IOException {
        return sizeAt(keyOf(key));
    }

    private OptionalLong sizeAt(String key) throws IOException {
        try {
            return OptionalLong.of(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
        } catch (SdkException e) {
            if (S3Calls.isMissing(e)) {
                return OptionalLong.empty();
            }
            throw S3Calls.failure(e);
        }
    }

    @Override
    public void put(Sha256 expectedOid, long expectedSize, InputStream in) throws IOException, BlobMismatchException {
        if (contains(expectedOid)) {
            // Stored once; the body is still read and checked, so a wrong one is refused as it would be otherwise.
            MessageDigest digest = Sha256.newDigest();
            long received = copyAtMost(in, expectedSize + 1, (bytes, n) -> digest.update(bytes, 0, n));
            BlobMismatchException.verify(expectedOid, expectedSize, Sha256.of(digest), received);
            return;
        }
        try (S3ObjectUpload upload = upload(keyOf(expectedOid), expectedSize)) {
            MessageDigest digest = Sha256.newDigest();
            long received = copyAtMost(in, expectedSize + 1, (bytes, n) -> {
                digest.update(bytes, 0, n);
                upload.write(bytes, 0, n);
            });
            BlobMismatchException.verify(expectedOid, expectedSize, Sha256.of(digest), received);
            upload.publish();
        }
    }

    private S3ObjectUpload upload(String key, long size) throws IOException {
        return new S3ObjectUpload(s3, bucket, key, size, tuning.partSize(), senders, uploadMemory);
    }

    @FunctionalInterface
    private interface Sink {
        void accept(byte[] bytes, int length) throws IOException;
    }

    /** Reads up to {@code limit} bytes into {@code sink}; returns how many there were. */
    private static long copyAtMost(InputStream in, long limit, Sink sink) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        while (total < limit) {
            int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, limit - total));
            if (n == 0) {
                break;
            }
            sink.accept(buffer, n);
            total += n;
        }
        return total;
    }

    @Override
    public <E extends Exception> NamedBlob putNamed(NamingWriter<E> writer) throws IOException, E {
        Path temp = Files.createTempFile(spool, "named-", ".part");
        try {
            NamedKey key;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), BUFFER)) {
                key = writer.writeTo(out);
            }
            long size = Files.size(temp);
            if (!contains(key)) {
                S3Calls.run(() -> s3.putObject(b -> b.bucket(bucket).key(keyOf(key)), RequestBody.fromFile(temp)));
            }
            return new NamedBlob(key, size);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Clears this node's spool, and what crashed nodes left in the bucket: multipart uploads and parts too old to be
     * in progress anywhere, and blobs a collection had set aside (they go back; the collection checks them again).
     */
    @Override
    public void removeTempFiles() throws IOException {
        Folders.deleteTree(spool);
        Files.createDirectories(spool);
        Instant now = clock.instant();
        // Other nodes sweep too: what one finds gone was swept by another, and no leftover stops a start.
        List<MultipartUpload> stale = S3Calls.call(() -> s3.listMultipartUploadsPaginator(b -> b.bucket(bucket)
                        .prefix(prefix)).uploads().stream()
                .filter(u -> u.initiated().isBefore(now.minus(STALE_UPLOAD))).toList());
        for (MultipartUpload upload : stale) {
            sweep("abort upload " + upload.key(), () -> S3Calls.run(() -> s3.abortMultipartUpload(b -> b.bucket(bucket)
                    .key(upload.key()).uploadId(upload.uploadId()))));
        }
        for (S3Object part : list(prefix + "parts/")) {
            if (part.lastModified().isBefore(now.minus(STALE_UPLOAD))) {
                sweep("delete part " + part.key(), () -> deleteKey(part.key()));
            }
        }
        for (S3Object aside : list(prefix + "gc/")) {
            String[] names = aside.key().substring((prefix + "gc/").length()).split("/", -1);
            if (names.length == 2 && HEX64.matcher(names[0]).matches()
                    && aside.lastModified().isBefore(now.minus(STALE_SET_ASIDE))) {
                sweep("restore " + aside.key(), () -> restore(new Sha256(names[0]), names[1], aside.size()));
            }
        }
    }

    @FunctionalInterface
    private interface SweepStep {
        void run() throws IOException;
    }

    private static void sweep(String what, SweepStep step) {
        try {
            step.run();
        } catch (NoSuchFileException e) {
            // another node was first
        } catch (IOException e) {
            LOG.warn("Start-up sweep of object storage: could not {}: {}", what, e.getMessage());
        }
    }

    private List<S3Object> list(String under) throws IOException {
        return S3Calls.call(() -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(under)).contents().stream()
                .toList());
    }

    @Override
    public void delete(BlobKey key) throws IOException {
        deleteKey(keyOf(key));
    }

    private void deleteKey(String key) throws IOException {
        S3Calls.run(() -> s3.deleteObject(b -> b.bucket(bucket).key(key))); // no error when absent
    }

    @Override
    public void forEachBlob(BlobVisitor visitor) throws IOException {
        for (String folder : List.of("blobs/", "named/")) {
            eachObject(prefix + folder, object -> {
                String hex = object.key().substring((prefix + folder).length());
                if (HEX64.matcher(hex).matches()) {
                    visitor.visit(folder.equals("named/") ? new NamedKey(hex) : new Sha256(hex), object.size());
                }
            });
        }
    }

    @FunctionalInterface
    private interface ObjectVisitor {
        void visit(S3Object object) throws IOException;
    }

    /** Walks a folder page by page, however many objects it holds. */
    private void eachObject(String under, ObjectVisitor visitor) throws IOException {
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(under)).contents()) {
                visitor.visit(object);
            }
        } catch (SdkException e) {
            throw S3Calls.failure(e);
        }
    }

    @Override
    public List<Sha256> setAside() throws IOException {
        List<Sha256> found = new ArrayList<>();
        eachObject(prefix + "gc/", object -> {
            String hex = object.key().substring((prefix + "gc/").length()).split("/", 2)[0];
            if (HEX64.matcher(hex).matches()) {
                found.add(new Sha256(hex));
            }
        });
        return found;
    }

    @Override
    public List<Sha256> contentBlobsWrittenBefore(Instant before) throws IOException {
        String folder = prefix + "blobs/";
        List<Sha256> found = new ArrayList<>();
        eachObject(folder, object -> {
            String hex = object.key().substring(folder.length());
            if (HEX64.matcher(hex).matches() && object.lastModified().isBefore(before)) {
                found.add(new Sha256(hex));
            }
        });
        return found;
    }

    /**
     * As on disk, the blob is out of sight while {@code unreferenced} is asked; here "set aside" is a copy and a
     * delete, not one rename. An upload of the same content that lands between the two is removed with the old one;
     * whoever then references it finds it missing and fails, as the interface promises, and a reference made
     * before the delete is seen by the check, which puts the blob back.
     */
    @Override
    public boolean deleteIfUnreferenced(Sha256 oid, BooleanSupplier unreferenced) throws IOException {
        OptionalLong size = size(oid);
        if (size.isEmpty()) {
            return false;
        }
        String attempt = java.util.UUID.randomUUID().toString();
        try {
            copy(keyOf(oid), asideKey(oid, attempt), size.getAsLong());
        } catch (NoSuchFileException e) {
            return false; // deleted meanwhile
        }
        deleteKey(keyOf(oid));
        if (unreferenced.getAsBoolean()) {
            deleteKey(asideKey(oid, attempt));
            return true;
        }
        restore(oid, attempt, size.getAsLong());
        return false;
    }

    /** Puts a set-aside blob back, unless an upload has published the same content again meanwhile. */
    private void restore(Sha256 oid, String attempt, long size) throws IOException {
        if (!contains(oid)) {
            copy(asideKey(oid, attempt), keyOf(oid), size);
        }
        deleteKey(asideKey(oid, attempt));
    }

    private void copy(String from, String to, long size) throws IOException {
        if (size <= tuning.singleCopyLimit()) {
            S3Calls.run(() -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket)
                    .destinationKey(to)));
            return;
        }
        String uploadId = S3Calls.call(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key(to)).uploadId());
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += tuning.copyPart()) {
                int number = parts.size() + 1;
                String range = "bytes=" + offset + "-" + (Math.min(size, offset + tuning.copyPart()) - 1);
                String etag = S3Calls.call(() -> s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(from)
                        .copySourceRange(range).destinationBucket(bucket).destinationKey(to).uploadId(uploadId)
                        .partNumber(number)).copyPartResult().eTag());
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            S3Calls.run(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))));
            completed = true;
        } finally {
            if (!completed) {
                S3Calls.run(() -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId)));
            }
        }
    }

    @Override
    public InputStream open(BlobKey key, long offset, long length) throws IOException {
        String objectKey = keyOf(key);
        if (length == 0) {
            if (sizeAt(objectKey).isEmpty()) { // an empty range has no Range header, but a missing blob is still one
                throw missing(key);
            }
            return InputStream.nullInputStream();
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        try {
            return new RangeStream(S3Calls.call(() -> s3.getObject(b -> b.bucket(bucket).key(objectKey)
                    .range(range))), length);
        } catch (NoSuchFileException e) {
            throw missing(key);
        }
    }

    /** Named by its key, as the local store names it: the message may reach a client. */
    private static NoSuchFileException missing(BlobKey key) {
        return new NoSuchFileException(key.storageName(), null, "no such blob in object storage");
    }

    /**
     * The body of a ranged GET. Closing it before its end aborts the connection, since the SDK would otherwise read
     * the rest to reuse it; closing it at its end hands the connection back.
     */
    private static final class RangeStream extends RangeInputStream {
        private final ResponseInputStream<GetObjectResponse> response;

        RangeStream(ResponseInputStream<GetObjectResponse> response, long length) {
            super(response, length);
            this.response = response;
        }

        @Override
        public void close() throws IOException {
            if (remaining() > 0) {
                response.abort();
            }
            super.close();
        }
    }

    /** An hour, as the Hub's CDN links last; long enough to resume a large download, short enough to share. */
    static final Duration DOWNLOAD_URL_LIFETIME = Duration.ofHours(1);

    @Override
    public Optional<DirectDownload> directDownload(BlobKey key, String contentDisposition) {
        return presign(key, g -> g.responseContentDisposition(contentDisposition)
                .responseContentType("application/octet-stream")).map(Presigned::url);
    }

    @Override
    public Optional<DirectDownload> directRange(BlobKey key, String rangeHeader) {
        return presign(key, g -> g.range(rangeHeader)).filter(presigned -> {
            // The Range header must be part of the signature, or the URL would give the whole object.
            if (!presigned.signedHeaders().contains("range")) {
                LOG.warn("The store's presigned URLs do not sign the Range header; {} is served through the hub",
                        key.storageName());
                return false;
            }
            return true;
        }).map(Presigned::url);
    }

    private record Presigned(DirectDownload url, java.util.Set<String> signedHeaders) {}

    /** A GET of the blob signed for {@link #DOWNLOAD_URL_LIFETIME}; empty without download redirects. */
    private Optional<Presigned> presign(BlobKey key,
                                        java.util.function.Consumer<GetObjectRequest.Builder> request) {
        if (presigner == null) {
            return Optional.empty();
        }
        try {
            var presigned = presigner.presignGetObject(r -> r.signatureDuration(DOWNLOAD_URL_LIFETIME)
                    .getObjectRequest(g -> request.accept(g.bucket(bucket).key(keyOf(key)))));
            return Optional.of(new Presigned(new DirectDownload(presigned.url().toURI(), DOWNLOAD_URL_LIFETIME),
                    presigned.signedHeaders().keySet()));
        } catch (SdkException | java.net.URISyntaxException e) {
            // No credentials to sign with just now, say: the hub serves the bytes itself.
            LOG.warn("Could not presign a download of {}; serving it through the hub: {}", key.storageName(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<FileChannel> channel(BlobKey key) {
        return Optional.empty();
    }

    /** Each part is an object of its own until {@link #completeParts}; a part sent again replaces the first. */
    @Override
    public Sha256 writePart(Sha256 oid, long size, long offset, long length, InputStream in)
            throws IOException, BlobMismatchException {
        BlobMismatchException.checkPart(offset, length, size);
        String key = partsFolder(oid, size) + String.format("%019d", offset);
        try (S3ObjectUpload upload = upload(key, length)) {
            MessageDigest digest = Sha256.newDigest();
            long received = copyAtMost(in, length + 1, (bytes, n) -> {
                digest.update(bytes, 0, n);
                upload.write(bytes, 0, n);
            });
            if (received > length) {
                throw new BlobMismatchException("part is longer than its " + length + " bytes");
            }
            if (received != length) {
                throw new BlobMismatchException("part has " + received + " bytes, expected " + length);
            }
            upload.publish();
            return Sha256.of(digest);
        }
    }

    /**
     * Reads the parts in order into the object, through {@link #put}, which verifies the whole before it is visible.
     * S3 could join them itself (UploadPartCopy), but the hash has to be checked by reading them anyway, and parts
     * under S3's 5 MiB minimum could not be joined. Parts that do not form the object are discarded; after a failure
     * of the store they are kept, so that the client can ask again.
     */
    @Override
    public void completeParts(Sha256 oid, long size) throws IOException, BlobMismatchException {
        String folder = partsFolder(oid, size);
        List<S3Object> parts = list(folder);
        if (contains(oid)) {
            deleteAll(parts);
            return;
        }
        if (parts.isEmpty()) {
            throw new BlobMismatchException("no parts were uploaded for " + oid);
        }
        try {
            long expected = 0;
            for (S3Object part : parts) { // listed in key order, which the zero-padded offsets make numeric
                long offset = Long.parseLong(part.key().substring(folder.length()));
                if (offset != expected) {
                    throw new BlobMismatchException("the parts leave bytes " + expected + " to " + offset + " of "
                            + oid + " missing");
                }
                expected += part.size();
            }
            try (InputStream whole = new PartsStream(parts)) {
                put(oid, size, whole);
            }
        } catch (BlobMismatchException e) {
            deleteAll(parts);
            throw e;
        }
        deleteAll(parts);
    }

    private void deleteAll(List<S3Object> objects) throws IOException {
        for (S3Object object : objects) {
            deleteKey(object.key());
        }
    }

    /** The parts' bodies one after the other, each opened when the one before has ended, none opened to close. */
    private final class PartsStream extends InputStream {
        private final java.util.Iterator<S3Object> next;
        private InputStream current = InputStream.nullInputStream();

        PartsStream(List<S3Object> parts) {
            this.next = parts.iterator();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (true) {
                int n = current.read(buffer, offset, length);
                if (n >= 0) {
                    return n;
                }
                if (!next.hasNext()) {
                    return -1;
                }
                current.close();
                S3Object part = next.next();
                current = part.size() == 0 ? InputStream.nullInputStream() : new RangeStream(
                        S3Calls.call(() -> s3.getObject(b -> b.bucket(bucket).key(part.key()))), part.size());
            }
        }

        @Override
        public void close() throws IOException {
            current.close();
        }
    }
}
