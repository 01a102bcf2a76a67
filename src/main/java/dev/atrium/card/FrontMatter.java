package dev.atrium.card;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The YAML block at the top of a README.md (a model or dataset card), read with SnakeYAML's safe constructor and
 * limits on size, nesting and aliases, so a hostile card costs little to reject.
 */
public final class FrontMatter {
    public static final int MAX_BYTES = 512 * 1024;

    private FrontMatter() {}

    /**
     * The YAML text between the opening and closing {@code ---} lines, or empty when the card has none. Whitespace
     * may come before the opening marker, as the Hub and the Python client's card parser ({@code ^\\s*---}) allow.
     */
    public static Optional<String> extract(String readme) {
        return block(readme).map(b -> b.text().substring(b.yamlStart(), b.yamlEnd()));
    }

    /** The card's Markdown: everything after the YAML block, or the whole text when there is none. */
    public static String body(String readme) {
        return block(readme).map(b -> b.text().substring(b.bodyStart())).orElse(stripBom(readme));
    }

    /** Where a card's YAML block lies in {@code text} (the README without its byte order mark). */
    private record Block(String text, int yamlStart, int yamlEnd, int bodyStart) {}

    private static Optional<Block> block(String readme) {
        String text = stripBom(readme);
        int open = 0;
        while (open < text.length() && Character.isWhitespace(text.charAt(open))) {
            open++;
        }
        if (!text.startsWith("---", open)) {
            return Optional.empty();
        }
        int afterMarker = open + 3;
        int start;
        if (text.startsWith("\n", afterMarker)) {
            start = afterMarker + 1;
        } else if (text.startsWith("\r\n", afterMarker)) {
            start = afterMarker + 2;
        } else {
            return Optional.empty();
        }
        int pos = start;
        while (pos < text.length()) {
            int end = text.indexOf('\n', pos);
            String line = (end < 0 ? text.substring(pos) : text.substring(pos, end)).stripTrailing();
            if (line.equals("---")) {
                return Optional.of(new Block(text, start, pos, end < 0 ? text.length() : end + 1));
            }
            if (end < 0) {
                break;
            }
            pos = end + 1;
        }
        return Optional.empty();
    }

    private static String stripBom(String readme) {
        return readme.startsWith("\uFEFF") ? readme.substring(1) : readme;
    }

    /** Parses the metadata; throws {@link InvalidCardException} naming the line when it is not a YAML mapping. */
    public static Map<String, Object> parse(String yaml) {
        if (yaml.length() > MAX_BYTES || yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidCardException("The YAML metadata is larger than " + MAX_BYTES / 1024 + " KiB");
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowDuplicateKeys(false);
        Yaml parser = new Yaml(new SafeConstructor(options));
        Object loaded;
        try {
            loaded = parser.load(yaml);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 2) + ", column " + (mark.getColumn() + 1);
            throw new InvalidCardException("Invalid YAML in the card metadata" + where + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new InvalidCardException("Invalid YAML in the card metadata: " + e.getMessage());
        }
        if (loaded == null) {
            return Map.of();
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new InvalidCardException("The card metadata must be a YAML mapping of keys to values");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /**
     * A README's metadata as a commit or a push of it is checked: it must parse, and its {@code model-index} must
     * have the Hub's shape. Empty when the README has no metadata block.
     */
    public static Optional<Map<String, Object>> validate(String readme) {
        Optional<Map<String, Object>> metadata = extract(readme).map(FrontMatter::parse);
        metadata.ifPresent(ModelIndex::check);
        return metadata;
    }

    /** Metadata of a README, or empty when it has none or it does not parse (the repo page must still show). */
    public static Optional<Map<String, Object>> readLeniently(String readme) {
        try {
            return extract(readme).map(FrontMatter::parse);
        } catch (InvalidCardException e) {
            return Optional.empty();
        }
    }
}
