package dev.atrium.search;

import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Repos;
import dev.atrium.repo.Revisions;
import java.io.IOException;
import java.util.List;
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

    private final Jdbi jdbi;
    private final Repos repos;
    private final RepoService repoService;
    private final RepoFactsReader reader;

    public RepoIndexer(Jdbi jdbi, Repos repos, RepoService repoService, RepoFactsReader reader) {
        this.jdbi = jdbi;
        this.repos = repos;
        this.repoService = repoService;
        this.reader = reader;
    }

    /** Re-reads the repo's default branch; logs instead of throwing. */
    public void index(Repo repo) {
        try (Repository git = repoService.openGit(repo)) {
            ObjectId head = git.resolve(Constants.R_HEADS + Revisions.DEFAULT_BRANCH);
            if (head == null) {
                store(repo, null);
                return;
            }
            String indexed = jdbi.withHandle(h -> h.createQuery("SELECT sha FROM repo_meta WHERE repo_id = :repo")
                    .bind("repo", repo.id()).mapTo(String.class).findOne().orElse(null));
            if (head.name().equals(indexed)) {
                return; // a tag, another branch: the default branch, and so its facts, did not change
            }
            RevCommit commit;
            try (RevWalk walk = new RevWalk(git)) {
                commit = walk.parseCommit(head);
            }
            store(repo, reader.read(git, repo, commit));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not index {} {}: {}", repo.type(), repo.repoId(), e.toString());
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
            // UPDATE, then INSERT when there was no row: portable SQL, and the counters of an existing row stay.
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
                                (SELECT LOWER(r.namespace || '/' || r.name) FROM repos r WHERE r.id = :repo))""")
                        .bindMap(row).execute();
            }
            h.createUpdate("DELETE FROM repo_tags WHERE repo_id = :repo").bind("repo", repo.id()).execute();
            if (facts != null && !facts.filterTags().isEmpty()) {
                // listed_type (the type while the repo is public) feeds the sidebar's counts (V21).
                var batch = h.prepareBatch("""
                        INSERT INTO repo_tags (tag, repo_id, listed_type)
                        VALUES (:tag, :repo, (SELECT r.type FROM repos r WHERE r.id = :repo AND r.private = FALSE))""");
                for (String tag : facts.filterTags()) {
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
