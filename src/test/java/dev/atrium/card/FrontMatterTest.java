package dev.atrium.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FrontMatterTest {

    @Test
    void extract_closedBlock_returnsYamlBetweenMarkers() {
        String readme = "---\nlicense: mit\ntags:\n- nlp\n---\n# Model\n\nText\n";
        assertEquals(Optional.of("license: mit\ntags:\n- nlp\n"), FrontMatter.extract(readme));
    }

    @Test
    void extract_closingMarkerAtEndOfFile_isFound() {
        assertEquals(Optional.of("license: mit\n"), FrontMatter.extract("---\nlicense: mit\n---"));
    }

    @Test
    void extract_closingMarkerWithTrailingSpaces_isFound() {
        assertEquals(Optional.of("a: 1\n"), FrontMatter.extract("---\na: 1\n---   \nbody"));
    }

    @Test
    void extract_emptyBlock_isEmptyString() {
        assertEquals(Optional.of(""), FrontMatter.extract("---\n---\nbody"));
    }

    @Test
    void extract_noClosingMarker_isEmpty() {
        assertEquals(Optional.empty(), FrontMatter.extract("---\nlicense: mit\n# Model\n"));
        assertEquals(Optional.empty(), FrontMatter.extract("---\n"));
    }

    @Test
    void extract_noOpeningMarker_isEmpty() {
        assertEquals(Optional.empty(), FrontMatter.extract("# Model\n---\na: 1\n---\n"));
        assertEquals(Optional.empty(), FrontMatter.extract("--- \na: 1\n---\n"));
        assertEquals(Optional.empty(), FrontMatter.extract("----\na: 1\n----\n"));
        assertEquals(Optional.empty(), FrontMatter.extract(""));
    }

    @Test
    void extract_crlfLineEndings_isFoundAndParses() {
        String readme = "---\r\nlicense: mit\r\nlanguage: en\r\n---\r\n# Model\r\n";
        String yaml = FrontMatter.extract(readme).orElseThrow();
        assertEquals("license: mit\r\nlanguage: en\r\n", yaml);
        assertEquals(Map.of("license", "mit", "language", "en"), FrontMatter.parse(yaml));
    }

    @Test
    void extract_blankLinesBeforeTheBlock_isFoundAsTheClientFindsIt() {
        String readme = "\n\n---\nlicense: mit\n---\n# Model\n";
        assertEquals(Optional.of("license: mit\n"), FrontMatter.extract(readme));
        assertEquals("# Model\n", FrontMatter.body(readme));
        assertEquals(Optional.of("a: 1\n"), FrontMatter.extract("  \t---\na: 1\n---\n"));
    }

    @Test
    void body_withoutBlock_isTheWholeText() {
        assertEquals("# Model\n---\n", FrontMatter.body("\uFEFF# Model\n---\n"));
        assertEquals("", FrontMatter.body("---\na: 1\n---"));
    }

    @Test
    void validate_modelIndexOfTheWrongShape_namesTheValue() {
        InvalidCardException e = assertThrows(InvalidCardException.class,
                () -> FrontMatter.validate("\n---\nmodel-index: foo\n---\nbody\n"));
        assertTrue(e.getMessage().contains("\"model-index\" must be a list"), e.getMessage());
        e = assertThrows(InvalidCardException.class, () -> FrontMatter.validate(
                "---\nmodel-index:\n- name: m\n  results:\n  - task: text-generation\n---\n"));
        assertTrue(e.getMessage().contains("\"model-index[0].results[0].task\" must be a mapping"), e.getMessage());
        e = assertThrows(InvalidCardException.class, () -> FrontMatter.validate(
                "---\nmodel-index:\n- name: m\n  results:\n  - metrics: accuracy\n---\n"));
        assertTrue(e.getMessage().contains("\"model-index[0].results[0].metrics\" must be a list"), e.getMessage());
    }

    @Test
    void validate_wellFormedModelIndexOrNone_isTheMetadata() {
        String card = """
                ---
                license: mit
                model-index:
                - name: m
                  results:
                  - task: {type: text-classification}
                    dataset: {type: imdb, name: IMDb}
                    metrics:
                    - {type: accuracy, value: 0.9}
                ---
                """;
        assertEquals("mit", FrontMatter.validate(card).orElseThrow().get("license"));
        assertEquals(Optional.empty(), FrontMatter.validate("# No metadata\n"));
        FrontMatter.validate("---\nmodel-index:\n---\n");
        FrontMatter.validate("---\nmodel-index:\n- name: m\n  results:\n---\n");
    }

    @Test
    void extract_byteOrderMark_isSkipped() {
        String readme = "\uFEFF---\nlicense: mit\n---\n# Model\n";
        assertEquals(Optional.of("license: mit\n"), FrontMatter.extract(readme));
    }

    @Test
    void parse_mapping_keepsKeysInOrderWithTypedValues() {
        Map<String, Object> meta = FrontMatter.parse("license: mit\ntags:\n- a\n- b\nlikes: 3\n");
        assertEquals(List.of("license", "tags", "likes"), List.copyOf(meta.keySet()));
        assertEquals("mit", meta.get("license"));
        assertEquals(List.of("a", "b"), meta.get("tags"));
        assertEquals(3, meta.get("likes"));
    }

    @Test
    void parse_nonStringKeys_areStringified() {
        assertEquals(Map.of("1", "one", "true", "x"), FrontMatter.parse("1: one\ntrue: x\n"));
    }

    @Test
    void parse_emptyOrCommentOnly_isEmptyMap() {
        assertEquals(Map.of(), FrontMatter.parse(""));
        assertEquals(Map.of(), FrontMatter.parse("# nothing here\n"));
    }

    @Test
    void parse_syntaxError_namesTheReadmeLine() {
        // README line 1 is the opening '---', so YAML line 3 is README line 4.
        String readme = "---\nlicense: mit\nlanguage: en\ntags: a: b\n---\n";
        InvalidCardException e = assertThrows(InvalidCardException.class,
                () -> FrontMatter.parse(FrontMatter.extract(readme).orElseThrow()));
        assertTrue(e.getMessage().contains("line 4"), e.getMessage());
    }

    @Test
    void parse_duplicateKey_isRejectedNamingTheLine() {
        InvalidCardException e = assertThrows(InvalidCardException.class,
                () -> FrontMatter.parse("license: mit\nlicense: apache-2.0\n"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void parse_billionLaughsAliasBomb_isRejectedQuickly() {
        String bomb = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                """;
        InvalidCardException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertThrows(InvalidCardException.class, () -> FrontMatter.parse(bomb)));
        assertTrue(e.getMessage().contains("aliases"), e.getMessage());
    }

    @Test
    void parse_fewAliases_areAllowed() {
        Map<String, Object> meta = FrontMatter.parse("base: &b {lr: 1}\nrun1: *b\nrun2: *b\n");
        assertEquals(Map.of("lr", 1), meta.get("run2"));
    }

    @Test
    void parse_deepNesting_isRejected() {
        String deep = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
        assertThrows(InvalidCardException.class, () -> FrontMatter.parse(deep));
    }

    @Test
    void parse_sequence_isRejectedAsNotAMapping() {
        InvalidCardException e = assertThrows(InvalidCardException.class, () -> FrontMatter.parse("- a\n- b\n"));
        assertTrue(e.getMessage().contains("mapping"), e.getMessage());
    }

    @Test
    void parse_scalar_isRejectedAsNotAMapping() {
        assertThrows(InvalidCardException.class, () -> FrontMatter.parse("just some text\n"));
    }

    @Test
    void parse_unsafeTag_isRejected() {
        assertThrows(InvalidCardException.class,
                () -> FrontMatter.parse("x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]\n"));
    }

    @Test
    void parse_largerThan512KiB_isRejected() {
        String yaml = "a: \"" + "x".repeat(FrontMatter.MAX_BYTES) + "\"\n";
        InvalidCardException e = assertThrows(InvalidCardException.class, () -> FrontMatter.parse(yaml));
        assertTrue(e.getMessage().contains("512 KiB"), e.getMessage());
    }

    @Test
    void parse_justUnder512KiB_isAccepted() {
        String value = "x".repeat(FrontMatter.MAX_BYTES - 100);
        assertEquals(value, FrontMatter.parse("a: \"" + value + "\"\n").get("a"));
    }

    @Test
    void parse_over512KiBOfUtf8InFewerChars_isRejected() {
        String yaml = "a: \"" + "é".repeat(300_000) + "\"\n";
        assertTrue(yaml.getBytes(StandardCharsets.UTF_8).length > FrontMatter.MAX_BYTES);
        assertThrows(InvalidCardException.class, () -> FrontMatter.parse(yaml));
    }

    @Test
    void readLeniently_invalidYaml_isEmptyRatherThanThrowing() {
        assertEquals(Optional.empty(), FrontMatter.readLeniently("---\n- a\n---\n"));
        assertEquals(Optional.empty(), FrontMatter.readLeniently("---\na: [\n---\n"));
    }

    @Test
    void readLeniently_validCard_isParsed() {
        assertEquals(Optional.of(Map.of("license", "mit")), FrontMatter.readLeniently("---\nlicense: mit\n---\n"));
    }
}
