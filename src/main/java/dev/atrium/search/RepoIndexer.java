package dev.atrium.search;

import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Repos;
import dev.atrium.repo.Revisions;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code repo_meta} and {@code repo_tags} in step with each repo's default branch. It runs after every change
 * of content (an API commit, a push, a branch update) and before the request that made it answers, so a pushed card
 * is searchable at once. Indexing never fails the change itself: a repo whose files cannot be read is logged and
 * keeps its previous row.
 */
public final class RepoIndexer {
    private static final Logger LOG = LoggerFactory.getLogger(RepoIndexer.class);

    /**
     * The version of what is read from each repo into its rows. Raise it when the facts or tags grow; servers then
     * re-index every repo once at start ({@link #reindexIfOutdated}). 2: Spaces tagged with their SDK, and models
     * with the tags other features derive (inference). 3: sentence-similarity models run. 4: models' chat
     * templates in their config. 5: the model tree's relation read from the files when the card is silent.
     */
    public static final int FACTS_VERSION = 5;
    private static final String STATE = "repo_facts";
    /** The tags only {@code derivedTags} may give: a card claiming one is not believed. */
    public static final String DERIVED_PREFIX = "inference:";

    private final Jdbi jdbi;
    private final Repos repos;
    private final RepoService repoService;
    private final RepoFactsReader reader;
    private final Function<RepoFacts, Set<String>> derivedTags;

    /**
     * @param derivedTags filter tags that other features derive from a repo's facts (such as the models this hub's
     *                    inference runs); stored with the facts' own
     */
    public RepoIndexer(Jdbi jdbi, Repos repos, RepoService repoService, RepoFactsReader reader,
                       Function<RepoFacts, Set<String>> derivedTags) {
        this.jdbi = jdbi;
        this.repos = repos;
        this.repoService = repoService;
        this.reader = reader;
        this.derivedTags = derivedTags;
    }

    /** Re-reads the repo's default branch; logs instead of throwing. */
    public void index(Repo repo) {
        index(repo, false);
    }

