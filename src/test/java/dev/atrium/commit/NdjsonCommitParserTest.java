package dev.atrium.commit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.storage.Sha256;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NdjsonCommitParserTest {
    private static final String OID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";

    @TempDir
    Path temp;
    private StagingArea staging;
    private NdjsonCommitParser parser;

    @BeforeEach
    void openStaging() throws IOException {
        staging = StagingArea.open(temp.resolve("staging"));
        parser = new NdjsonCommitParser(staging);
    }

    @AfterEach
    void closeStaging() throws IOException {
        staging.close();
    }

    // ---- building NDJSON lines the way huggingface_hub does (content before encoding) ----

    private static String line(String key, Map<String, Object> value) {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("key", key);
        obj.put("value", value);
        try {
            return Json.MAPPER.writeValueAsString(obj) + "\n";
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String header() {
        return line("header", map("summary", "Upload files", "description", ""));
    }

    private static String file(String path, byte[] content) {
        return line("file", map("content", Base64.getEncoder().encodeToString(content), "path", path,
                "encoding", "base64"));
    }

    private NdjsonCommitParser.ParsedCommit parse(String body) throws IOException {
        return parser.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private Errors.BadRequest badRequest(String body) {
        return assertThrows(Errors.BadRequest.class, () -> parse(body));
    }

    private static void assertMentions(Errors.BadRequest e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' does not mention '" + part + "'");
        }
    }

    // ---- well-formed commits ----

    @Test
    void parse_headerOnly_hasNoOperations() throws IOException {
        NdjsonCommitParser.ParsedCommit parsed = parse(
                line("header", map("summary", "s", "description", "d", "parentCommit", "abc123")));
        assertEquals(new CommitHeader("s", "d", "abc123"), parsed.header());
        assertEquals(List.of(), parsed.operations());
    }

    @Test
    void parse_headerWithoutDescription_defaultsToEmpty() throws IOException {
        CommitHeader header = parse(line("header", map("summary", "s"))).header();
        assertEquals("", header.description());
        assertNull(header.parentCommit());
    }

    @Test
    void parse_headerWithoutSummary_throwsBadRequestNamingLine() {
        assertMentions(badRequest(line("header", map("description", "d"))), "Line 1", "summary");
    }

    @Test
    void parse_base64File_isStagedWithMatchingBytesAndHash() throws IOException {
        byte[] content = "hello world\n\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        NdjsonCommitParser.ParsedCommit parsed = parse(header() + file("/dir/a.bin", content));

        CommitOperation.AddFile add = assertInstanceOf(CommitOperation.AddFile.class, parsed.operations().get(0));
        assertEquals("dir/a.bin", add.path());
        assertEquals(content.length, add.content().size());
        assertEquals(Sha256.of(content), add.content().sha256());
        assertArrayEquals(content, Files.readAllBytes(add.content().file()));
        try (InputStream in = add.content().open()) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void parse_emptyFile_isStagedEmpty() throws IOException {
        CommitOperation.AddFile add = (CommitOperation.AddFile) parse(header() + file("empty.txt", new byte[0]))
                .operations().get(0);
        assertEquals(0, add.content().size());
        assertEquals(Sha256.of(new byte[0]), add.content().sha256());
    }

    @Test
    void parse_utf8EncodingBeforeContent_stagesTheTextBytes() throws IOException {
        String body = header() + line("file", map("path", "a.txt", "encoding", "utf-8", "content", "héllo"));
        CommitOperation.AddFile add = (CommitOperation.AddFile) parse(body).operations().get(0);
        assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(add.content().file()));
    }

    @Test
    void parse_lfsFileWithSize_keepsOidAndSize() throws IOException {
        String body = header() + line("lfsFile", map("path", "model.bin", "algo", "sha256", "oid", OID, "size", 42));
        assertEquals(List.of(new CommitOperation.AddLfsFile("model.bin", new Sha256(OID), 42L)),
                parse(body).operations());
    }

    @Test
    void parse_lfsFileWithoutSize_hasNullSize() throws IOException {
        String body = header() + line("lfsFile", map("path", "copy.bin", "algo", "sha256", "oid", OID));
        assertEquals(List.of(new CommitOperation.AddLfsFile("copy.bin", new Sha256(OID), null)),
                parse(body).operations());
    }

    @Test
    void parse_lfsFileUppercaseOid_isLowercased() throws IOException {
        String body = header() + line("lfsFile", map("path", "m.bin", "oid", OID.toUpperCase(), "size", 1));
        CommitOperation.AddLfsFile lfs = (CommitOperation.AddLfsFile) parse(body).operations().get(0);
        assertEquals(OID, lfs.oid().hex());
    }

    @Test
    void parse_lfsFileOtherAlgo_throwsBadRequestNamingLine() {
        String body = header() + line("lfsFile", map("path", "m.bin", "algo", "sha1", "oid", OID, "size", 1));
        assertMentions(badRequest(body), "Line 2", "sha256");
    }

    @Test
    void parse_lfsFileMalformedOid_throwsBadRequestNamingLine() {
        String body = header() + line("lfsFile", map("path", "m.bin", "oid", "abc", "size", 1));
        assertMentions(badRequest(body), "Line 2", "oid");
    }

    @Test
    void parse_lfsFileNegativeOrTextSize_throwsBadRequestNamingLine() {
        assertMentions(badRequest(header() + line("lfsFile", map("path", "m.bin", "oid", OID, "size", -1))),
                "Line 2", "size");
        assertMentions(badRequest(header() + line("lfsFile", map("path", "m.bin", "oid", OID, "size", "12"))),
                "Line 2", "size");
    }

    @Test
    void parse_deletedFile_hasNormalisedPath() throws IOException {
        assertEquals(List.of(new CommitOperation.DeleteFile("a/b.txt")),
                parse(header() + line("deletedFile", map("path", "./a/b.txt"))).operations());
    }

    @Test
    void parse_deletedFolderWithTrailingSlash_hasFolderPathWithoutSlash() throws IOException {
        assertEquals(List.of(new CommitOperation.DeleteFolder("logs/old")),
                parse(header() + line("deletedFolder", map("path", "logs/old/"))).operations());
    }

    @Test
    void parse_deletedFolderRoot_throwsBadRequestNamingLine() {
        assertMentions(badRequest(header() + line("deletedFolder", map("path", "/"))), "Line 2", "root");
    }

    @Test
    void parse_mixedOperations_keepsOrder() throws IOException {
        String body = header()
                + line("deletedFile", map("path", "old.txt"))
                + file("new.txt", "x".getBytes(StandardCharsets.UTF_8))
                + line("deletedFolder", map("path", "tmp/"))
                + line("lfsFile", map("path", "w.bin", "oid", OID, "size", 3));
        List<CommitOperation> ops = parse(body).operations();
        assertEquals(List.of("old.txt", "new.txt", "tmp", "w.bin"), ops.stream().map(CommitOperation::path).toList());
        assertInstanceOf(CommitOperation.DeleteFile.class, ops.get(0));
        assertInstanceOf(CommitOperation.AddFile.class, ops.get(1));
        assertInstanceOf(CommitOperation.DeleteFolder.class, ops.get(2));
        assertInstanceOf(CommitOperation.AddLfsFile.class, ops.get(3));
    }

    @Test
    void parse_unknownFieldsInsideValue_areIgnored() throws IOException {
        String body = header() + line("deletedFile", map("path", "a.txt", "future", map("nested", List.of(1, 2))));
        assertEquals(List.of(new CommitOperation.DeleteFile("a.txt")), parse(body).operations());
    }

    // ---- rejected payloads ----

    @Test
    void parse_emptyBody_throwsBadRequest() {
        assertMentions(badRequest(""), "header");
    }

    @Test
    void parse_operationBeforeHeader_throwsBadRequestNamingFirstLine() {
        assertMentions(badRequest(line("deletedFile", map("path", "a.txt")) + header()), "first line", "header");
    }

    @Test
    void parse_headerTwice_throwsBadRequest() {
        assertMentions(badRequest(header() + header()), "header", "once");
    }

    @Test
    void parse_headerAfterOperation_throwsBadRequest() {
        assertMentions(badRequest(header() + line("deletedFile", map("path", "a.txt")) + header()), "header");
    }

    @Test
    void parse_headerTwice_namesTheLine() {
        assertMentions(badRequest(header() + line("deletedFile", map("path", "a.txt")) + header()), "Line 3");
    }

    @Test
    void parse_malformedJson_throwsBadRequest() {
        assertMentions(badRequest(header() + "{\"key\": \"file\" \"value\": {}}\n"), "Malformed");
        assertMentions(badRequest(header() + "not json\n"), "Malformed");
        assertMentions(badRequest(header() + "{\"key\": \"deletedFile\", \"value\": {\"path\": \"a\"}"), "Malformed");
    }

    @Test
    void parse_malformedJson_namesTheLine() {
        String body = header() + line("deletedFile", map("path", "a.txt")) + "{\"key\": \"file\" \"value\": {}}\n";
        String message = badRequest(body).getMessage();
        assertTrue(message.matches("(?is).*\\bline:? 3\\b.*"), message);
    }

    @Test
    void parse_nonObjectLine_throwsBadRequestNamingLine() {
        assertMentions(badRequest(header() + "[1, 2]\n"), "Line 2", "not a JSON object");
        assertMentions(badRequest(header() + line("deletedFile", map("path", "a")) + "42\n"), "Line 3");
    }

    @Test
    void parse_unknownKey_throwsBadRequestNamingLine() {
        assertMentions(badRequest(header() + line("renamedFile", map("path", "a.txt"))), "Line 2", "renamedFile");
    }

    @Test
    void parse_missingKeyOrValue_throwsBadRequestNamingLine() {
        assertMentions(badRequest(header() + "{\"value\": {\"path\": \"a\"}}\n"), "Line 2", "'key'");
        assertMentions(badRequest(header() + "{\"key\": \"deletedFile\"}\n"), "Line 2", "'value'");
        assertMentions(badRequest(header() + "{\"key\": \"deletedFile\", \"value\": \"a\"}\n"), "Line 2", "object");
    }

    @Test
    void parse_fileWithoutContentOrPath_throwsBadRequestNamingLine() {
        assertMentions(badRequest(header() + line("file", map("path", "a.txt", "encoding", "base64"))),
                "Line 2", "content");
        assertMentions(badRequest(header() + line("file", map("content", "aGk=", "encoding", "base64"))),
                "Line 2", "path");
    }

    @Test
    void parse_nonStringField_throwsBadRequestNamingLine() {
        assertMentions(badRequest(header() + line("deletedFile", map("path", 5))), "Line 2", "path");
        assertMentions(badRequest(header() + line("file", map("content", 5, "path", "a"))), "Line 2", "content");
    }

    @Test
    void parse_invalidBase64_throwsBadRequestNamingLine() {
        String body = header() + line("file", map("content", "!!!!", "path", "a.bin", "encoding", "base64"));
        assertMentions(badRequest(body), "Line 2", "base64");
        String unpadded = header() + line("file", map("content", "aGVsbG8", "path", "a.bin", "encoding", "base64"));
        assertMentions(badRequest(unpadded), "Line 2", "base64");
    }

    @Test
    void parse_unknownEncoding_throwsBadRequestNamingLine() {
        String body = header() + line("file", map("content", "aGk=", "path", "a.bin", "encoding", "hex"));
        assertMentions(badRequest(body), "Line 2", "hex");
    }

    @Test
    void parse_pathTraversal_throwsBadRequestNamingLine() {
        assertMentions(badRequest(header() + file("../escape.txt", new byte[] {1})), "Line 2", "invalid path");
        assertMentions(badRequest(header() + line("deletedFile", map("path", "a/../../b"))), "Line 2");
        assertMentions(badRequest(header() + line("lfsFile", map("path", ".git/config", "oid", OID, "size", 1))),
                "Line 2");
        assertMentions(badRequest(header() + line("deletedFolder", map("path", "../x/"))), "Line 2");
    }

    // ---- large content ----

    /** An OutputStream whose close() only flushes, so a Base64 wrapper can be closed mid-body. */
    private static OutputStream nonClosing(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    @Test
    void parse_30MegabyteBase64Line_isStreamedToStagingWithMatchingHash() throws IOException {
        // 22,500,001 bytes encode to 30,000,004 base64 chars: more than Jackson's default 20M-char string limit,
        // so this only passes if the content is decoded as a stream rather than read into one String; the
        // allocation check below also catches decoding into one byte array.
        long rawSize = 22_500_001L;
        Path body = temp.resolve("body.ndjson");
        MessageDigest expected = Sha256.newDigest();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(body), 1 << 16)) {
            out.write(header().getBytes(StandardCharsets.UTF_8));
            out.write("{\"key\":\"file\",\"value\":{\"content\":\"".getBytes(StandardCharsets.UTF_8));
            SplittableRandom random = new SplittableRandom(42);
            byte[] chunk = new byte[1 << 16];
            try (OutputStream b64 = new DigestOutputStream(Base64.getEncoder().wrap(nonClosing(out)), expected)) {
                for (long written = 0; written < rawSize; ) {
                    int n = (int) Math.min(chunk.length, rawSize - written);
                    for (int i = 0; i < n; i++) {
                        chunk[i] = (byte) random.nextInt(256);
                    }
                    b64.write(chunk, 0, n);
                    written += n;
                }
            }
            out.write("\",\"path\":\"big.bin\",\"encoding\":\"base64\"}}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(Files.size(body) > 30_000_000L);

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        NdjsonCommitParser.ParsedCommit parsed;
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        try (InputStream in = Files.newInputStream(body)) {
            parsed = parser.parse(in);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        // Streaming needs a few buffers (about 300 KB here); holding the content would allocate over 22 MB.
        assertTrue(allocated < 8 * 1024 * 1024, "parsing allocated " + allocated + " bytes on the heap");
        CommitOperation.AddFile add = (CommitOperation.AddFile) parsed.operations().get(0);
        Sha256 expectedOid = Sha256.of(expected);
        assertEquals(rawSize, add.content().size());
        assertEquals(rawSize, Files.size(add.content().file()));
        assertEquals(expectedOid, add.content().sha256());
        MessageDigest onDisk = Sha256.newDigest();
        try (InputStream in = add.content().open()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) != -1; ) {
                onDisk.update(buffer, 0, n);
            }
        }
        assertEquals(expectedOid, Sha256.of(onDisk));
    }

    @Test
    void parse_inlineFileOverTheLimit_isPayloadTooLargeNamingTheLine() {
        String body = header() + file("small.txt", new byte[100]) + file("big.bin", new byte[5000]);
        Errors.PayloadTooLarge e = assertThrows(Errors.PayloadTooLarge.class,
                () -> new NdjsonCommitParser(staging, 4096).parse(
                        new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("Line 3"), e.getMessage());
    }

    @Test
    void parse_inlineFileAtTheLimit_isAccepted() throws IOException {
        String body = header() + file("exact.bin", new byte[4096]);
        assertEquals(1, new NdjsonCommitParser(staging, 4096).parse(
                new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))).operations().size());
    }
}
