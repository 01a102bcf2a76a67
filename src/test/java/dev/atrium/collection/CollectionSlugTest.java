package dev.atrium.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.collection.Collections.Collection;
import org.junit.jupiter.api.Test;

class CollectionSlugTest {
    private static String slug(String title) {
        return new Collection("0123456789abcdef01234567", "alice", title, null, false, "orange", 0, 0).slug();
    }

    @Test
    void slug_isTheTitlesWordsThenTheId() {
        assertEquals("alice/my-picks-2026-0123456789abcdef01234567", slug("My picks: 2026!"));
        assertEquals("alice/llama-3-1-fine-tunes-0123456789abcdef01234567", slug("  Llama 3.1 -- fine-tunes "));
    }

    @Test
    void slug_ofATitleWithoutLettersOrDigits_stillNamesTheCollection() {
        assertEquals("alice/collection-0123456789abcdef01234567", slug("🤗 !!!"));
        assertEquals("alice/caf-0123456789abcdef01234567", slug("Café"));
    }
}
