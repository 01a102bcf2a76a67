package dev.atrium.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.db.Database;
import dev.atrium.repo.RepoType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listing query against a brute-force filter and sort of the same rows, for random queries: whichever plan the
 * listing picks (starting from a selective filter or walking the sort's index), and across cursor pages, the
 * answer must be the same.
 */
class RepoListingTest {
    private static final String[] WORDS = {"llama", "bert", "gpt", "whisper", "t5", "my_model", "100%", "qwen"};
    private static final String[] TAGS = {"common", "rare", "en", "gguf", "license:mit"};

    @TempDir
    Path dir;

    private record Seeded(String id, String namespace, String name, boolean isPrivate, long downloads, long likes,
                          long createdAt, List<String> tags) {
        String fullId() {
            return namespace + "/" + name;
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void find_randomQueries_matchBruteForceOnEveryPage(boolean walkInWindows) {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Random random = new Random(7);
        List<Seeded> repos = new ArrayList<>();
        jdbi.useTransaction(h -> {
            for (int i = 0; i < 3000; i++) {
                String ns = "user" + random.nextInt(40);
                String name = WORDS[random.nextInt(WORDS.length)] + "-" + i;
                List<String> tags = new ArrayList<>();
                tags.add("common");
                if (random.nextInt(100) == 0) {
                    tags.add("rare");
                }
                for (String tag : new String[] {"en", "gguf", "license:mit"}) {
                    if (random.nextBoolean()) {
                        tags.add(tag);
                    }
                }
                Seeded s = new Seeded(String.format("r%023d", i), ns, name, random.nextInt(20) == 0,
                        random.nextInt(50), random.nextInt(5), 1_000_000L + random.nextInt(1000), tags);
                repos.add(s);
                h.execute("INSERT INTO repos (id, type, namespace, name, private, sdk, created_at, updated_at) "
                        + "VALUES (?, 'MODEL', ?, ?, ?, NULL, ?, ?)", s.id(), ns, name, s.isPrivate(), s.createdAt(),
                        s.createdAt());
                // search_key as the indexer writes it; left empty for some rows, as for a repo not indexed since V8
                h.execute("INSERT INTO repo_meta (repo_id, sha, last_modified, tags_json, extra_json, likes, "
                        + "downloads, downloads_all_time, trending_score, search_key) "
                        + "VALUES (?, NULL, 0, '[]', '{}', ?, ?, ?, 0, ?)",
                        s.id(), s.likes(), s.downloads(), s.downloads(),
                        i % 7 == 0 ? null : s.fullId().toLowerCase(Locale.ROOT));
                for (String tag : tags) {
                    h.execute("INSERT INTO repo_tags (tag, repo_id) VALUES (?, ?)", tag, s.id());
                }
            }
        });
        RepoListing listing = new RepoListing(jdbi, RepoListing.IdSearch.SQLITE_FTS5, walkInWindows);
        AccessPolicy.SqlCondition anonymous = new AccessPolicy.SqlCondition("r.private = FALSE", Map.of());
        for (int trial = 0; trial < 150; trial++) {
            List<String> search = random.nextInt(3) == 0 ? List.of()
                    : List.of(random.nextBoolean() ? WORDS[random.nextInt(WORDS.length)] : "user1");
            List<String> tags = new ArrayList<>();
            for (int t = random.nextInt(3); t > 0; t--) {
                tags.add(TAGS[random.nextInt(TAGS.length)]);
            }
            Optional<String> author = random.nextInt(4) == 0 ? Optional.of("user" + random.nextInt(40)) : Optional.empty();
            RepoListing.Sort sort = RepoListing.Sort.values()[random.nextInt(3) == 0 ? 4 : random.nextInt(2)];
            boolean descending = random.nextInt(4) != 0;
            int limit = 1 + random.nextInt(60);

            List<String> expected = repos.stream()
                    .filter(r -> !r.isPrivate())
                    .filter(r -> search.stream().allMatch(s -> r.fullId().toLowerCase(Locale.ROOT).contains(s)))
                    .filter(r -> r.tags().containsAll(tags))
                    .filter(r -> author.map(a -> a.equals(r.namespace())).orElse(true))
                    .sorted(comparator(sort, descending))
                    .map(Seeded::id).toList();
            List<String> paged = new ArrayList<>();
            Optional<RepoListing.Cursor> after = Optional.empty();
            while (true) {
                List<RepoListing.Row> rows = listing.find(new RepoListing.Query(RepoType.MODEL, anonymous, search,
                        author, tags, Optional.empty(), sort, descending, limit, after));
                boolean more = rows.size() > limit;
                rows = rows.subList(0, Math.min(limit, rows.size()));
                rows.forEach(r -> paged.add(r.id()));
                if (!more) {
                    break;
                }
                RepoListing.Row last = rows.get(rows.size() - 1);
                after = Optional.of(new RepoListing.Cursor(last.sortValue(), last.id()));
            }
            assertEquals(expected, paged, "trial " + trial + ": search " + search + ", tags " + tags + ", author "
                    + author + ", " + sort + (descending ? " desc" : " asc") + ", pages of " + limit);
        }
    }

    private static Comparator<Seeded> comparator(RepoListing.Sort sort, boolean descending) {
        Comparator<Seeded> c = switch (sort) {
            case DOWNLOADS -> Comparator.comparingLong(Seeded::downloads);
            case LIKES -> Comparator.comparingLong(Seeded::likes);
            case CREATED_AT -> Comparator.comparingLong(Seeded::createdAt);
            default -> throw new IllegalArgumentException(sort.name());
        };
        c = c.thenComparing(Seeded::id);
        return descending ? c.reversed() : c;
    }
}
