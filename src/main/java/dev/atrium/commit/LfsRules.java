package dev.atrium.commit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jgit.attributes.Attribute;
import org.eclipse.jgit.attributes.AttributesNode;
import org.eclipse.jgit.attributes.AttributesRule;

/** Which paths a root {@code .gitattributes} routes through git-lfs ({@code filter=lfs}); the last matching rule wins. */
public final class LfsRules {
    private final List<AttributesRule> rules;

    private LfsRules(List<AttributesRule> rules) {
        this.rules = rules;
    }

    public static LfsRules parse(String gitattributes) {
        AttributesNode node = new AttributesNode();
        try {
            node.parse(new ByteArrayInputStream(gitattributes.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LfsRules(node.getRules());
    }

    public boolean isLfs(String path) {
        boolean lfs = false;
        for (AttributesRule rule : rules) {
            if (!rule.isMatch(path, false)) {
                continue;
            }
            for (Attribute attribute : rule.getAttributes()) {
                if (attribute.getKey().equals("filter")) {
                    lfs = attribute.getState() == Attribute.State.CUSTOM && "lfs".equals(attribute.getValue());
                }
            }
        }
        return lfs;
    }

    /** The line that routes exactly {@code path} through LFS, as the Hub adds for large files. */
    public static String ruleFor(String path) {
        StringBuilder pattern = new StringBuilder();
        for (char c : path.toCharArray()) {
            switch (c) {
                case ' ' -> pattern.append("[[:space:]]");
                case '*', '?', '[', ']', '\\', '!', '#' -> pattern.append('\\').append(c);
                default -> pattern.append(c);
            }
        }
        return pattern + " filter=lfs diff=lfs merge=lfs -text";
    }
}
