package dev.atrium.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LfsRulesTest {
    private static final String LFS = " filter=lfs diff=lfs merge=lfs -text";

    private static String defaultModelAttributes() throws IOException {
        try (InputStream in = LfsRules.class.getResourceAsStream("/dev/atrium/repo/gitattributes-model")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void isLfs_extensionRule_matchesAtAnyDepth() {
        LfsRules rules = LfsRules.parse("*.bin" + LFS + "\n");
        assertTrue(rules.isLfs("pytorch_model.bin"));
        assertTrue(rules.isLfs("a/b/c/model.bin"));
        assertFalse(rules.isLfs("model.binx"));
        assertFalse(rules.isLfs("bin"));
        assertFalse(rules.isLfs("model.bin/readme.md"));
    }

    @Test
    void isLfs_doubleStarFolderRule_matchesEverythingBelowTheFolderOnly() {
        LfsRules rules = LfsRules.parse("saved_model/**/*" + LFS + "\n");
        assertTrue(rules.isLfs("saved_model/saved_model.pb"));
        assertTrue(rules.isLfs("saved_model/variables/variables.index"));
        assertFalse(rules.isLfs("saved_model"));
        assertFalse(rules.isLfs("other/saved_model/x"));
        assertFalse(rules.isLfs("saved_model.pb"));
    }

    @Test
    void isLfs_laterUnsetFilter_overridesEarlierRule() {
        LfsRules rules = LfsRules.parse("*.bin" + LFS + "\nkeep.bin -filter\n");
        assertFalse(rules.isLfs("keep.bin"));
        assertFalse(rules.isLfs("sub/keep.bin"));
        assertTrue(rules.isLfs("other.bin"));
    }

    @Test
    void isLfs_laterUnspecifiedFilter_overridesEarlierRule() {
        LfsRules rules = LfsRules.parse("*.bin" + LFS + "\nplain.bin !filter\n");
        assertFalse(rules.isLfs("plain.bin"));
        assertTrue(rules.isLfs("other.bin"));
    }

    @Test
    void isLfs_laterLfsRule_overridesEarlierUnset() {
        LfsRules rules = LfsRules.parse("*.bin -filter\n*.bin" + LFS + "\n");
        assertTrue(rules.isLfs("x.bin"));
    }

    @Test
    void isLfs_otherFilterValue_isNotLfs() {
        LfsRules rules = LfsRules.parse("*.bin filter=crypt\n*.dat filter\n");
        assertFalse(rules.isLfs("x.bin"));
        assertFalse(rules.isLfs("x.dat"));
    }

    @Test
    void isLfs_ruleWithoutFilterAttribute_leavesEarlierDecision() {
        LfsRules rules = LfsRules.parse("*.bin" + LFS + "\n*.bin -diff\n");
        assertTrue(rules.isLfs("x.bin"));
    }

    @Test
    void isLfs_commentsBlankLinesAndNoRules_routeNothing() {
        assertFalse(LfsRules.parse("").isLfs("x.bin"));
        assertFalse(LfsRules.parse("# *.bin" + LFS + "\n\n").isLfs("x.bin"));
    }

    @Test
    void isLfs_hubDefaultModelAttributes_routeUsualWeightFiles() throws IOException {
        LfsRules rules = LfsRules.parse(defaultModelAttributes());
        assertTrue(rules.isLfs("model.safetensors"));
        assertTrue(rules.isLfs("onnx/model.onnx"));
        assertTrue(rules.isLfs("data.tar.gz"));
        assertTrue(rules.isLfs("runs/events.out.tfevents.1234"));
        assertFalse(rules.isLfs("config.json"));
        assertFalse(rules.isLfs("README.md"));
        assertFalse(rules.isLfs(".gitattributes"));
    }

    @Test
    void isLfs_crlfAttributes_areParsed() {
        assertTrue(LfsRules.parse("*.bin" + LFS + "\r\n*.pt" + LFS + "\r\n").isLfs("a.pt"));
    }

    @Test
    void ruleFor_path_isEscapedPatternWithLfsAttributes() {
        assertEquals("/dir/a[[:space:]]b\\[1\\]\\*.bin" + LFS, LfsRules.ruleFor("dir/a b[1]*.bin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"data/my file.txt", "data/a[1].txt", "data/star*.txt", "data/q?.txt", "data/#hash.txt",
            "data/!bang.txt", "data/a b[c]*d?.txt", "données/é t.txt", "data/back\\slash.txt", "deep/a/b/c.txt"})
    void ruleFor_parsedBack_matchesExactlyThatPath(String path) {
        LfsRules rules = LfsRules.parse(LfsRules.ruleFor(path) + "\n");
        assertTrue(rules.isLfs(path), "rule does not match its own path " + path);
        assertFalse(rules.isLfs("other/" + path), "rule also matches other/" + path);
        assertFalse(rules.isLfs(path + ".bak"));
        // Each special character must be literal, not a wildcard or class matching other names.
        if (path.contains(" ")) {
            assertFalse(rules.isLfs(path.replace(' ', '_')), "space matched '_'");
        }
        if (path.contains("[")) {
            assertFalse(rules.isLfs(path.replace("[c]", "c").replace("[1]", "1")), "brackets became a class");
        }
        if (path.contains("*")) {
            assertFalse(rules.isLfs(path.replace("*", "xyz")), "'*' became a wildcard");
        }
        if (path.contains("?")) {
            assertFalse(rules.isLfs(path.replace("?", "x")), "'?' became a wildcard");
        }
    }

    @Test
    void ruleFor_leadingHashOrBang_isNotACommentOrNegation() {
        assertTrue(LfsRules.parse(LfsRules.ruleFor("#notes.txt") + "\n").isLfs("#notes.txt"));
        assertTrue(LfsRules.parse(LfsRules.ruleFor("!important.txt") + "\n").isLfs("!important.txt"));
    }

    @Test
    void ruleFor_appendedToExistingAttributes_routesOnlyTheNewPath() throws IOException {
        LfsRules rules = LfsRules.parse(defaultModelAttributes() + LfsRules.ruleFor("data/big file.json") + "\n");
        assertTrue(rules.isLfs("data/big file.json"));
        assertFalse(rules.isLfs("data/other.json"));
        assertTrue(rules.isLfs("model.safetensors"));
    }

    @Test
    void ruleFor_rootLevelPath_doesNotMatchSameNameInSubfolder() {
        LfsRules rules = LfsRules.parse(LfsRules.ruleFor("weights.json") + "\n");
        assertTrue(rules.isLfs("weights.json"));
        assertFalse(rules.isLfs("sub/weights.json"));
    }
}
