package dev.atrium.scan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * A file's scans as the Hub's {@code securityFileStatus} reads, for the API and the pages alike: which scans the file
 * gets, and their results so far (null while one has not run).
 */
public record FileSecurity(boolean pickleWanted, PickleScanner.@Nullable Result pickle,
                           boolean virusWanted, VirusScans.@Nullable Result virus) {

    /** "unsafe" as soon as one scan says so; else "queued" until every scan has run; else "caution" or "safe". */
    public String status() {
        boolean virusFound = virus != null && virus.virusFound();
        ImportSafety imports = pickle == null ? ImportSafety.INNOCUOUS : pickle.highest();
        if (virusFound || imports == ImportSafety.DANGEROUS) {
            return "unsafe";
        }
        if ((pickleWanted && pickle == null) || (virusWanted && virus == null)) {
            return "queued";
        }
        return imports == ImportSafety.SUSPICIOUS ? "caution" : "safe";
    }

    /** Whether the file is worth a warning: "unsafe" or "caution". */
    public boolean worrying() {
        String status = status();
        return status.equals("unsafe") || status.equals("caution");
    }

    /**
     * The API's {@code securityFileStatus}. {@code avScan} is null unless clamd has scanned the file (a file past its
     * size limit, or a hub without clamd, claims nothing); {@code pickleImportScan} null unless pickles were looked for.
     */
    public ObjectNode json() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("status", status());
        if (virus == null || virus.outcome() == VirusScans.Outcome.TOO_LARGE) {
            node.putNull("avScan");
        } else {
            ObjectNode av = node.putObject("avScan");
            av.put("virusFound", virus.virusFound());
            if (virus.virusFound()) {
                virus.names().forEach(av.putArray("virusNames")::add);
            } else {
                av.putNull("virusNames");
            }
        }
        if (pickle == null) {
            node.putNull("pickleImportScan");
            return node;
        }
        ObjectNode scan = node.putObject("pickleImportScan");
        scan.put("highestSafetyLevel", pickle.highest().wireName());
        ArrayNode imports = scan.putArray("imports");
        for (PickleScanner.Found f : pickle.imports()) {
            imports.addObject().put("module", f.module()).put("name", f.name()).put("safety", f.safety().wireName());
        }
        if (pickle.problem() != null) {
            scan.put("problem", pickle.problem());
        }
        return node;
    }
}
