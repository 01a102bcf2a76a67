package dev.atrium.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.card.KnownValues;
import dev.atrium.http.Json;
import org.jspecify.annotations.Nullable;

/**
 * How a Space's card looks in listings and atop its page, from its README's configuration as on the Hub: its {@code emoji}, and the
 * gradient from {@code colorFrom} to {@code colorTo}, as CSS classes (only the Hub's eight colour names: a card's
 * text never reaches a class attribute unchecked).
 */
record SpaceLook(@Nullable String emoji, String colors) {
    static final SpaceLook NONE = new SpaceLook(null, "");
    private static final int MAX_EMOJI_LENGTH = 16;

    static SpaceLook of(@Nullable String cardJson) {
        if (cardJson == null) {
            return NONE;
        }
        try {
            return fromCard(Json.MAPPER.readTree(cardJson));
        } catch (java.io.IOException e) {
            return NONE;
        }
    }

    /** From a card's metadata as parsed from its front matter. */
    static SpaceLook ofMetadata(java.util.Map<String, Object> card) {
        return fromCard(Json.MAPPER.valueToTree(card));
    }

    private static SpaceLook fromCard(JsonNode card) {
        String emoji = card.path("emoji").isTextual() && card.path("emoji").asText().length() <= MAX_EMOJI_LENGTH
                ? card.path("emoji").asText() : null;
        String from = card.path("colorFrom").asText("");
        String to = card.path("colorTo").asText("");
        String colors = KnownValues.SPACE_COLORS.contains(from) && KnownValues.SPACE_COLORS.contains(to)
                ? "from-" + from + " to-" + to : "";
        return new SpaceLook(emoji, colors);
    }
}
