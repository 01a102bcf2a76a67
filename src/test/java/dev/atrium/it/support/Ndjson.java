package dev.atrium.it.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds NDJSON commit bodies for {@code POST /api/{type}/{id}/commit/{rev}} the way the clients write them. */
public final class Ndjson {
    private final StringBuilder body = new StringBuilder();

    private Ndjson(String summary, String parentCommit) {
        body.append("{\"key\":\"header\",\"value\":{\"summary\":").append(quote(summary)).append(",\"description\":\"\"");
        if (parentCommit != null) {
            body.append(",\"parentCommit\":").append(quote(parentCommit));
        }
        body.append("}}\n");
    }

    public static Ndjson commit(String summary) {
        return new Ndjson(summary, null);
    }

    public static Ndjson commit(String summary, String parentCommit) {
        return new Ndjson(summary, parentCommit);
    }

    public Ndjson file(String path, byte[] content) {
        body.append("{\"key\":\"file\",\"value\":{\"path\":").append(quote(path))
                .append(",\"content\":\"").append(Base64.getEncoder().encodeToString(content))
                .append("\",\"encoding\":\"base64\"}}\n");
        return this;
    }

    public Ndjson file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public Ndjson deletedFile(String path) {
        body.append("{\"key\":\"deletedFile\",\"value\":{\"path\":").append(quote(path)).append("}}\n");
        return this;
    }

    public Ndjson deletedFolder(String path) {
        body.append("{\"key\":\"deletedFolder\",\"value\":{\"path\":").append(quote(path)).append("}}\n");
        return this;
    }

    public Ndjson raw(String line) {
        body.append(line).append('\n');
        return this;
    }

    public String build() {
        return body.toString();
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
