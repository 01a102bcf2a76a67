package dev.atrium.commit;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.repo.InvalidPathException;
import dev.atrium.repo.RepoPath;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the body of {@code POST /api/{type}/{id}/commit/{rev}}: one JSON object per line, a {@code header} first,
 * then operations. File content is base64-decoded straight from the stream into the staging area, so a large inline
 * file never sits in memory. Any malformed line fails the whole request before anything is written to the repo.
 */
public final class NdjsonCommitParser {
    static final int MAX_OPERATIONS = 100_000;

    private final StagingArea staging;

    public NdjsonCommitParser(StagingArea staging) {
        this.staging = staging;
    }

    public record ParsedCommit(CommitHeader header, List<CommitOperation> operations) {}

    public ParsedCommit parse(InputStream body) throws IOException {
        CommitHeader header = null;
        List<CommitOperation> operations = new ArrayList<>();
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(body)) {
            int line = 0;
            while (parser.nextToken() != null) {
                line++;
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw new Errors.BadRequest("Line " + line + " of the commit is not a JSON object");
                }
                Line parsed = readLine(parser, line);
                if (parsed.header() != null) {
                    if (header != null || !operations.isEmpty()) {
                        throw new Errors.BadRequest("The commit header must come first, and only once");
                    }
                    header = parsed.header();
                } else {
                    if (header == null) {
                        throw new Errors.BadRequest("The first line of a commit must be its header");
                    }
                    operations.add(parsed.operation());
                    if (operations.size() > MAX_OPERATIONS) {
                        throw new Errors.PayloadTooLarge("A commit may hold at most " + MAX_OPERATIONS + " operations");
                    }
                }
            }
        } catch (StreamConstraintsException e) {
            throw new Errors.BadRequest("Malformed commit payload: " + e.getMessage());
        } catch (JsonParseException e) {
            throw new Errors.BadRequest("Malformed commit payload: " + e.getOriginalMessage());
        }
        if (header == null) {
            throw new Errors.BadRequest("The commit payload is empty: it needs a header line");
        }
        return new ParsedCommit(header, operations);
    }

    private record Line(CommitHeader header, CommitOperation operation) {}

    private Line readLine(JsonParser parser, int line) throws IOException {
        String key = null;
        Value value = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "key" -> key = parser.getValueAsString();
                case "value" -> {
                    if (parser.currentToken() != JsonToken.START_OBJECT) {
                        throw new Errors.BadRequest("Line " + line + ": 'value' must be an object");
                    }
                    value = readValue(parser, line);
                }
                default -> parser.skipChildren();
            }
        }
        if (key == null || value == null) {
            throw new Errors.BadRequest("Line " + line + ": each line needs a 'key' and a 'value'");
        }
        return switch (key) {
            case "header" -> new Line(new CommitHeader(require(value.summary, "summary", line),
                    value.description == null ? "" : value.description, value.parentCommit), null);
            case "file" -> new Line(null, new CommitOperation.AddFile(path(value, line), requireContent(value, line)));
            case "lfsFile" -> new Line(null, lfsFile(value, line));
            case "deletedFile" -> new Line(null, new CommitOperation.DeleteFile(path(value, line)));
            case "deletedFolder" -> new Line(null, new CommitOperation.DeleteFolder(folder(value, line)));
            default -> throw new Errors.BadRequest("Line " + line + ": unknown operation '" + key + "'");
        };
    }

    /** The union of the fields of all line kinds. */
    private static final class Value {
        String summary;
        String description;
        String parentCommit;
        String path;
        String encoding;
        StagingArea.Staged content;
        String algo;
        String oid;
        Long size;
    }

    private Value readValue(JsonParser parser, int line) throws IOException {
        Value v = new Value();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "summary" -> v.summary = text(parser, field, line);
                case "description" -> v.description = text(parser, field, line);
                case "parentCommit" -> v.parentCommit = text(parser, field, line);
                case "path" -> v.path = text(parser, field, line);
                case "encoding" -> v.encoding = text(parser, field, line);
                case "algo" -> v.algo = text(parser, field, line);
                case "oid" -> v.oid = text(parser, field, line);
                case "size" -> {
                    if (token != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0) {
                        throw new Errors.BadRequest("Line " + line + ": 'size' must be a non-negative integer");
                    }
                    v.size = parser.getLongValue();
                }
                case "content" -> {
                    if (token != JsonToken.VALUE_STRING) {
                        throw new Errors.BadRequest("Line " + line + ": 'content' must be a string");
                    }
                    v.content = stageContent(parser, v.encoding, line);
                }
                default -> parser.skipChildren();
            }
        }
        if (v.content != null && v.encoding != null && !v.encoding.equals("base64") && !v.encoding.equals("utf-8")) {
            throw new Errors.BadRequest("Line " + line + ": unknown encoding '" + v.encoding + "'");
        }
        return v;
    }

    private StagingArea.Staged stageContent(JsonParser parser, String encoding, int line) throws IOException {
        if ("utf-8".equals(encoding)) {
            String text = parser.getText();
            return staging.stage(out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return staging.stage(out -> parser.readBinaryValue(Base64Variants.MIME_NO_LINEFEEDS, out));
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new Errors.BadRequest("Line " + line + ": 'content' is not valid base64");
        }
    }

    private static String text(JsonParser parser, String field, int line) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw new Errors.BadRequest("Line " + line + ": '" + field + "' must be a string");
        }
        return parser.getText();
    }

    private static String require(String value, String field, int line) {
        if (value == null) {
            throw new Errors.BadRequest("Line " + line + ": '" + field + "' is required");
        }
        return value;
    }

    private static StagingArea.Staged requireContent(Value v, int line) {
        if (v.content == null) {
            throw new Errors.BadRequest("Line " + line + ": a file needs 'content'");
        }
        return v.content;
    }

    private static String path(Value v, int line) {
        try {
            return RepoPath.normalize(require(v.path, "path", line));
        } catch (InvalidPathException e) {
            throw new Errors.BadRequest("Line " + line + ": invalid path: " + e.getMessage());
        }
    }

    private static String folder(Value v, int line) {
        try {
            String folder = RepoPath.normalizeFolder(require(v.path, "path", line));
            if (folder.isEmpty()) {
                throw new Errors.BadRequest("Line " + line + ": deleting the root folder is not allowed");
            }
            return folder;
        } catch (InvalidPathException e) {
            throw new Errors.BadRequest("Line " + line + ": invalid path: " + e.getMessage());
        }
    }

    private static CommitOperation lfsFile(Value v, int line) {
        if (v.algo != null && !v.algo.equals("sha256")) {
            throw new Errors.BadRequest("Line " + line + ": only sha256 LFS objects are supported");
        }
        Sha256 oid = Sha256.parseOrNull(require(v.oid, "oid", line));
        if (oid == null) {
            throw new Errors.BadRequest("Line " + line + ": 'oid' must be a sha256 hex digest");
        }
        return new CommitOperation.AddLfsFile(path(v, line), oid, v.size);
    }
}
