package dev.atrium.usage;

import dev.atrium.lfs.RepoLargeFiles;
import dev.atrium.storage.Folders;
import dev.atrium.repo.GitRepos;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * What a user or organization stores, and the limits an operator set for them. Storage is the large files (LFS and
 * Xet, each content counted once per owner and visibility, however many repos hold it) plus the git objects of each
 * repo, private and public apart.
 */
public final class Usage {
    /** Bytes stored under a namespace. */
    public record Storage(long privateBytes, long publicBytes) {
        public long total() {
            return privateBytes + publicBytes;
        }
    }

    /** An operator's limits; null fields mean no limit. */
    public record Limits(Long privateStorage, Long maxFileSize, Integer maxPrivateRepos) {
        public static final Limits NONE = new Limits(null, null, null);
    }

    /** One day of the storage record. */
    public record Day(int day, long privateBytes, long publicBytes) {}

    private final Jdbi jdbi;
    private final GitRepos gitRepos;
    private final Clock clock;

    public Usage(Jdbi jdbi, GitRepos gitRepos, Clock clock) {
        this.jdbi = jdbi;
        this.gitRepos = gitRepos;
        this.clock = clock;
    }

    /** The large files of the repos {@code repoCondition} (on {@code r}) selects, each content once per visibility. */
    private static String storedContent(String repoCondition) {
        return "SELECT DISTINCT private, oid AS content, size FROM (" + RepoLargeFiles.heldBy(repoCondition)
                + ") held";
    }

    public Storage storage(String namespace) {
        long[] bytes = new long[2]; // [public, private]
        jdbi.useHandle(h -> h.createQuery(
                        "SELECT private, SUM(size) FROM (" + storedContent("r.namespace = :ns")
                                + ") stored GROUP BY private")
                .bind("ns", namespace)
                .map((rs, c) -> new long[] {rs.getBoolean(1) ? 1 : 0, rs.getLong(2)})
                .forEach(row -> bytes[(int) row[0]] += row[1]));
        List<Object[]> repos = jdbi.withHandle(h -> h.createQuery(
                        "SELECT type, name, private FROM repos WHERE namespace = :ns")
                .bind("ns", namespace).map((rs, c) -> new Object[] {rs.getString(1), rs.getString(2), rs.getBoolean(3)})
                .list());
        for (Object[] r : repos) {
            Path dir = gitRepos.dirOf(RepoType.valueOf((String) r[0]), new RepoId(namespace, (String) r[1]));
            bytes[(Boolean) r[2] ? 1 : 0] += Folders.size(dir);
        }
        return new Storage(bytes[1], bytes[0]);
    }

    /**
     * What a copy of {@code repo} adds to a namespace's storage at most: its large files (the content of each
     * counted once) and its git directory.
     */
    public long repoBytes(Repo repo) {
        long content = jdbi.withHandle(h -> h.createQuery(
                        "SELECT COALESCE(SUM(size), 0) FROM (" + storedContent("r.id = :id") + ") stored")
                .bind("id", repo.id()).mapTo(Long.class).one());
        return content + Folders.size(gitRepos.dirOf(repo.type(), repo.repoId()));
    }

    /** One repo of a namespace and the storage it uses: its large files (each content once) and its git directory. */
    public record RepoStorage(RepoType type, RepoId repoId, boolean isPrivate, long updatedAt, long bytes) {}

