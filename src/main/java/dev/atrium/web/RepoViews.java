package dev.atrium.web;

import dev.atrium.card.EvalResults;
import dev.atrium.scan.PickleScanner;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the repo pages' templates show; built by {@link RepoPages}, never holding anything the viewer may not see. */
public final class RepoViews {
    private RepoViews() {}

    /**
     * The part every tab of a repo shows.
     *
     * @param base the repo's page, e.g. {@code /alice/bert} or {@code /datasets/alice/squad}
     * @param tab {@code card}, {@code files} or {@code commits}
     * @param revision the branch, tag or commit the tabs link to
     * @param liked whether the viewer likes it; null when nobody is signed in (no like button then)
     * @param openDiscussions how many discussions and pull requests are open, counted on the Community tab
     * @param canEdit whether the signed-in viewer may change it (the page then offers to)
     * @param canDownload whether the viewer may see its files' content (false for a gated repo they are not let
     *     into: the card and file list stay visible, as on the Hub)
     * @param mirror where a mirror's content comes from and how its syncs go; null for a repo that takes commits
     */
    public record Header(String kind, String id, String namespace, String name, String base, boolean isPrivate,
                         long likes, @Nullable Boolean liked, boolean canEdit, boolean canPropose,
                         boolean canDownload, String apiPath, String tab, String revision,
                         List<String> cloneCommands, int openDiscussions, @Nullable MirrorLine mirror) {
        /** Whether a viewer is signed in: only theirs is a like that is known, given or not. */
        public boolean signedIn() {
            return liked != null;
        }

        /**
         * Whether the page offers upload, edit and delete: as commits, or as pull requests ({@code canPropose}); never
         * on a mirror, whose files come from its source.
         */
        public boolean canChange() {
            return mirror == null && (canEdit || canPropose);
        }

        public String treeUrl(String path) {
            return base + "/tree/" + Urls.segment(revision) + (path.isEmpty() ? "" : "/" + Urls.path(path));
        }

        public String blobUrl(String path) {
            return base + "/blob/" + Urls.segment(revision) + "/" + Urls.path(path);
        }

        public String rawUrl(String path) {
            return base + "/raw/" + Urls.segment(revision) + "/" + Urls.path(path);
        }

        public String resolveUrl(String path) {
            return base + "/resolve/" + Urls.segment(revision) + "/" + Urls.path(path);
        }

        public String editUrl(String action, String path) {
            return base + "/" + action + "/" + Urls.segment(revision) + (path.isEmpty() ? "" : "/" + Urls.path(path));
        }

        public String commitsUrl() {
            return base + "/commits/" + Urls.segment(revision);
        }

        public String commitUrl(String sha) {
            return base + "/commit/" + sha;
        }
    }

    /**
     * A mirror's line under its title.
     *
     * @param state how its syncs go, in words ("Synced 2026-11-28 18:17 UTC", "Importing...", the last failure)
     * @param failed whether the last sync failed
     * @param syncUrl where the viewer may ask for a sync now; null when they may not
     * @param csrf the session's token, which that form carries
     */
    public record MirrorLine(String source, String state, boolean failed, @Nullable String syncUrl,
                             @Nullable String csrf) {}

    /** One line of the metadata sidebar: a label and its values, each with the listing link that filters by it. */
    public record Fact(String label, List<Link> values) {}

    public record Link(String text, String href) {}

    /** A copyable snippet of the "Use this model" box. */
    public record Snippet(String title, String code) {}

    /**
     * @param endpoint this hub's URL, which the Python clients need in {@code HF_ENDPOINT}
     * @param gate what a gated repo asks of a visitor not let in yet; null when the files are open to them
     */
    public record CardPage(Header header, @Nullable String cardHtml, List<Fact> facts, List<Link> tags,
                           List<Snippet> snippets, String endpoint, List<String> warnings, String lastCommit,
                           String lastModified, @Nullable Gate gate, List<SecurityWarning> warnedFiles,
                           @Nullable SpaceView space, @Nullable InferenceView inference,
                           List<EvalResults.Result> evalResults, @Nullable String previewUrl) {}

    /**
     * The inference widget of a model the hub runs: its task, the API path it posts to, and the sample inputs (the
     * card's first {@code widget} entry, else the task's own); {@code labels}: zero-shot classification's labels, or
     * the sentences sentence similarity compares with, a line each; {@code chat} for text-generation models with a
     * chat template, which get a conversation instead.
     */
    public record InferenceView(String task, String url, String example, String labels, boolean chat) {}

