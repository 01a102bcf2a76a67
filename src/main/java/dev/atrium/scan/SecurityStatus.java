package dev.atrium.scan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A file's scan as the Hub's {@code securityFileStatus} reads, for the API and the pages alike. */
public final class SecurityStatus {
    private SecurityStatus() {}

    /** "safe", "caution" or "unsafe" for a scanned file; "queued" for one not scanned yet ({@code result} null). */
    public static String of(PickleScanner.Result result) {
        if (result == null) {
            return "queued";
        }
        return switch (result.highest()) {
            case INNOCUOUS -> "safe";
            case SUSPICIOUS -> "caution";
            case DANGEROUS -> "unsafe";
        };
    }

    public static ObjectNode json(PickleScanner.Result result) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("status", of(result));
        node.putNull("avScan");
        if (result == null) {
            node.putNull("pickleImportScan");
            return node;
        }
        ObjectNode scan = node.putObject("pickleImportScan");
        scan.put("highestSafetyLevel", result.highest().wireName());
        ArrayNode imports = scan.putArray("imports");
        for (PickleScanner.Found f : result.imports()) {
            imports.addObject().put("module", f.module()).put("name", f.name()).put("safety", f.safety().wireName());
        }
        if (result.problem() != null) {
            scan.put("problem", result.problem());
        }
        return node;
    }
}