    /** The namespace's repos, the largest first (then by name). */
    public List<RepoStorage> repos(String namespace) {
        String sql = "SELECT r.type, r.name, r.private, r.updated_at, COALESCE(SUM(s.size), 0) AS content"
                + " FROM repos r LEFT JOIN (SELECT DISTINCT repo_id, oid, size FROM ("
                + RepoLargeFiles.heldBy("r.namespace = :ns") + ") held) s ON s.repo_id = r.id"
                + " WHERE r.namespace = :ns GROUP BY r.id, r.type, r.name, r.private, r.updated_at";
        List<RepoStorage> found = jdbi.withHandle(h -> h.createQuery(sql)
                .bind("ns", namespace)
                .map((rs, c) -> {
                    RepoType type = RepoType.valueOf(rs.getString("type"));
                    RepoId id = new RepoId(namespace, rs.getString("name"));
                    return new RepoStorage(type, id, rs.getBoolean("private"), rs.getLong("updated_at"),
                            rs.getLong("content") + Folders.size(gitRepos.dirOf(type, id)));
                })
                .list());
        return found.stream().sorted(java.util.Comparator.comparingLong(RepoStorage::bytes).reversed()
                .thenComparing(r -> r.repoId().toString())).toList();
    }

    public int privateRepos(String namespace) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM repos WHERE namespace = :ns AND private = TRUE")
                .bind("ns", namespace).mapTo(Integer.class).one());
    }

    public Limits limits(String namespace) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT private_storage, max_file_size, max_private_repos FROM plans WHERE namespace = :ns")
                .bind("ns", namespace)
                .map((rs, c) -> {
                    Long maxRepos = nullableLong(rs, 3);
                    return new Limits(nullableLong(rs, 1), nullableLong(rs, 2),
                            maxRepos == null ? null : maxRepos.intValue());
                })
                .findOne().orElse(Limits.NONE));
    }

    /**
     * A nullable BIGINT or INTEGER column. {@code getObject(i, Long.class)} is not it: the SQLite driver throws "Bad
     * value for type Long" on a NULL, which made every quota check of a namespace with only some limits set a 500.
     */
    private static Long nullableLong(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    public void setLimits(String namespace, Limits limits) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM plans WHERE namespace = :ns").bind("ns", namespace).execute();
            h.createUpdate("""
                    INSERT INTO plans (namespace, private_storage, max_file_size, max_private_repos)
                    VALUES (:ns, :storage, :file, :repos)""")
                    .bind("ns", namespace).bind("storage", limits.privateStorage()).bind("file", limits.maxFileSize())
                    .bind("repos", limits.maxPrivateRepos()).execute();
        });
    }

    /** Records today's storage of every namespace that has repos: the usage page draws its chart from these. */
    public int recordToday() {
        int today = (int) (clock.millis() / 86_400_000L);
        List<String> namespaces = jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT namespace FROM repos")
                .mapTo(String.class).list());
        for (String ns : namespaces) {
            Storage s = storage(ns);
            // One statement, so that two nodes recording the same day at once both succeed (the later one wins).
            jdbi.useHandle(h -> h.createUpdate("""
                    INSERT INTO usage_days (namespace, day, private_bytes, public_bytes)
                    VALUES (:ns, :d, :p, :q)
                    ON CONFLICT (namespace, day) DO UPDATE SET private_bytes = excluded.private_bytes,
                                                               public_bytes = excluded.public_bytes""")
                    .bind("ns", ns).bind("d", today).bind("p", s.privateBytes()).bind("q", s.publicBytes())
                    .execute());
        }
        return namespaces.size();
    }

    /** The recorded days from {@code fromDay} on, oldest first. */
    public List<Day> days(String namespace, int fromDay) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT day, private_bytes, public_bytes FROM usage_days WHERE namespace = :ns AND day >= :from
                        ORDER BY day""")
                .bind("ns", namespace).bind("from", fromDay)
                .map((rs, c) -> new Day(rs.getInt(1), rs.getLong(2), rs.getLong(3))).list());
    }

    public int today() {
        return (int) (clock.millis() / 86_400_000L);
    }

    /** Parses "10G", "500M", "2048" into bytes; empty for "none". */
    public static Optional<Long> parseBytes(String text) {
        String t = text.strip().toUpperCase(java.util.Locale.ROOT);
        if (t.equals("NONE") || t.isEmpty()) {
            return Optional.empty();
        }
        long unit = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            default -> 1;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        return Optional.of(Long.parseLong(digits) * unit);
    }
}
