package dev.atrium.card;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.ext.task.list.items.TaskListItemsExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * A model or dataset card as HTML: GitHub-flavoured Markdown (tables, task lists, strikethrough, autolinks, heading
 * anchors), the YAML block left out, relative links and images pointed into the repo, and everything sanitized.
 * Cards are written by anyone who can push, so raw HTML in them (common on the Hub: centred logos, badges) goes
 * through an allow-list: no scripts, event handlers, {@code javascript:} URLs, styles, forms, frames or SVG.
 */
public final class CardRenderer {
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(),
            StrikethroughExtension.create(), TaskListItemsExtension.create(), AutolinkExtension.create(),
            HeadingAnchorExtension.create());

    /** Where a card's relative references point: a link opens the file's page, an image loads the file itself. */
    public record Links(UnaryOperator<String> page, UnaryOperator<String> file) {}

    private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();
    private final HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS).sanitizeUrls(true).build();
    private final Safelist safelist = Safelist.relaxed()
            .addTags("details", "summary", "input", "hr", "del", "s", "kbd", "sup", "sub")
            .addAttributes(":all", "id", "align", "title")
            .addAttributes("code", "class")
            .addAttributes("img", "width", "height", "alt")
            .addAttributes("input", "type", "checked", "disabled")
            .addAttributes("a", "href", "title")
            .addProtocols("a", "href", "http", "https", "mailto", "#")
            .addProtocols("img", "src", "http", "https")
            .preserveRelativeLinks(true);

    /** The card's body (after its YAML block) as sanitized HTML. */
    public String render(String readme, Links links) {
        String html = renderer.render(parser.parse(FrontMatter.body(readme)));
        // The base URI only lets the cleaner accept relative links; they are rewritten below.
        Document clean = new Cleaner(safelist).clean(Jsoup.parseBodyFragment(html, "https://card.invalid/"));
        for (Element input : clean.select("input")) {
            if (!"checkbox".equals(input.attr("type").toLowerCase(Locale.ROOT))) {
                input.remove(); // task lists only
            } else {
                input.attr("disabled", "");
            }
        }
        for (Element a : clean.select("a[href]")) {
            String href = a.attr("href");
            if (isRelative(href)) {
                a.attr("href", links.page().apply(href));
            } else if (!href.startsWith("#")) {
                a.attr("rel", "nofollow noopener noreferrer");
            }
        }
        for (Element img : clean.select("img[src]")) {
            String src = img.attr("src");
            if (isRelative(src)) {
                img.attr("src", links.file().apply(src));
            }
            img.attr("loading", "lazy");
        }
        clean.outputSettings().prettyPrint(false);
        return clean.body().html();
    }

    /** A path inside the repo: no scheme, not an anchor, not absolute on this host. */
    private static boolean isRelative(String url) {
        return !url.isEmpty() && !url.startsWith("#") && !url.startsWith("/") && !url.startsWith("//")
                && !url.matches("(?i)^[a-z][a-z0-9+.-]*:.*");
    }

    /**
     * Resolves a relative reference against a folder of the repo ({@code ""} for the root), removing {@code ./} and
     * {@code ../} segments; never climbs above the root. The query and fragment are dropped.
     */
    public static String resolvePath(String folder, String reference) {
        String path = reference.replaceAll("[?#].*$", "");
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String p : (folder.isEmpty() ? path : folder + "/" + path).split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }
}
