package dev.atrium.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.http.Dates;
import dev.atrium.http.ExpandedFields;
import dev.atrium.http.Json;
import dev.atrium.repo.RepoType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/** A listed repo as the Hub's list endpoints return it; with {@code expand}, only {@code _id}, {@code id} and those keys. */
final class RepoJson {
    private RepoJson() {}

    static ObjectNode of(RepoListing.Row row, RepoType type, Set<String> expand, boolean withCardData,
                         boolean withConfig) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("_id", row.id());
        String id = row.namespace() + "/" + row.name();
        out.put("id", id);
        ExpandedFields f = new ExpandedFields(out, expand);
        if (type == RepoType.MODEL) {
            f.put("modelId", id);
        }
        f.put("author", row.namespace());
        f.put("private", row.isPrivate());
        f.put("gated", false);
        f.put("disabled", false);
        f.put("likes", row.likes());
        f.put("downloads", row.downloads());
        f.put("downloadsAllTime", row.downloadsAllTime());
        f.put("trendingScore", row.trendingScore());
        f.put("createdAt", Dates.iso(row.createdAt()));
        f.put("lastModified", Dates.iso(row.lastModified()));
        if (row.sha() != null) {
            f.put("sha", row.sha());
        }
        f.set("tags", parse(row.tagsJson()));
        if (type == RepoType.MODEL) {
            if (row.pipelineTag() != null) {
                f.put("pipeline_tag", row.pipelineTag());
            }
            if (row.libraryName() != null) {
                f.put("library_name", row.libraryName());
            }
        }
        if (type == RepoType.SPACE && row.sdk() != null) {
            f.put("sdk", row.sdk());
        }
        JsonNode extra = parse(row.extraJson());
        if (row.cardJson() != null && (withCardData || expand.contains("cardData"))) {
            out.set("cardData", parse(row.cardJson()));
        }
        if (type == RepoType.MODEL) {
            if (extra.has("config") && (withConfig || expand.contains("config"))) {
                out.set("config", extra.get("config"));
            }
            for (String key : new String[] {"safetensors", "gguf"}) {
                if (extra.has(key) && (withCardData || expand.contains(key))) {
                    out.set(key, extra.get(key));
                }
            }
        }
        return out;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json == null ? "null" : json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