    /** @return whether the repo's rows now match its default branch */
    private boolean index(Repo repo, boolean again) {
        try (Repository git = repoService.openGit(repo)) {
            ObjectId head = git.resolve(Constants.R_HEADS + Revisions.DEFAULT_BRANCH);
            if (head == null) {
                store(repo, null);
                return true;
            }
            String indexed = jdbi.withHandle(h -> h.createQuery("SELECT sha FROM repo_meta WHERE repo_id = :repo")
                    .bind("repo", repo.id()).mapTo(String.class).findOne().orElse(null));
            if (head.name().equals(indexed) && !again) {
                return true; // a tag, another branch: the default branch, and so its facts, did not change
            }
            RevCommit commit;
            try (RevWalk walk = new RevWalk(git)) {
                commit = walk.parseCommit(head);
            }
            store(repo, reader.read(git, repo, commit));
            if (again && !head.equals(git.resolve(Constants.R_HEADS + Revisions.DEFAULT_BRANCH))) {
                // A commit landed while this older head was read, and its own indexing may have stored first.
                return index(repo, false);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not index {} {}: {}", repo.type(), repo.repoId(), e.toString());
            return false;
        }
    }

    /** Indexes repos that have no row yet: those created before this index existed. */
    public int indexMissing() {
        List<String> ids = jdbi.withHandle(h -> h.createQuery("""
                SELECT r.id FROM repos r WHERE NOT EXISTS (SELECT 1 FROM repo_meta m WHERE m.repo_id = r.id)""")
                .mapTo(String.class).list());
        for (String id : ids) {
            repos.findById(id).ifPresent(this::index);
        }
        return ids.size();
    }

    /**
     * Re-indexes every repo when the rows were made by an older {@link #FACTS_VERSION} (or by a server from before
     * versions were kept), then records this one. Returns how many repos were re-indexed.
     */
    public int reindexIfOutdated() {
        int recorded = jdbi.withHandle(h -> h.createQuery("SELECT version FROM index_state WHERE name = :name")
                .bind("name", STATE).mapTo(Integer.class).findOne().orElse(1));
        if (recorded >= FACTS_VERSION) {
            return 0;
        }
        int count = 0;
        boolean all = true;
        String after = "";
        while (true) {
            String from = after;
            List<String> ids = jdbi.withHandle(h -> h.createQuery("""
                    SELECT repo_id FROM repo_meta WHERE repo_id > :after ORDER BY repo_id LIMIT 500""")
                    .bind("after", from).mapTo(String.class).list());
            if (ids.isEmpty()) {
                break;
            }
            for (String id : ids) {
                Optional<Repo> repo = repos.findById(id);
                all &= repo.isEmpty() || index(repo.get(), true);
            }
            count += ids.size();
            after = ids.get(ids.size() - 1);
        }
        if (!all) {
            // Recorded, the version would keep the repos that failed as they are for good; the next start tries again.
            LOG.warn("Some repos could not be re-indexed; the next start tries again");
            return count;
        }
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM index_state WHERE name = :name").bind("name", STATE).execute();
            h.createUpdate("INSERT INTO index_state (name, version) VALUES (:name, :version)")
                    .bind("name", STATE).bind("version", FACTS_VERSION).execute();
        });
        return count;
    }

    private void store(Repo repo, RepoFacts facts) throws IOException {
        jdbi.useTransaction(h -> {
            java.util.Map<String, Object> row = new java.util.HashMap<>();
            row.put("repo", repo.id());
            row.put("sha", facts == null ? null : facts.sha());
            row.put("modified", facts == null ? repo.createdAt() : facts.lastModified());
            row.put("task", facts == null ? null : facts.pipelineTag().orElse(null));
            row.put("library", facts == null ? null : facts.libraryName().orElse(null));
            row.put("card", facts == null || facts.card().data().isEmpty() ? null
                    : Json.MAPPER.writeValueAsString(facts.card().data()));
            row.put("tags", Json.MAPPER.writeValueAsString(facts == null ? List.of() : facts.tags()));
            row.put("extra", facts == null ? "{}" : Json.MAPPER.writeValueAsString(facts.extra()));
            // UPDATE, then INSERT when there was no row: portable SQL, and the counters of an existing row stay. Another
            // node (or the start-up pass) may index the same commit at once: its INSERT then finds the row and yields.
            int updated = h.createUpdate("""
                    UPDATE repo_meta SET sha = :sha, last_modified = :modified, pipeline_tag = :task,
                           library_name = :library, card_json = :card, tags_json = :tags, extra_json = :extra,
                           search_key = (SELECT LOWER(r.namespace || '/' || r.name) FROM repos r WHERE r.id = :repo)
                    WHERE repo_id = :repo""").bindMap(row).execute();
            if (updated == 0) {
                h.createUpdate("""
                        INSERT INTO repo_meta (repo_id, sha, last_modified, pipeline_tag, library_name, card_json,
                                               tags_json, extra_json, search_key)
                        VALUES (:repo, :sha, :modified, :task, :library, :card, :tags, :extra,
                                (SELECT LOWER(r.namespace || '/' || r.name) FROM repos r WHERE r.id = :repo))
                        ON CONFLICT (repo_id) DO NOTHING""")
                        .bindMap(row).execute();
            }
            h.createUpdate("DELETE FROM repo_tags WHERE repo_id = :repo").bind("repo", repo.id()).execute();
            Set<String> filterTags = new java.util.LinkedHashSet<>();
            if (facts != null) {
                // A card's own tags may not claim what only the derived ones say (inference:runnable, say).
                facts.filterTags().stream().filter(t -> !t.startsWith(DERIVED_PREFIX)).forEach(filterTags::add);
                derivedTags.apply(facts).stream().filter(t -> t.startsWith(DERIVED_PREFIX)).forEach(filterTags::add);
            }
            if (!filterTags.isEmpty()) {
                // listed_type (the type while the repo is public) feeds the sidebar's counts (V21).
                var batch = h.prepareBatch("""
                        INSERT INTO repo_tags (tag, repo_id, listed_type)
                        VALUES (:tag, :repo, (SELECT r.type FROM repos r WHERE r.id = :repo AND r.private = FALSE))
                        ON CONFLICT (tag, repo_id) DO NOTHING""");
                for (String tag : filterTags) {
                    if (tag.length() <= 200) {
                        batch.bind("tag", tag).bind("repo", repo.id()).add();
                    }
                }
                if (batch.size() > 0) {
                    batch.execute();
                }
            }
        });
    }
}
