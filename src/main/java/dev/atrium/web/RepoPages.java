package dev.atrium.web;

import dev.atrium.inference.Inference;
import dev.atrium.inference.InferenceTasks;
import dev.atrium.auth.Delegations;
import dev.atrium.space.SpaceApp;
import dev.atrium.space.SpaceRuntime;
import dev.atrium.web.RepoViews.SpaceView;
import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.card.CardRenderer;
import dev.atrium.card.CardMetadata;
import dev.atrium.card.EvalResults;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.gate.Gates;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.RepoRoutes;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Revisions;
import dev.atrium.repo.TreeReader;
import dev.atrium.scan.FileScans;
import dev.atrium.search.Counters;
import dev.atrium.search.RepoFacts;
import dev.atrium.search.RepoFactsReader;
import dev.atrium.search.RepoListing;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/** A repo's front page: its rendered card, the metadata sidebar and the "Use this" snippets. */
public final class RepoPages {
    private static final int MAX_README = 1 << 20;

    private final Pages pages;
    private final RepoAccess access;
    private final RepoFactsReader factsReader;
    private final FileScans scans;
    private final Counters counters;
    private final CardRenderer renderer = new CardRenderer();
    private final BaseUrl baseUrl;
    private final Gates gates;
    private final RepoListing listing;
    private final AccessPolicy policy;
    private final ViewerPages viewerPages;

    RepoPages(Pages pages, RepoAccess access, RepoFactsReader factsReader, Counters counters, BaseUrl baseUrl,
              Gates gates, FileScans scans, SpaceApp spaceApp, Inference inference, RepoListing listing,
              AccessPolicy policy, ViewerPages viewerPages) {
        this.viewerPages = viewerPages;
        this.listing = listing;
        this.policy = policy;
        this.scans = scans;
        this.spaceApp = spaceApp;
        this.inference = inference;
        this.pages = pages;
        this.access = access;
        this.factsReader = factsReader;
        this.counters = counters;
        this.baseUrl = baseUrl;
        this.gates = gates;
    }

    private final SpaceApp spaceApp;
    private final Inference inference;

    void register(RoutesConfig routes) {
        RepoRoutes.add(routes, HandlerType.GET, "",
                (ctx, type, ns, name) -> pages.run(ctx, () -> card(ctx, type, ns, name)));
        RepoRoutes.add(routes, HandlerType.POST, "/ask-access",
                (ctx, type, ns, name) -> pages.run(ctx, () -> askAccess(ctx, type, ns, name)));
    }

