package dev.atrium.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CardRendererTest {
    private static final CardRenderer.Links LINKS = new CardRenderer.Links(
            ref -> "/alice/m/blob/main/" + CardRenderer.resolvePath("", ref),
            ref -> "/alice/m/resolve/main/" + CardRenderer.resolvePath("", ref));
    private final CardRenderer renderer = new CardRenderer();

    private Document render(String readme) {
        return Jsoup.parseBodyFragment(renderer.render(readme, LINKS));
    }

    @Test
    void render_yamlBlock_isNotShownAndTheBodyIs() {
        Document html = render("---\nlicense: mit\ntags:\n- x\n---\n# Title\n\nText.\n");
        assertFalse(html.text().contains("license"), html.html());
        assertEquals("Title", html.selectFirst("h1").text());
        assertEquals("title", html.selectFirst("h1").id(), "headings get anchors");
    }

    @Test
    void render_gfm_tablesTaskListsStrikethroughAutolinksAndFencedCode() {
        Document html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~\n\n"
                + "https://example.org\n\n```python\nprint('hi')\n```\n");
        assertEquals(2, html.select("table td").size());
        assertEquals(2, html.select("input[type=checkbox][disabled]").size());
        assertEquals(1, html.select("input[checked]").size());
        assertEquals("old", html.selectFirst("del").text());
        assertEquals("https://example.org", html.selectFirst("a").attr("href"));
        assertEquals("language-python", html.selectFirst("pre code").className());
    }

    @Test
    void render_relativeLinksAndImages_pointIntoTheRepo() {
        Document html = render("[config](./config.json) [up](../x/../y.md) ![plot](img/plot.png) [anchor](#usage)"
                + " [site](https://example.org/a) [root](/datasets/x)");
        var links = html.select("a");
        assertEquals("/alice/m/blob/main/config.json", links.get(0).attr("href"));
        assertEquals("/alice/m/blob/main/y.md", links.get(1).attr("href"));
        assertEquals("#usage", links.get(2).attr("href"));
        assertEquals("https://example.org/a", links.get(3).attr("href"));
        assertTrue(links.get(3).attr("rel").contains("noopener"));
        assertEquals("/datasets/x", links.get(4).attr("href"));
        assertEquals("/alice/m/resolve/main/img/plot.png", html.selectFirst("img").attr("src"));
    }

    @Test
    void render_commonHubHtml_isKept() {
        Document html = render("<div align=\"center\"><img src=\"logo.png\" width=\"200\" alt=\"logo\"></div>\n\n"
                + "<details><summary>More</summary>hidden</details>");
        Element img = html.selectFirst("img");
        assertEquals("200", img.attr("width"));
        assertEquals("/alice/m/resolve/main/logo.png", img.attr("src"));
        assertEquals("center", html.selectFirst("div").attr("align"));
        assertEquals("More", html.selectFirst("details summary").text());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<svg onload=alert(1)><circle/></svg>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<div style=\"background:url(javascript:alert(1))\" onclick=\"alert(1)\">x</div>",
        "<form action=\"/settings\"><input type=\"submit\"></form>",
        "<object data=\"x.swf\"></object><embed src=\"x\">",
        "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<base href=\"https://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    })
    void render_xssPayloads_leaveNothingExecutable(String payload) {
        String html = renderer.render("# Card\n\n" + payload + "\n", LINKS).toLowerCase(Locale.ROOT);
        for (String bad : new String[] {"<script", "onerror", "onload", "onclick", "javascript:", "<svg", "<iframe",
                "style=", "<form", "<object", "<embed", "data:text", "<base", "<meta", "<style"}) {
            assertFalse(html.contains(bad), bad + " survived in: " + html);
        }
    }

    @Test
    void resolvePath_neverClimbsAboveTheRoot() {
        assertEquals("a.txt", CardRenderer.resolvePath("", "../../a.txt"));
        assertEquals("docs/b.md", CardRenderer.resolvePath("docs", "./b.md?x=1#top"));
    }
}
