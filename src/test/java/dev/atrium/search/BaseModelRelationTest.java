package dev.atrium.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.card.CardMetadata;
import dev.atrium.repo.FileEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The model tree's relation: the card's word, else what the Hub reads from the files. */
class BaseModelRelationTest {

    private static Optional<String> relation(Map<String, Object> card, List<String> paths, String config)
            throws Exception {
        Map<String, FileEntry> byPath = new LinkedHashMap<>();
        paths.forEach(p -> byPath.put(p, new FileEntry(p, false, "0".repeat(40), 1, null, 1)));
        Optional<JsonNode> parsed = config == null ? Optional.empty()
                : Optional.of(new ObjectMapper().readTree(config));
        return RepoFactsReader.baseModelRelation(CardMetadata.of(card, ""), byPath, parsed);
    }

    @Test
    void relation_readFromTheFiles_whenTheCardIsSilent() throws Exception {
        Map<String, Object> one = Map.of("base_model", "alice/base");
        assertEquals(Optional.of("adapter"), relation(one, List.of("adapter_config.json",
                "adapter_model.safetensors"), null));
        assertEquals(Optional.of("quantized"), relation(one, List.of("gguf/model-Q4_K_M.gguf"), null));
        assertEquals(Optional.of("quantized"), relation(one, List.of("config.json"),
                "{\"quantization_config\": {\"bits\": 4}}"));
        assertEquals(Optional.of("merge"), relation(Map.of("base_model", List.of("alice/a", "bob/b")),
                List.of("model.safetensors"), null));
        assertEquals(Optional.of("finetune"), relation(one, List.of("model.safetensors"), "{\"model_type\": \"bert\"}"));
    }

    @Test
    void relation_theCardsWordWins_andNoBaseMeansNone() throws Exception {
        assertEquals(Optional.of("merge"), relation(Map.of("base_model", "alice/base", "base_model_relation", "merge"),
                List.of("adapter_config.json"), null));
        assertEquals(Optional.empty(), relation(Map.of(), List.of("adapter_config.json"), null));
    }
}
