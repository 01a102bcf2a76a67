package dev.atrium.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CardMetadataTest {
    private static CardMetadata card(String yaml, String body) {
        return CardMetadata.of(FrontMatter.parse(yaml), body);
    }

    @Test
    void of_hubFields_areReadLeniently() {
        CardMetadata card = card("""
                license: apache-2.0
                language: en
                tags: [chemistry, "1"]
                datasets: org/data
                base_model: [a/one, b/two]
                base_model_relation: merge
                pipeline_tag: text-generation
                library_name: transformers
                custom_key: {kept: true}
                """, "See https://arxiv.org/abs/2106.09685v2 and arxiv.org/pdf/1706.03762.");
        assertEquals(List.of("en"), card.languages());
        assertEquals(List.of("chemistry", "1"), card.tags());
        assertEquals(List.of("org/data"), card.datasets());
        assertEquals(List.of("a/one", "b/two"), card.baseModels());
        assertEquals("merge", card.baseModelRelation().orElseThrow());
        assertEquals(List.of("2106.09685", "1706.03762"), card.arxivIds());
        assertEquals(Map.of("kept", true), card.data().get("custom_key"), "unknown keys are kept");
        assertEquals(List.of(), card.warnings());
    }

    @Test
    void of_valuesTheHubDoesNotKnow_areKeptWithWarnings() {
        CardMetadata card = card("""
                license: apache2
                language: [en, english, pt-BR, fra]
                pipeline_tag: text-magic
                base_model_relation: cousin
                """, "");
        assertEquals("apache2", card.license().orElseThrow(), "the value is kept as written");
        assertEquals(4, card.warnings().size(), String.valueOf(card.warnings()));
        assertTrue(card.warnings().get(0).contains("apache2"));
        assertTrue(card.warnings().stream().anyMatch(w -> w.contains("\"english\"")));
        assertFalse(card.warnings().stream().anyMatch(w -> w.contains("pt-BR") || w.contains("fra")),
                "a region subtag and a 639-2 code are fine");
    }

    @Test
    void of_otherLicenseWithoutName_warns() {
        assertEquals(1, card("license: other\n", "").warnings().size());
        assertEquals(0, card("license: other\nlicense_name: my-license\nlicense_link: LICENSE\n", "").warnings().size());
    }

    @Test
    void isLanguage_isoCodes() {
        assertTrue(KnownValues.isLanguage("en"));
        assertTrue(KnownValues.isLanguage("deu"));
        assertTrue(KnownValues.isLanguage("zh-Hant"));
        assertFalse(KnownValues.isLanguage("English"));
        assertFalse(KnownValues.isLanguage("xx"));
    }
}
