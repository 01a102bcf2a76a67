package dev.atrium.card;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class EvalResultsTest {
    private static Map<String, Object> yaml(String text) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }

    @Test
    void everyMetricOfEveryResult_withItsDatasetConfigSplitAndSource() {
        Map<String, Object> card = yaml("""
                model-index:
                - name: tiny-bert
                  results:
                  - task: {type: text-classification, name: Text Classification}
                    dataset: {type: stanfordnlp/imdb, name: IMDB, config: plain_text, split: test}
                    metrics:
                    - {type: accuracy, value: 0.9130, name: Accuracy, verified: true}
                    - {type: f1, value: 0.3}
                    source: {name: Open LLM Leaderboard, url: 'https://example.org/board'}
                  - task: {type: question-answering}
                    dataset: {name: local eval}
                    metrics:
                    - {name: EM, value: 71}
                    source: {url: 'javascript:alert(1)'}
                """);
        assertEquals(List.of(
                new EvalResults.Result("Text Classification", "IMDB (plain_text, test)", "stanfordnlp/imdb",
                        "Accuracy", "0.913", "Open LLM Leaderboard", "https://example.org/board"),
                new EvalResults.Result("Text Classification", "IMDB (plain_text, test)", "stanfordnlp/imdb",
                        "f1", "0.3", "Open LLM Leaderboard", "https://example.org/board"),
                new EvalResults.Result("question-answering", "local eval", null, "EM", "71", null, null)),
                EvalResults.of(card));
    }

    @Test
    void noModelIndex_orEmptyParts_giveNothingOrBlanks() {
        assertEquals(List.of(), EvalResults.of(Map.of()));
        assertEquals(List.of(), EvalResults.of(yaml("model-index:\n- name: x\n")));
        assertEquals(List.of(new EvalResults.Result("", "", null, "", "", null, null)),
                EvalResults.of(yaml("model-index:\n- results:\n  - metrics:\n    - {}\n")));
    }

    @Test
    void onlyARepoIdBecomesADatasetLink() {
        for (String type : List.of("imdb", "../../logout", "a/b/c", "javascript:alert(1)", "x/..")) {
            Map<String, Object> card = yaml("model-index:\n- results:\n  - dataset: {type: '" + type
                    + "'}\n    metrics:\n    - {name: m, value: 1}\n");
            EvalResults.Result r = EvalResults.of(card).get(0);
            assertEquals(null, r.datasetId(), type);
            assertEquals(type, r.dataset(), "shown as text: " + type);
        }
    }

    @Test
    void aCardCannotMakeThePageListAMillionRows() {
        StringBuilder metrics = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            metrics.append("    - {name: m").append(i).append(", value: ").append(i).append("}\n");
        }
        assertEquals(EvalResults.MAX, EvalResults.of(yaml("model-index:\n- results:\n  - metrics:\n" + metrics)).size());
    }
}
