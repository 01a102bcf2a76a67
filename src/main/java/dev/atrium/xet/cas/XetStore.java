package dev.atrium.xet.cas;

import dev.atrium.storage.Sha256;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.shard.FileReconstruction;
import dev.atrium.xet.shard.FileTerm;
import dev.atrium.xet.shard.GlobalDedup;
import dev.atrium.xet.shard.XorbChunk;
import dev.atrium.xet.shard.XorbInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The Xet metadata tables: stored xorbs and their chunks, registered files and their terms, and which repos
 * registered which files. Xorb bytes live in the blob store, keyed by the SHA-256 of the serialized object.
 */
public final class XetStore {
    private final Jdbi jdbi;
    private final Clock clock;

    public XetStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A stored xorb: its layout and where its bytes are. */
    public record StoredXorb(XorbInfo info, XorbSource source) {}

    /** Where a stored xorb's bytes are and how long its serialized form is: what serving a range of it needs. */
    public record XorbLocation(long serializedLength, XorbSource source) {}

    /** A file registered in a repo: its Xet hash, the SHA-256 of its content, and its size. */
    public record XetFile(MerkleHash fileHash, Sha256 sha256, long size) {}

    public boolean hasXorb(MerkleHash hash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM xet_xorbs WHERE hash = :h")
                .bind("h", hash.hex()).mapTo(Integer.class).findOne().isPresent());
    }

    /**
     * A xorb's location without its chunk list: a xorb URL is fetched once per range, and reading a thousand chunk
     * rows for each fetch was most of the server's work beyond sending the bytes.
     */
    public Optional<XorbLocation> location(MerkleHash hash) {
        return jdbi.withHandle(h -> location(h, hash));
    }

    private static Optional<XorbLocation> location(Handle h, MerkleHash hash) {
        return h.createQuery("SELECT serialized_length, blob_key FROM xet_xorbs WHERE hash = :h")
                .bind("h", hash.hex())
                .map((rs, ctx) -> new XorbLocation(rs.getLong(1), XorbSource.parse(rs.getString(2)))).findOne();
    }

    public Optional<StoredXorb> xorb(MerkleHash hash) {
        return jdbi.withHandle(h -> xorb(h, hash));
    }

    private static Optional<StoredXorb> xorb(Handle h, MerkleHash hash) {
        return h.createQuery("SELECT serialized_length, blob_key, chunk_layout FROM xet_xorbs WHERE hash = :h")
                .bind("h", hash.hex())
                .map((rs, ctx) -> new StoredXorb(ChunkLayout.decode(hash, rs.getBytes(3), rs.getLong(1)),
                        XorbSource.parse(rs.getString(2))))
                .findOne();
    }

    /** Records an uploaded xorb; false when it was already there (the upload is then a no-op). */
    public boolean insertXorb(XorbInfo info, XorbSource source, @Nullable String userId) {
        return jdbi.inTransaction(h -> insertXorb(h, info, source, userId));
    }

    private boolean insertXorb(Handle h, XorbInfo info, XorbSource source, @Nullable String userId) {
        if (location(h, info.hash()).isPresent()) {
            return false;
        }
        long unpacked = info.chunks().stream().mapToLong(XorbChunk::unpackedLength).sum();
        h.createUpdate("""
                INSERT INTO xet_xorbs (hash, serialized_length, unpacked_length, chunk_count, blob_key, uploaded_by,
                                       created_at, chunk_layout)
                VALUES (:hash, :len, :unpacked, :count, :blob, :user, :now, :layout)""")
                .bind("hash", info.hash().hex()).bind("len", info.serializedLength()).bind("unpacked", unpacked)
                .bind("count", info.chunks().size()).bind("blob", source.storageName()).bind("user", userId)
                .bind("now", clock.millis()).bind("layout", ChunkLayout.encode(info)).execute();
        List<GlobalDedup.IndexedChunk> eligible = new ArrayList<>();
        for (int i = 0; i < info.chunks().size(); i++) {
            MerkleHash chunk = info.chunks().get(i).hash();
            if (GlobalDedup.isEligible(chunk)) {
                eligible.add(new GlobalDedup.IndexedChunk(chunk, info.hash(), i));
            }
        }
        index(h, eligible);
        return true;
    }

    public boolean shardKnown(Sha256 shard) {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM xet_shards WHERE sha256 = :s")
                .bind("s", shard.hex()).mapTo(Integer.class).findOne().isPresent());
    }

    /**
     * Registers the files of an accepted shard in {@code repoId}, all or nothing: the files and their terms (once,
     * whatever repo sent them), the registration for this repo, and the chunks the dedup index should find.
     */
    public void registerShard(Sha256 shard, long shardSize, String repoId, String userId,
                              List<FileReconstruction> files, List<GlobalDedup.IndexedChunk> indexed) {
        long now = clock.millis();
        jdbi.useTransaction(h -> {
            for (FileReconstruction file : files) {
                insertFile(h, file, now);
                register(h, file.fileHash(), repoId, userId, false, now);
            }
            markIndexed(h, indexed);
            h.createUpdate("""
                    INSERT INTO xet_shards (sha256, size, repo_id, user_id, created_at)
                    VALUES (:s, :size, :repo, :user, :now) ON CONFLICT (sha256) DO NOTHING""")
                    .bind("s", shard.hex()).bind("size", shardSize).bind("repo", repoId).bind("user", userId)
                    .bind("now", now).execute();
        });
    }

    /** Adds a file and its terms unless it is known: its reconstruction is immutable, derived from the content. */
    private static void insertFile(Handle h, FileReconstruction file, long now) {
        String fileHash = file.fileHash().hex();
        boolean known = h.createQuery("SELECT 1 FROM xet_files WHERE file_hash = :f").bind("f", fileHash)
                .mapTo(Integer.class).findOne().isPresent();
        if (known) {
            return;
        }
        h.createUpdate("""
                INSERT INTO xet_files (file_hash, sha256, size, term_count, created_at)
                VALUES (:f, :sha, :size, :count, :now)""")
                .bind("f", fileHash).bind("sha", file.sha256().map(MerkleHash::hex).orElse(null))
                .bind("size", file.size()).bind("count", file.terms().size()).bind("now", now).execute();
        var terms = h.prepareBatch("""
                INSERT INTO xet_file_terms (file_hash, term_index, xorb_hash, chunk_start, chunk_end,
                                            unpacked_length, file_offset)
                VALUES (:f, :i, :xorb, :start, :end, :len, :offset)""");
        long offset = 0;
        for (int i = 0; i < file.terms().size(); i++) {
            FileTerm t = file.terms().get(i);
            terms.bind("f", fileHash).bind("i", i).bind("xorb", t.xorbHash().hex())
                    .bind("start", t.chunkStart()).bind("end", t.chunkEnd())
                    .bind("len", t.unpackedLength()).bind("offset", offset).add();
            offset += t.unpackedLength();
        }
        if (!file.terms().isEmpty()) {
            terms.execute();
        }
    }

    /**
     * Records an LFS object converted to Xet ({@link LfsToXet}), whose xorbs (views of its blob) are already stored:
     * the file, the chunks the dedup index should find, and the file's registration, committed, in {@code repoIds},
     * all or nothing.
     */
    public void registerConverted(FileReconstruction file, List<GlobalDedup.IndexedChunk> indexed,
                                  List<String> repoIds) {
        long now = clock.millis();
        jdbi.useTransaction(h -> {
            insertFile(h, file, now);
            // Made from a blob stored under its SHA-256: that is the file's, whatever an upload of it claimed.
            file.sha256().ifPresent(sha -> checked(h, file.fileHash(), new Sha256(sha.hex())));
            markIndexed(h, indexed);
            repoIds.forEach(repo -> register(h, file.fileHash(), repo, null, true, now));
        });
    }

    /** Registers a known file, committed, in more repos (an LFS object linked to them with the same content). */
    public void registerExisting(MerkleHash fileHash, List<String> repoIds) {
        long now = clock.millis();
        jdbi.useTransaction(h -> repoIds.forEach(repo -> register(h, fileHash, repo, null, true, now)));
    }

    /**
     * Lets {@code repoId} reference a Xet file another repo holds, for a copy across repos: not committed, so that,
     * as for an upload, only a commit of that repo makes it readable there through Xet by read tokens.
     */
    public void registerCopy(MerkleHash fileHash, String repoId, String userId) {
        jdbi.useHandle(h -> register(h, fileHash, repoId, userId, false, clock.millis()));
    }

    /** A registration; one that exists already stays as it is (committed or not, and by whom). */
    private static void register(Handle h, MerkleHash fileHash, String repoId, @Nullable String userId,
                                 boolean committed, long now) {
        h.createUpdate("""
                INSERT INTO xet_file_registrations (file_hash, repo_id, user_id, created_at, committed)
                VALUES (:f, :repo, :user, :now, :committed) ON CONFLICT (file_hash, repo_id) DO NOTHING""")
                .bind("f", fileHash.hex()).bind("repo", repoId).bind("user", userId).bind("now", now)
                .bind("committed", committed).execute();
    }

    /**
     * Adds chunks the shard (or a conversion) names for the dedup index, each only where its stored xorb holds that
     * hash at that index: an index entry sends other uploads to a xorb, so it must not rest on a claim.
     */
    private static void markIndexed(Handle h, List<GlobalDedup.IndexedChunk> indexed) {
        Map<MerkleHash, Optional<XorbInfo>> xorbs = new HashMap<>();
        List<GlobalDedup.IndexedChunk> confirmed = new ArrayList<>();
        for (GlobalDedup.IndexedChunk chunk : indexed) {
            Optional<XorbInfo> xorb = xorbs.computeIfAbsent(chunk.xorbHash(),
                    hash -> xorb(h, hash).map(StoredXorb::info));
            if (xorb.isPresent() && chunk.chunkIndex() >= 0 && chunk.chunkIndex() < xorb.get().chunks().size()
                    && xorb.get().chunks().get(chunk.chunkIndex()).hash().equals(chunk.chunkHash())) {
                confirmed.add(chunk);
            }
        }
        index(h, confirmed);
    }

    private static void index(Handle h, List<GlobalDedup.IndexedChunk> chunks) {
        if (chunks.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch("""
                INSERT INTO xet_dedup_chunks (chunk_hash, xorb_hash, chunk_index) VALUES (:chunk, :xorb, :i)
                ON CONFLICT (xorb_hash, chunk_index) DO NOTHING""");
        for (GlobalDedup.IndexedChunk c : chunks) {
            batch.bind("chunk", c.chunkHash().hex()).bind("xorb", c.xorbHash().hex()).bind("i", c.chunkIndex()).add();
        }
        batch.execute();
    }

    /**
     * The file hash of a Xet file with this content SHA-256, in any repo, once Atrium has checked that SHA-256: an
     * unchecked one is only its uploader's claim.
     */
    public Optional<MerkleHash> fileHashBySha256(Sha256 sha256) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT file_hash FROM xet_files WHERE sha256 = :sha AND sha256_checked")
                .bind("sha", sha256.hex()).map((rs, ctx) -> MerkleHash.parse(rs.getString(1))).findFirst());
    }

    /** A file's SHA-256 as stored, and whether Atrium has checked it; empty for unknown files. */
    public record Sha256Claim(@Nullable Sha256 sha256, long size, boolean checked) {}

    public Optional<Sha256Claim> sha256Claim(MerkleHash fileHash) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT sha256, size, sha256_checked FROM xet_files WHERE file_hash = :f")
                .bind("f", fileHash.hex())
                .map((rs, ctx) -> new Sha256Claim(rs.getString(1) == null ? null : new Sha256(rs.getString(1)),
                        rs.getLong(2), rs.getBoolean(3)))
                .findOne());
    }

    /** Records the file's real SHA-256, read and hashed by Atrium, in place of whatever was claimed. */
    public void sha256Checked(MerkleHash fileHash, Sha256 sha256) {
        jdbi.useHandle(h -> checked(h, fileHash, sha256));
    }

    private static void checked(Handle h, MerkleHash fileHash, Sha256 sha256) {
        h.createUpdate("UPDATE xet_files SET sha256 = :sha, sha256_checked = TRUE WHERE file_hash = :f")
                .bind("sha", sha256.hex()).bind("f", fileHash.hex()).execute();
    }

    /** Files whose SHA-256 is still a claim, oldest first, after {@code after} (a file hash; "" to start). */
    public List<MerkleHash> unchecked(String after, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT file_hash FROM xet_files WHERE NOT sha256_checked AND sha256 IS NOT NULL
                          AND file_hash > :after ORDER BY file_hash LIMIT :limit""")
                .bind("after", after).bind("limit", limit)
                .map((rs, ctx) -> MerkleHash.parse(rs.getString(1))).list());
    }

    /** A file's reconstruction whatever repos hold it: for Atrium's own reads, never for a client's. */
    public Optional<FileReconstruction> anyFile(MerkleHash fileHash) {
        return jdbi.withHandle(h -> {
            Optional<String> sha = h.createQuery("SELECT COALESCE(sha256, '') FROM xet_files WHERE file_hash = :f")
                    .bind("f", fileHash.hex()).mapTo(String.class).findOne();
            if (sha.isEmpty()) {
                return Optional.empty();
            }
            List<FileTerm> terms = terms(h, fileHash);
            return Optional.of(new FileReconstruction(fileHash, terms, Optional.empty(),
                    sha.get().isEmpty() ? Optional.empty() : Optional.of(MerkleHash.parse(sha.get()))));
        });
    }

    /** The reconstruction of a file registered in {@code repoId}; empty for files of other repos. */
    public Optional<FileReconstruction> file(MerkleHash fileHash, String repoId) {
        return file(fileHash, repoId, false);
    }

    /**
     * The reconstruction of a file registered in {@code repoId}; with {@code committedOnly}, only once a commit
     * that references it has landed.
     */
    public Optional<FileReconstruction> file(MerkleHash fileHash, String repoId, boolean committedOnly) {
        return jdbi.withHandle(h -> {
            Optional<String> sha = h.createQuery("""
                    SELECT f.sha256 FROM xet_files f JOIN xet_file_registrations r ON r.file_hash = f.file_hash
                    WHERE f.file_hash = :f AND r.repo_id = :repo AND (r.committed OR NOT :committedOnly)""")
                    .bind("f", fileHash.hex()).bind("repo", repoId).bind("committedOnly", committedOnly)
                    .map((rs, ctx) -> rs.getString(1) == null ? "" : rs.getString(1)).findOne();
            if (sha.isEmpty()) {
                return Optional.empty();
            }
            List<FileTerm> terms = terms(h, fileHash);
            Optional<MerkleHash> sha256 = sha.get().isEmpty() ? Optional.empty()
                    : Optional.of(MerkleHash.parse(sha.get()));
            return Optional.of(new FileReconstruction(fileHash, terms, Optional.empty(), sha256));
        });
    }

    private static List<FileTerm> terms(Handle h, MerkleHash fileHash) {
        return h.createQuery("""
                        SELECT xorb_hash, chunk_start, chunk_end, unpacked_length FROM xet_file_terms
                        WHERE file_hash = :f ORDER BY term_index""")
                .bind("f", fileHash.hex())
                .map((rs, ctx) -> new FileTerm(MerkleHash.parse(rs.getString(1)), rs.getInt(2), rs.getInt(3),
                        rs.getLong(4), 0))
                .list();
    }

    /** Records that a commit of {@code repoId} references the file with this content SHA-256. */
    public void markCommitted(String repoId, Sha256 sha256) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE xet_file_registrations SET committed = TRUE
                WHERE repo_id = :repo AND committed = FALSE
                  AND file_hash IN (SELECT file_hash FROM xet_files WHERE sha256 = :sha)""")
                .bind("repo", repoId).bind("sha", sha256.hex()).execute());
    }

    /**
     * The Xet hashes of those of {@code oids} whose content is a Xet file committed in the repo: what tree listings
     * announce as {@code xetHash}, and what lets a client copy a file to another repo without moving its bytes (an
     * upload still in flight is not the repo's content yet).
     */
    public Map<Sha256, MerkleHash> fileHashesBySha256(String repoId, Collection<Sha256> oids) {
        Map<Sha256, MerkleHash> found = new HashMap<>();
        if (oids.isEmpty()) {
            return found;
        }
        List<String> hex = oids.stream().map(Sha256::hex).distinct().toList();
        for (int from = 0; from < hex.size(); from += 500) { // well under every driver's bind-parameter limit
            List<String> batch = hex.subList(from, Math.min(hex.size(), from + 500));
            jdbi.useHandle(h -> h.createQuery("""
                            SELECT f.sha256, f.file_hash FROM xet_files f
                            JOIN xet_file_registrations r ON r.file_hash = f.file_hash
                            WHERE r.repo_id = :repo AND r.committed AND f.sha256 IN (<shas>)""")
                    .bind("repo", repoId).bindList("shas", batch)
                    .map((rs, ctx) -> Map.entry(new Sha256(rs.getString(1)), MerkleHash.parse(rs.getString(2))))
                    .forEach(e -> found.putIfAbsent(e.getKey(), e.getValue())));
        }
        return found;
    }

    /** The Xet file with this content SHA-256 registered in {@code repoId}, if any. */
    public Optional<XetFile> fileBySha256(String repoId, Sha256 sha256) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT f.file_hash, f.size FROM xet_files f JOIN xet_file_registrations r ON r.file_hash = f.file_hash
                WHERE r.repo_id = :repo AND f.sha256 = :sha""")
                .bind("repo", repoId).bind("sha", sha256.hex())
                .map((rs, ctx) -> new XetFile(MerkleHash.parse(rs.getString(1)), sha256, rs.getLong(2)))
                .findFirst());
    }

    /**
     * Files {@code userId} may read: registered in a public repo or one of the user's own, and committed unless the
     * user uploaded them. Deduplication offers only xorbs of such files, so it never reveals other users' private
     * content. Binds {@code :user}; {@code t} is the {@code xet_file_terms} row being checked.
     */
    private static final String READABLE_TERM = """
            EXISTS (SELECT 1 FROM xet_file_registrations r JOIN repos p ON p.id = r.repo_id
                    WHERE r.file_hash = t.file_hash
                      AND (r.committed OR r.user_id = :user)
                      AND (p.private = FALSE OR p.namespace = (SELECT name FROM users WHERE id = :user)))""";

    /** Xorbs holding an indexed chunk, limited to xorbs used by files {@code userId} may read. */
    public List<MerkleHash> xorbsWithChunk(MerkleHash chunk, String userId) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT DISTINCT c.xorb_hash FROM xet_dedup_chunks c
                WHERE c.chunk_hash = :chunk
                  AND EXISTS (SELECT 1 FROM xet_file_terms t WHERE t.xorb_hash = c.xorb_hash""" + " AND "
                + READABLE_TERM + ")")
                .bind("chunk", chunk.hex()).bind("user", userId)
                .map((rs, ctx) -> MerkleHash.parse(rs.getString(1))).list());
    }

    /**
     * Up to {@code limit} other xorbs that follow {@code xorb} in files {@code userId} may read, nearest first. A client
     * that found one xorb of a large file usually holds the rest of that file too (a new version, a fine-tune), and
     * it asks the server only about one chunk in a thousand: offering the next xorbs lets it recognise them without
     * a query of its own for each.
     */
    public List<MerkleHash> xorbsFollowing(MerkleHash xorb, String userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT n.xorb_hash FROM xet_file_terms t
                JOIN xet_file_terms n ON n.file_hash = t.file_hash AND n.term_index > t.term_index
                WHERE t.xorb_hash = :xorb AND n.xorb_hash <> :xorb""" + " AND " + READABLE_TERM + """

                GROUP BY n.xorb_hash
                ORDER BY MIN(n.term_index - t.term_index), n.xorb_hash
                LIMIT :limit""")
                .bind("xorb", xorb.hex()).bind("user", userId).bind("limit", limit)
                .map((rs, ctx) -> MerkleHash.parse(rs.getString(1))).list());
    }

}