    /**
     * A Space's app on its page: the framed app when it runs ({@code appUrl}), else why not ({@code message}).
     */
    /** @param hardware what the app runs on, as people read it ("CPU Basic"), or null for a static Space */
    /** {@code emoji} and {@code colors}: the card's look ({@link SpaceLook}), for the banner atop the page. */
    public record SpaceView(@Nullable String appUrl, String stage, @Nullable String message,
                            @Nullable String hardware, @Nullable String emoji, String colors) {
        SpaceView(@Nullable String appUrl, String stage, @Nullable String message, @Nullable String hardware) {
            this(appUrl, stage, message, hardware, null, "");
        }

        SpaceView withLook(SpaceLook look) {
            return new SpaceView(appUrl, stage, message, hardware, look.emoji(), look.colors());
        }
    }

    /**
     * A file of the default branch whose scans found a virus, pickles that can run code ("unsafe"), or pickles worth a
     * look ("caution"); {@code viruses}: what ClamAV found, empty when it found nothing.
     */
    public record SecurityWarning(String path, String href, String status, List<String> viruses) {}

    /**
     * A gated repo's request form: the card's prompt and fields, and where the viewer's request stands.
     *
     * @param status {@code none}, {@code pending} or {@code rejected}; {@code signin} for anonymous visitors
     */
    public record Gate(String prompt, List<GateField> fields, String status) {}

    /** One field of the request form: {@code type} is checkbox or text (anything else the Hub allows shows as text). */
    public record GateField(String name, String type) {}

    /**
     * @param pickle     the pickle scan's status ("safe", "caution", "unsafe", "queued"); null for other files
     * @param virusFound whether ClamAV found a virus in the file
     */
    public record TreeRow(String name, String href, boolean isDirectory, String size, boolean isLfs,
                          @Nullable String pickle, boolean virusFound, @Nullable LastCommit lastCommit) {}

    /** The commit that last changed an entry; {@code date} ISO-8601. */
    public record LastCommit(String title, String author, String shortSha, String href, String date) {}

    /** Rows {@code first} to {@code last} (from 1) of {@code total}, and the neighbouring pages' links. */
    public record Pager(int first, int last, int total, @Nullable String previousUrl, @Nullable String nextUrl) {}

    public record TreePage(Header header, String path, List<Link> crumbs, List<TreeRow> rows, List<String> branches,
                           List<String> tags, @Nullable LastCommit lastCommit, Pager pager) {}

    /**
     * One file. Exactly one of {@code lines} (text), {@code imageUrl} or {@code summary} (binary or LFS) is used.
     */
    public record BlobPage(Header header, String path, List<Link> crumbs, String size, @Nullable List<String> lines,
                           @Nullable String imageUrl, @Nullable String pdfUrl, @Nullable String summary, @Nullable String lfsSha256,
                           String pointerSize, String language, String rawUrl, String downloadUrl,
                           String historyUrl, @Nullable PickleView pickle, @Nullable VirusView virus) {}

    /** A file's pickle scan on its page: the status, and each import with its level. */
    public record PickleView(String status, List<PickleScanner.Found> imports, @Nullable String problem) {}

    /**
     * A file's antivirus scan on its page: {@code state} is {@code queued}, {@code clean}, {@code infected} (with the
     * signatures that matched) or {@code too_large} (past clamd's limit, not scanned).
     */
    public record VirusView(String state, List<String> names) {}

    public record CommitRow(String sha, String shortSha, String title, String author, String date, String href,
                            @Nullable SignatureBadge signature) {}

    /** A signed commit's badge: Verified or Unverified, and why (its tooltip). Unsigned commits have none. */
    public record SignatureBadge(boolean verified, String reason) {}

    public record CommitsPage(Header header, String path, List<CommitRow> commits, @Nullable String newerUrl,
                              @Nullable String olderUrl) {}

    /** One line of a unified diff: {@code kind} is {@code add}, {@code del}, {@code ctx} or {@code hunk}. */
    public record DiffLine(String kind, String text) {}

    public record FileDiff(String change, String path, @Nullable String oldPath, List<DiffLine> lines,
                           boolean binary, boolean truncated, String viewUrl) {}

    public record ComparePage(Header header, String base, String head, List<CommitRow> commits, List<FileDiff> files,
                              boolean truncated) {}

    public record CommitPage(Header header, String sha, String title, String body, String author, String date,
                             List<Link> parents, List<FileDiff> files, boolean truncated,
                             @Nullable SignatureBadge signature) {}
}
