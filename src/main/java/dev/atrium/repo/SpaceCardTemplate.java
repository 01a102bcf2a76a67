package dev.atrium.repo;

import dev.atrium.card.KnownValues;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The README.md a new Space starts with, as on the Hub: the configuration block the Hub's Spaces read (title, emoji,
 * card colours, SDK) above a line on what to write. Clients count on it: the Python client's {@code metadata_update}
 * refuses to make a Space card of its own, since the Hub always made one.
 */
final class SpaceCardTemplate {
    private static final List<String> EMOJIS = List.of("🚀", "🔥", "🐢", "📊", "🌍", "🦀", "🐨", "⚡", "🧪", "🎨");
    private static final List<String> COLORS = KnownValues.SPACE_COLORS;

    private SpaceCardTemplate() {}

    /** Emoji and colours follow from the name, so a Space made twice under one name looks the same. */
    static String of(RepoId id, @Nullable String sdk) {
        int hash = id.toString().hashCode() & Integer.MAX_VALUE;
        String from = COLORS.get(hash % COLORS.size());
        int offset = 1 + hash / COLORS.size() % (COLORS.size() - 1); // never the same colour twice
        String to = COLORS.get((COLORS.indexOf(from) + offset) % COLORS.size());
        StringBuilder card = new StringBuilder("---\n")
                .append("title: \"").append(id.name()).append("\"\n") // quoted: a name such as "yes" or "1.0" is text
                .append("emoji: ").append(EMOJIS.get(hash % EMOJIS.size())).append('\n')
                .append("colorFrom: ").append(from).append('\n')
                .append("colorTo: ").append(to).append('\n');
        if (sdk != null) {
            card.append("sdk: ").append(sdk).append('\n');
            if (sdk.equals("gradio") || sdk.equals("streamlit")) {
                card.append("app_file: app.py\n");
            }
        }
        return card.append("pinned: false\n---\n\n")
                .append("Describe your Space here. The block above configures it: title, emoji, card colours, SDK.\n")
                .toString();
    }
}