    /** The request form of a gated repo, sent from its page: recorded as the API's ask-access records it. */
    private void askAccess(Context ctx, RepoType type, String namespace, String name) {
        Repo repo = access.load(ctx, type, namespace, name);
        Principal caller = Caller.of(ctx);
        if (caller == null) {
            throw new Errors.Moved("/login?next=" + Urls.query("/" + type.urlPrefix() + repo.repoId()));
        }
        Gates.Mode mode = gates.mode(repo.id()).orElseThrow(() -> new Errors.BadRequest("This repo is not gated"));
        ObjectNode fields = dev.atrium.http.Json.MAPPER.createObjectNode();
        ctx.formParamMap().forEach((k, v) -> {
            if (!k.equals("csrf") && !v.isEmpty() && k.length() <= 200) {
                fields.put(k, v.get(0));
            }
        });
        gates.ask(repo.id(), caller.user(), fields.toString(), mode);
        ctx.redirect("/" + type.urlPrefix() + repo.repoId(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** What the page shows a visitor of a gated repo who is not let in yet; null when they are. */
    private RepoViews.Gate gate(Context ctx, Repo repo, RepoViews.Header header, Optional<RepoFacts> facts) {
        if (header.canDownload()) {
            return null;
        }
        Map<String, Object> card = facts.map(f -> f.card().data()).orElse(Map.of());
        String prompt = card.get("extra_gated_prompt") instanceof String p ? p
                : "The owners share this repo's files with people they let in. Request access to download them.";
        List<RepoViews.GateField> fields = new ArrayList<>();
        if (card.get("extra_gated_fields") instanceof Map<?, ?> declared) {
            declared.forEach((k, v) -> fields.add(new RepoViews.GateField(String.valueOf(k),
                    "checkbox".equals(v) ? "checkbox" : "text")));
        }
        Principal viewer = Caller.of(ctx);
        String status = viewer == null || Caller.session(ctx) == null ? "signin"
                : gates.requestStatus(repo.id(), viewer.user().id()).map(dev.atrium.auth.AccessRequestStatus::wireName).orElse("none");
        return new RepoViews.Gate(prompt, fields, status);
    }

    private void card(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = access.load(ctx, type, namespace, name);
        RepoViews.Header header = access.header(ctx, repo, "card", Revisions.DEFAULT_BRANCH);
        try (Repository git = access.openGit(repo)) {
            SpaceView space = repo.type() == RepoType.SPACE ? space(ctx, git, repo, header) : null;
            if (git.resolve(Constants.HEAD) == null) {
                render(ctx, header, null, RepoFactsOrEmpty.NONE, repo, "", "", List.of(), space);
                return;
            }
            Revisions.Resolved head = Revisions.resolve(git, Constants.HEAD);
            RevCommit commit = head.commit();
            List<FileEntry> tree = TreeReader.list(git, commit, "", true);
            RepoFacts facts = factsReader.read(git, repo, commit, tree);
            if (space != null) {
                space = space.withLook(SpaceLook.ofMetadata(facts.card().data()));
            }
            String cardHtml = null;
            Optional<FileEntry> readme = tree.stream().filter(f -> f.path().equals("README.md")).findFirst();
            if (readme.isPresent()) {
                String text = new String(access.read(git, repo, readme.get(), MAX_README), StandardCharsets.UTF_8);
                cardHtml = renderer.render(text, new CardRenderer.Links(
                        ref -> header.blobUrl(CardRenderer.resolvePath("", ref)),
                        ref -> header.resolveUrl(CardRenderer.resolvePath("", ref))));
            }
            long size = tree.stream().filter(f -> !f.isDirectory()).mapToLong(FileEntry::size).sum();
            List<RepoViews.SecurityWarning> warnedFiles = new ArrayList<>();
            scans.ofFiles(repo, tree).forEach((path, security) -> {
                if (security.worrying()) {
                    warnedFiles.add(new RepoViews.SecurityWarning(path, header.blobUrl(path), security.status(),
                            security.virus() == null ? List.of() : security.virus().names()));
                }
            });
            render(ctx, header, cardHtml, new RepoFactsOrEmpty(Optional.of(facts), size), repo, commit.name(),
                    dev.atrium.http.Dates.iso(commit.getCommitterIdent().getWhenAsInstant().toEpochMilli()), warnedFiles,
                    space);
        }
    }

    /** The facts of a repo with commits, or none for an empty one. */
    private record RepoFactsOrEmpty(Optional<RepoFacts> facts, long size) {
        static final RepoFactsOrEmpty NONE = new RepoFactsOrEmpty(Optional.empty(), 0);
    }

    /** A Space's app, framed for a visitor who may see its files, or the stage that keeps it from running. */
    private SpaceView space(Context ctx, Repository git, Repo repo, RepoViews.Header header) throws IOException {
        SpaceRuntime runtime = spaceApp.runtime(git, repo);
        // Only an app the hub runs has hardware; a static Space's files are served by the hub itself.
        String hardware = runtime.sleepSeconds() == null ? null : runtime.hardware().prettyName();
        if (runtime.opens() && header.canDownload()) {
            return new SpaceView(spaceApp.appUrl(repo, Delegations.credentialOf(Caller.of(ctx))),
                    runtime.stage().name(), null, hardware);
        }
        return new SpaceView(null, runtime.stage().name(), runtime.opens()
                ? "The app's files are shared with people the owners let in." : runtime.errorMessage(), hardware);
    }

    private void render(Context ctx, RepoViews.Header header, String cardHtml, RepoFactsOrEmpty known, Repo repo,
                        String sha, String modified, List<RepoViews.SecurityWarning> warnedFiles,
                        @Nullable SpaceView space) throws IOException {
        List<RepoViews.Fact> facts = new ArrayList<>();
        List<RepoViews.Link> tags = new ArrayList<>();
        List<String> warnings = List.of();
        String listing = "/" + repo.type().plural();
        if (known.facts().isPresent()) {
            RepoFacts f = known.facts().get();
            CardMetadata card = f.card();
            warnings = card.warnings();
            card.license().ifPresent(l -> facts.add(fact("License", List.of(
                    new RepoViews.Link(l, listing + "?filter=" + Urls.query("license:" + l))))));
            f.pipelineTag().ifPresent(t -> facts.add(fact("Task", List.of(
                    new RepoViews.Link(t, listing + "?pipeline_tag=" + Urls.query(t))))));
            f.libraryName().ifPresent(l -> facts.add(fact("Library", List.of(
                    new RepoViews.Link(l, listing + "?library=" + Urls.query(l))))));
            if (!card.languages().isEmpty()) {
                facts.add(fact("Languages", card.languages().stream()
                        .map(l -> new RepoViews.Link(l, listing + "?language=" + Urls.query(l))).toList()));
            }
            if (!card.baseModels().isEmpty()) {
                facts.add(fact("Base model" + relationToBase(f).map(r -> " (" + r + ")").orElse(""),
                        card.baseModels().stream().map(b -> new RepoViews.Link(b, "/" + b)).toList()));
            }
            if (!card.datasets().isEmpty()) {
                facts.add(fact("Datasets", card.datasets().stream()
                        .map(d -> new RepoViews.Link(d, "/datasets/" + d)).toList()));
            }
            parameters(f.extra()).ifPresent(p -> facts.add(fact("Parameters", List.of(new RepoViews.Link(p, "")))));
            for (String tag : f.tags()) {
                tags.add(new RepoViews.Link(tag, listing + "?filter=" + Urls.query(tag)));
            }
        }
        if (repo.type() == RepoType.MODEL) {
            facts.addAll(modelTree(ctx, repo));
        }
        Counters.Snapshot counts = counters.snapshot(repo.id()).orElse(new Counters.Snapshot(0, 0, 0, 0));
        if (repo.type() != RepoType.SPACE) {
            facts.add(fact("Downloads last month",
                    List.of(new RepoViews.Link(Numbers.grouped(counts.downloads()), ""))));
        }
        facts.add(fact("Size", List.of(new RepoViews.Link(Numbers.bytes(known.size()), ""))));
        String base = baseUrl.of(ctx);
        RepoViews.CardPage page = new RepoViews.CardPage(header, cardHtml, facts, tags,
                snippets(repo, base, known.facts(), known.facts().flatMap(inference::runs),
                        known.facts().isPresent() ? viewerPages.pandasSnippet(repo, header) : Optional.empty()),
                base, warnings, sha,
                modified,
                gate(ctx, repo, header, known.facts()), warnedFiles, space, widget(repo, header, known.facts()),
                known.facts().map(f -> EvalResults.of(f.card().data())).orElse(List.of()),
                known.facts().isPresent() ? viewerPages.previewUrl(repo, header).orElse(null) : null);
        pages.render(ctx, 200, "repo/card.jte", Map.of("frame", Frame.of(ctx, header.id()), "page", page));
    }

    /** The model tree's branches below a model, as on the Hub: how many readable models name it as their base. */
    private static final Map<String, String> BRANCHES = Map.of("adapter", "Adapters", "finetune", "Finetunes",
            "merge", "Merges", "quantized", "Quantizations");

    private List<RepoViews.Fact> modelTree(Context ctx, Repo repo) {
        Map<String, String> tagToRelation = new java.util.LinkedHashMap<>();
        for (String relation : new java.util.TreeSet<>(BRANCHES.keySet())) { // the Hub's order, alphabetical
            tagToRelation.put("base_model:" + relation + ":" + repo.repoId(), relation);
        }
        Map<String, Long> counts = listing.countTagged(RepoType.MODEL, policy.readableRepos(Caller.of(ctx)),
                tagToRelation.keySet());
        List<RepoViews.Fact> branches = new ArrayList<>();
        tagToRelation.forEach((tag, relation) -> {
            long count = counts.getOrDefault(tag, 0L);
            if (count > 0) {
                branches.add(fact(BRANCHES.get(relation), List.of(new RepoViews.Link(
                        Numbers.grouped(count) + (count == 1 ? " model" : " models"),
                        "/models?filter=" + Urls.query(tag)))));
            }
        });
        return branches;
    }

    /** The relation the model's tags name to its base (the card's, or the one read from its files). */
    private static Optional<String> relationToBase(RepoFacts facts) {
        return facts.tags().stream().map(t -> t.split(":", 3)).filter(p -> p.length == 3 && p[0].equals("base_model")
                && BRANCHES.containsKey(p[1])).map(p -> p[1]).findFirst();
    }

    /** The inference widget, for a model this hub runs, shown to those who may run it (who may download it). */
    private RepoViews.@Nullable InferenceView widget(Repo repo, RepoViews.Header header, Optional<RepoFacts> facts) {
        if (repo.type() != RepoType.MODEL || !header.canDownload()) {
            return null;
        }
        return facts.flatMap(inference::runs).map(task -> {
            Map<String, Object> example = facts.map(f -> f.card().data().get("widget"))
                    .filter(List.class::isInstance).map(w -> (List<?>) w).filter(w -> !w.isEmpty())
                    .map(w -> w.get(0)).filter(Map.class::isInstance).map(e -> (Map<String, Object>) e)
                    .orElse(Map.of());
            return new RepoViews.InferenceView(task, "/hf-inference/models/" + repo.repoId(),
                    text(example.get(task.equals("sentence-similarity") ? "source_sentence" : "text"))
                            .orElse(InferenceTasks.SERVED.get(task)),
                    others(task, example),
                    task.equals("text-generation") && facts.filter(RepoFactsReader::hasChatTemplate).isPresent());
        }).orElse(null);
    }

    /** The widget's second field: zero-shot's labels, or the sentences a sentence is compared with, a line each. */
    private static String others(String task, Map<String, Object> example) {
        return switch (task) {
            case "zero-shot-classification" -> text(example.get("candidate_labels"))
                    .orElse("urgent, not urgent, phone, tablet");
            case "sentence-similarity" -> example.get("sentences") instanceof List<?> list
                    ? String.join("\n", list.stream().map(String::valueOf).toList())
                    : "That is a happy dog\nThat is a very happy person\nToday is a sunny day";
            default -> "";
        };
    }

    private static Optional<String> text(@Nullable Object value) {
        return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    private static RepoViews.Fact fact(String label, List<RepoViews.Link> values) {
        return new RepoViews.Fact(label, values);
    }

    /** "7.24B params" from the safetensors or GGUF header totals, as the Hub's sidebar shows. */
    static Optional<String> parameters(JsonNode extra) {
        long total = extra.path("safetensors").path("total").asLong(0);
        if (total == 0) {
            total = extra.path("gguf").path("total").asLong(0);
        }
        return total == 0 ? Optional.empty() : Optional.of(Numbers.compact(total) + " params");
    }

    /** @param runs the task this hub's inference runs the model for, if it does: a snippet for the API */
    private static List<RepoViews.Snippet> snippets(Repo repo, String base, Optional<RepoFacts> facts,
                                                    Optional<String> runs, Optional<RepoViews.Snippet> pandas) {
        String id = repo.repoId().toString();
        List<RepoViews.Snippet> out = new ArrayList<>();
        switch (repo.type()) {
            case MODEL -> {
                Optional<String> task = facts.flatMap(RepoFacts::pipelineTag);
                boolean transformers = facts.flatMap(RepoFacts::libraryName).map("transformers"::equals).orElse(false);
                if (transformers) {
                    out.add(new RepoViews.Snippet("transformers", task
                            .map(t -> "from transformers import pipeline\n\npipe = pipeline(\"" + t + "\", model=\"" + id
                                    + "\")")
                            .orElse("from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained(\"" + id
                                    + "\")")));
                }
                out.add(new RepoViews.Snippet("huggingface_hub",
                        "from huggingface_hub import snapshot_download\n\nsnapshot_download(\"" + id + "\")"));
                runs.ifPresent(t -> out.add(new RepoViews.Snippet("Inference on this hub",
                        "from huggingface_hub import InferenceClient\n\nclient = InferenceClient(model=\"" + base
                                + "/hf-inference/models/" + id + "\")\n" + InferenceTasks.call(t, t.equals("text-generation")
                                && facts.filter(RepoFactsReader::hasChatTemplate).isPresent()))));
            }
            case DATASET -> {
                out.add(new RepoViews.Snippet("datasets",
                        "from datasets import load_dataset\n\nds = load_dataset(\"" + id + "\")"));
                pandas.ifPresent(out::add);
                out.add(new RepoViews.Snippet("huggingface_hub", "from huggingface_hub import snapshot_download\n\n"
                        + "snapshot_download(\"" + id + "\", repo_type=\"dataset\")"));
            }
            case SPACE -> out.add(new RepoViews.Snippet("huggingface_hub", "from huggingface_hub import "
                    + "snapshot_download\n\nsnapshot_download(\"" + id + "\", repo_type=\"space\")"));
        }
        out.add(new RepoViews.Snippet("git", "git lfs install\ngit clone " + base + "/" + repo.type().urlPrefix() + id));
        return out;
    }
}
