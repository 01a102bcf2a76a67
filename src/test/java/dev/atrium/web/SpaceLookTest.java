package dev.atrium.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SpaceLookTest {

    @Test
    void of_cardWithEmojiAndHubColours_isThem() {
        SpaceLook look = SpaceLook.of("{\"emoji\": \"🚀\", \"colorFrom\": \"indigo\", \"colorTo\": \"pink\"}");
        assertEquals("🚀", look.emoji());
        assertEquals("from-indigo to-pink", look.colors());
    }

    @Test
    void of_colourTheHubDoesNotName_isNoGradient() {
        String injected = "{\"colorFrom\": \"indigo\", \"colorTo\": \"x\\\" onmouseover=\\\"y\"}";
        assertEquals("", SpaceLook.of(injected).colors());
        assertEquals("", SpaceLook.of("{\"colorFrom\": \"indigo\"}").colors());
    }

    @Test
    void of_noCardOrNoEmoji_isPlain() {
        assertEquals(SpaceLook.NONE, SpaceLook.of(null));
        assertEquals(SpaceLook.NONE, SpaceLook.of("not json"));
        assertNull(SpaceLook.of("{\"emoji\": 3}").emoji());
        assertNull(SpaceLook.of("{\"emoji\": \"" + "x".repeat(40) + "\"}").emoji());
    }

    @Test
    void ofMetadata_theCardAsParsedFromItsYaml_looksTheSame() {
        assertEquals(new SpaceLook("🚀", "from-indigo to-pink"), SpaceLook.ofMetadata(java.util.Map.of(
                "emoji", "🚀", "colorFrom", "indigo", "colorTo", "pink", "pinned", true)));
        assertEquals(new SpaceLook(null, ""), SpaceLook.ofMetadata(java.util.Map.of("emoji", java.util.List.of("🚀"))));
    }
}
