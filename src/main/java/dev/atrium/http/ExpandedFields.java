package dev.atrium.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Writes the fields of a repo description, honouring the Hub's {@code expand} parameter: with it, only the keys it
 * names are returned (beside {@code _id} and {@code id}, which callers put directly).
 */
public record ExpandedFields(ObjectNode out, Set<String> expand) {
    public boolean wanted(String key) {
        return expand.isEmpty() || expand.contains(key);
    }

    public void put(String key, String value) {
        if (wanted(key)) {
            out.put(key, value);
        }
    }

    public void put(String key, long value) {
        if (wanted(key)) {
            out.put(key, value);
        }
    }

    public void put(String key, boolean value) {
        if (wanted(key)) {
            out.put(key, value);
        }
    }

    public void set(String key, JsonNode value) {
        if (wanted(key)) {
            out.set(key, value);
        }
    }
}
