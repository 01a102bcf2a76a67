package dev.atrium.lfs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.http.Errors;
import dev.atrium.storage.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A parsed LFS batch request. The clients disagree on details (hub-api §8.5): Python sends {@code hash_algo: sha256}
 * and a bare {@code ref.name}, JS sends {@code sha_256}, git-lfs sends a fully qualified ref; all are accepted. A
 * malformed object is not a malformed request: it is kept so that it gets its own per-object error.
 *
 * @param ref       the ref the objects are for, fully qualified ({@code refs/heads/main}), or null when not sent
 * @param transfers the transfer adapters the client offers; {@code basic} when it names none
 */
public record BatchRequest(Operation operation, List<ObjectSpec> objects, @Nullable String ref,
                           Set<String> transfers) {
    /** More than the clients ever send at once (Python: 256, git-lfs: 100): a bound on the work of one request. */
    public static final int MAX_OBJECTS = 1000;
    private static final Set<String> SHA256_SPELLINGS = Set.of("sha256", "sha_256", "sha-256");

    public enum Operation { UPLOAD, DOWNLOAD }

    /**
     * One requested object as sent.
     *
     * @param size the declared size, or -1 when it is missing or not a non-negative integer
     */
    public record ObjectSpec(String oid, long size) {
        /** The oid when it is a canonical lowercase sha256, else null (git-lfs never sends upper case). */
        public @Nullable Sha256 sha256() {
            Sha256 parsed = Sha256.parseOrNull(oid);
            return parsed != null && parsed.hex().equals(oid) ? parsed : null;
        }
    }

    public static BatchRequest parse(JsonNode body) {
        Operation operation = parseOperation(body.get("operation"));
        JsonNode algo = body.get("hash_algo");
        if (algo != null && !algo.isNull()
                && !SHA256_SPELLINGS.contains(algo.asText().toLowerCase(Locale.ROOT))) {
            // The git-lfs spec answers an unsupported hash algorithm with 409.
            throw new Errors.Conflict("Unsupported hash algorithm '" + algo.asText() + "': only sha256 is supported");
        }
        JsonNode objects = body.get("objects");
        if (objects == null || !objects.isArray()) {
            throw new Errors.Unprocessable("'objects' must be an array");
        }
        if (objects.size() > MAX_OBJECTS) {
            throw new Errors.Unprocessable("At most " + MAX_OBJECTS + " objects per batch request, got "
                    + objects.size());
        }
        List<ObjectSpec> specs = new ArrayList<>(objects.size());
        for (JsonNode object : objects) {
            JsonNode oid = object.get("oid");
            JsonNode size = object.get("size");
            specs.add(new ObjectSpec(oid != null && oid.isTextual() ? oid.asText() : "",
                    size != null && size.canConvertToLong() && size.isIntegralNumber() && size.asLong() >= 0
                            ? size.asLong() : -1));
        }
        return new BatchRequest(operation, List.copyOf(specs), parseRef(body.get("ref")),
                parseTransfers(body.get("transfers")));
    }

    public boolean offers(String transfer) {
        return transfers.contains(transfer);
    }

    private static Set<String> parseTransfers(@Nullable JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            return Set.of("basic");
        }
        Set<String> out = new java.util.HashSet<>();
        node.forEach(t -> out.add(t.asText()));
        return Set.copyOf(out);
    }

    private static Operation parseOperation(@Nullable JsonNode node) {
        String text = node == null || node.isNull() ? "" : node.asText();
        return switch (text) {
            case "upload" -> Operation.UPLOAD;
            case "download" -> Operation.DOWNLOAD;
            default -> throw new Errors.Unprocessable("'operation' must be 'upload' or 'download'");
        };
    }

    private static @Nullable String parseRef(@Nullable JsonNode ref) {
        if (ref == null || !ref.isObject()) {
            return null;
        }
        JsonNode name = ref.get("name");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
            return null;
        }
        String text = name.asText();
        return text.startsWith("refs/") ? text : "refs/heads/" + text;
    }
}
