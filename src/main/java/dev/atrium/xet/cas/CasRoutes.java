package dev.atrium.xet.cas;

import dev.atrium.http.BaseUrl;
import dev.atrium.http.BlobResponses;
import dev.atrium.http.ByteRange;
import dev.atrium.auth.Delegations;
import dev.atrium.http.Errors;
import dev.atrium.http.HubException;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.Repos;
import dev.atrium.storage.BlobKey;
import dev.atrium.storage.BlobStore;
import dev.atrium.usage.Bandwidth;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.hash.XetHashes;
import dev.atrium.xet.shard.CasInfo;
import dev.atrium.xet.shard.FileReconstruction;
import dev.atrium.xet.shard.GlobalDedup;
import dev.atrium.xet.shard.RangeRequest;
import dev.atrium.xet.shard.ReconstructionPlan;
import dev.atrium.xet.shard.ReconstructionPlanner;
import dev.atrium.xet.shard.ReconstructionRangeException;
import dev.atrium.xet.shard.ReconstructionResponses;
import dev.atrium.xet.shard.Shard;
import dev.atrium.xet.shard.ShardFormatException;
import dev.atrium.xet.shard.ShardSerializer;
import dev.atrium.xet.shard.XorbInfo;
import dev.atrium.xet.shard.XorbUrlSigner;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Xet CAS API (hub-docs docs/xet/api.md) under {@code /cas} on the hub's own port, so the {@code casUrl} handed
 * out with tokens is on the configured base URL. Every call carries a Xet access token scoped to one repo.
 */
public final class CasRoutes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CasRoutes.class);
    /**
     * How many xorbs that follow the one holding a queried chunk a dedup answer also describes: about 1 GiB of
     * data, at about 50 KB of answer per xorb.
     */
    private static final int DEDUP_FOLLOWING_XORBS = 16;
    public static final String PREFIX = "/cas";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final XetTokens tokens;
    private final XetUploads uploads;
    private final XetStore store;
    private final XorbFetchSigner fetchSigner;
    private final BlobResponses responses;
    private final BlobStore blobs;
    private final BaseUrl baseUrl;

    /** Told of every reader's reconstruction: a download through Xet touches {@code resolve} with a HEAD only. */
    public interface FileReads {
        void reconstructed(String repoId, @org.jspecify.annotations.Nullable String range);
    }

    public CasRoutes(XetTokens tokens, XetUploads uploads, XetStore store, XorbFetchSigner fetchSigner,
                     BlobStore blobs, BaseUrl baseUrl, FileReads fileRead, Repos repos, Delegations delegations,
                     Bandwidth bandwidth) {
        this.fileRead = fileRead;
        this.repos = repos;
        this.delegations = delegations;
        this.bandwidth = bandwidth;
        this.tokens = tokens;
        this.uploads = uploads;
        this.store = store;
        this.fetchSigner = fetchSigner;
        this.responses = new BlobResponses(blobs);
        this.blobs = blobs;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        routes.post(PREFIX + "/v1/xorbs/{prefix}/{hash}", this::uploadXorb);
        routes.post(PREFIX + "/v1/shards", this::uploadShard);
        routes.post(PREFIX + "/shards", this::uploadShard);
        routes.post(PREFIX + "/v2/shards", this::uploadShardV2);
        routes.get(PREFIX + "/v1/reconstructions/{file}", ctx -> reconstruction(ctx, false));
        routes.get(PREFIX + "/v2/reconstructions/{file}", ctx -> reconstruction(ctx, true));
        // The spec documents a POST with a JSON body; hf_xet sends GET ?file_id=...&file_id=...
        routes.get(PREFIX + "/v1/reconstructions", ctx -> batch(ctx, ctx.queryParams("file_id")));
        routes.post(PREFIX + "/v1/reconstructions", ctx -> batch(ctx, batchBody(ctx)));
        routes.get(PREFIX + "/v1/chunks/{prefix}/{hash}", this::dedup);
        routes.get(PREFIX + "/fetch/{xorb}", this::fetch);
        routes.head(PREFIX + "/fetch/{xorb}", this::fetch);
    }

    private XetGrant grant(Context ctx, boolean write) {
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        Optional<XetGrant> grant = tokens.verify(token);
        if (grant.isEmpty()) {
            discardSomeBody(ctx);
            throw new Errors.AuthenticationRequired("A valid Xet access token is required; request a new one "
                    + "from the hub's xet-read-token or xet-write-token endpoint");
        }
        if (write && !grant.get().allowsWrite()) {
            discardSomeBody(ctx);
            throw new Errors.Forbidden("This Xet token has the read scope; uploads need a write token");
        }
        try {
            Repo repo = repos.findById(grant.get().repoId())
                    .orElseThrow(() -> new Errors.NotFound("The repository of this Xet token no longer exists"));
            delegations.require(grant.get().credential(), repo, grant.get().need());
        } catch (HubException e) {
            discardSomeBody(ctx);
            throw e;
        }
        return grant.get();
    }

    /**
     * Reads (and drops) a refused upload's body, up to a bound: answering while the client is still sending makes
     * the connection close with unread data, and the client's TCP stack may then discard the answer unread.
     */
    private static void discardSomeBody(Context ctx) {
        try (var in = ctx.req().getInputStream()) {
            in.skipNBytes(Math.min(Math.max(ctx.req().getContentLengthLong(), 0), 8L << 20));
        } catch (IOException | RuntimeException e) {
            // the answer matters more than the rest of a refused body
        }
    }

    private static MerkleHash hashParam(Context ctx, String name) {
        MerkleHash hash = MerkleHash.parseOrNull(ctx.pathParam(name));
        if (hash == null) {
            throw new Errors.BadRequest("Malformed hash '" + ctx.pathParam(name) + "': 64 hex characters expected");
        }
        return hash;
    }

    private void uploadXorb(Context ctx) throws IOException {
        XetGrant grant = grant(ctx, true);
        if (!ctx.pathParam("prefix").equals("default")) {
            throw new Errors.BadRequest("Unknown xorb prefix '" + ctx.pathParam("prefix") + "'");
        }
        MerkleHash hash = hashParam(ctx, "hash");
        boolean inserted;
        try {
            inserted = uploads.storeXorb(hash, ctx.req().getInputStream(), grant);
        } catch (XetFormatException e) {
            // A client that builds bad xorbs is a bug somewhere worth seeing in the log, not just in its own output.
            LOG.warn("Xorb {} from user {} rejected: {}", hash, grant.userId(), e.getMessage());
            throw new Errors.BadRequest("Xorb rejected, nothing was stored: " + e.getMessage());
        }
        Json.send(ctx, Map.of("was_inserted", inserted));
    }

    private void uploadShard(Context ctx) throws IOException {
        XetGrant grant = grant(ctx, true);
        boolean registered;
        try {
            registered = uploads.registerShard(ctx.req().getInputStream(), grant);
        } catch (ShardFormatException e) {
            throw new Errors.BadRequest("Shard rejected, nothing was registered: " + e.getMessage());
        }
        Json.send(ctx, Map.of("result", registered ? 1 : 0));
    }

    /**
     * The streaming variant hf_xet tries first: 200 with NDJSON frames, the last one {@code result} or
     * {@code error}. The checks are quick here, so the frames are written once they are done.
     */
    private void uploadShardV2(Context ctx) throws IOException {
        XetGrant grant = grant(ctx, true);
        String frames;
        try {
            uploads.registerShard(ctx.req().getInputStream(), grant);
            frames = "{\"type\":\"committing\",\"stage\":\"syncing\"}\n{\"type\":\"result\"}\n";
        } catch (ShardFormatException e) {
            frames = Json.MAPPER.writeValueAsString(Map.of("type", "error", "retryable", false,
                    "message", "Shard rejected, nothing was registered: " + e.getMessage())) + "\n";
        }
        ctx.status(200).contentType("application/x-ndjson").result(frames);
    }

    private final FileReads fileRead;
    private final Repos repos;
    private final Delegations delegations;
    private final Bandwidth bandwidth;

    private XorbUrlSigner signer(Context ctx, XetGrant grant) {
        return fetchSigner.forBase(baseUrl.of(ctx) + PREFIX,
                new XorbFetchSigner.Holder(grant.repoId(), grant.credential(), grant.need()));
    }

    private void reconstruction(Context ctx, boolean v2) {
        XetGrant grant = grant(ctx, false);
        MerkleHash fileHash = hashParam(ctx, "file");
        // Until a commit references it, only the uploader's write grant may read a file back.
        FileReconstruction file = store.file(fileHash, grant.repoId(), !grant.allowsWrite())
                .orElseThrow(() -> new Errors.NotFound("File " + fileHash + " does not exist"));
        ReconstructionPlan plan;
        try {
            Optional<RangeRequest> range = RangeRequest.parse(ctx.header("Range"));
            plan = ReconstructionPlanner.plan(file, range, xorb -> store.xorb(xorb)
                    .map(XetStore.StoredXorb::info)
                    .orElseThrow(() -> new IllegalStateException("registered file " + fileHash
                            + " references missing xorb " + xorb)));
        } catch (ReconstructionRangeException e) {
            if (e.reason().httpStatus() == 416) {
                throw new Errors.RangeNotSatisfiable(file.size());
            }
            throw new Errors.BadRequest(e.getMessage());
        }
        if (!grant.allowsWrite()) {
            fileRead.reconstructed(grant.repoId(), ctx.header("Range"));
        }
        var signer = signer(ctx, grant);
        // One range per URL: the fetch endpoint answers single ranges, never multipart/byteranges.
        Json.send(ctx, v2 ? ReconstructionResponses.v2(plan, signer, 1) : ReconstructionResponses.v1(plan, signer));
    }

    private static final int MAX_BATCH = 1000;

    private static List<String> batchBody(Context ctx) {
        com.fasterxml.jackson.databind.JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.req().getInputStream().readNBytes(4 << 20));
        } catch (IOException e) {
            throw new Errors.BadRequest("Malformed batch reconstruction body");
        }
        if (body == null || !body.isArray()) {
            throw new Errors.BadRequest("The body must be a JSON array of {prefix, hash} keys");
        }
        List<String> hashes = new java.util.ArrayList<>();
        body.forEach(key -> hashes.add(key.path("hash").asText("")));
        return hashes;
    }

    /** Many files at once, without byte ranges; files the token's repo did not register are left out. */
    private void batch(Context ctx, List<String> fileIds) {
        XetGrant grant = grant(ctx, false);
        if (fileIds.size() > MAX_BATCH) {
            throw new Errors.PayloadTooLarge("At most " + MAX_BATCH + " files per batch reconstruction");
        }
        Map<MerkleHash, ReconstructionPlan> plans = new java.util.LinkedHashMap<>();
        for (String id : fileIds) {
            MerkleHash hash = MerkleHash.parseOrNull(id);
            if (hash == null) {
                throw new Errors.BadRequest("Malformed file id '" + id + "'");
            }
            Optional<FileReconstruction> file = store.file(hash, grant.repoId(), !grant.allowsWrite());
            if (file.isPresent()) {
                try {
                    plans.put(hash, ReconstructionPlanner.plan(file.get(), Optional.empty(), xorb -> store.xorb(xorb)
                            .map(XetStore.StoredXorb::info).orElseThrow()));
                } catch (ReconstructionRangeException e) {
                    throw new IllegalStateException("a whole-file plan has no range to refuse", e);
                }
            }
        }
        Json.send(ctx, ReconstructionResponses.batchV1(plans, signer(ctx, grant)));
    }

    /** Global deduplication, limited to xorbs used by files in repos the token's user may read. */
    private void dedup(Context ctx) {
        XetGrant grant = grant(ctx, false);
        // hf_xet asks under "default"; the spec names "default-merkledb". Both mean the one global index.
        if (!ctx.pathParam("prefix").equals(GlobalDedup.PREFIX) && !ctx.pathParam("prefix").equals("default")) {
            throw new Errors.BadRequest("Unknown dedup prefix '" + ctx.pathParam("prefix") + "'");
        }
        MerkleHash chunk = hashParam(ctx, "hash");
        List<MerkleHash> found = store.xorbsWithChunk(chunk, grant.userId());
        List<MerkleHash> offered = new ArrayList<>(found);
        if (!found.isEmpty()) {
            offered.addAll(store.xorbsFollowing(found.get(0), grant.userId(), DEDUP_FOLLOWING_XORBS));
        }
        List<CasInfo> xorbs = offered.stream().distinct()
                .map(store::xorb).flatMap(Optional::stream)
                .map(stored -> stored.info().toCasInfo()).toList();
        if (xorbs.isEmpty()) {
            throw new Errors.NotFound("Chunk " + chunk + " is not known");
        }
        long now = System.currentTimeMillis() / 1000;
        // Chunk hashes go out keyed with a fresh secret, as the spec intends: a client can recognise chunks it
        // already has, but cannot learn the hashes of the others (which would let it forge verification hashes).
        byte[] keyBytes = new byte[MerkleHash.LENGTH];
        RANDOM.nextBytes(keyBytes);
        MerkleHash key = MerkleHash.fromBytes(keyBytes);
        Shard answer = GlobalDedup.answer(xorbs, Optional.of(key), h -> XetHashes.hmac(h, key), now,
                now + 7 * 24 * 3600);
        ctx.contentType("application/octet-stream").result(ShardSerializer.toBytes(answer));
    }

    /** Byte ranges of a stored xorb, authorised by the signed URL of a reconstruction answer. */
    private void fetch(Context ctx) throws IOException {
        MerkleHash xorb = hashParam(ctx, "xorb");
        XorbFetchSigner.Holder holder = fetchSigner.verify(xorb, ctx.queryParam("ranges"), ctx.queryParam("repo"),
                        ctx.queryParam("cred"), ctx.queryParam("need"), ctx.queryParam("expires"),
                        ctx.queryParam("signature"))
                .orElseThrow(() -> new Errors.Forbidden(
                        "This xorb URL is invalid or has expired; ask for the reconstruction again"));
        Repo repo = repos.findById(holder.repoId())
                .orElseThrow(() -> new Errors.NotFound("The repository of this xorb URL no longer exists"));
        delegations.require(holder.credential(), repo, holder.need());
        XetStore.XorbLocation stored = store.location(xorb)
                .orElseThrow(() -> new Errors.NotFound("Unknown xorb " + xorb));
        String range = ctx.header("Range");
        if (range == null || !allowed(ctx.queryParam("ranges"), range)) {
            throw new Errors.Forbidden("The Range header must ask for the bytes this URL was signed for");
        }
        long size = stored.serializedLength();
        bandwidth.served(repo.repoId().namespace(), ByteRange.parse(range, size).map(ByteRange::length).orElse(0L));
        ctx.contentType("application/octet-stream");
        if (stored.source() instanceof XorbSource.LfsView view) {
            XorbInfo layout = store.xorb(xorb).orElseThrow(() -> new Errors.NotFound("Unknown xorb " + xorb)).info();
            BlobResponses.sendContent(ctx, size, (offset, length, out) ->
                    LfsViewXorbs.writeSerialized(blobs, view, layout, offset, length, out));
        } else {
            BlobKey blob = ((XorbSource.Stored) stored.source()).blob();
            // Checked and counted here, served by the bucket: hf_xet follows the redirect with its Range header, the
            // one the URL is signed for (the rest of the xorb may hold chunks of files the reader may not read).
            Optional<BlobStore.DirectDownload> direct = blobs.directRange(blob, range)
                    .filter(d -> d.leaves(baseUrl.of(ctx)));
            if (direct.isPresent()) {
                ctx.status(302);
                ctx.header("Location", direct.get().url().toString());
                return;
            }
            responses.sendBlob(ctx, blob, size);
        }
    }

    /** The requested range must lie inside one of the signed ranges. */
    static boolean allowed(String signed, String rangeHeader) {
        if (!rangeHeader.startsWith("bytes=") || rangeHeader.contains(",")) {
            return false;
        }
        String[] asked = rangeHeader.substring(6).split("-", -1);
        try {
            long first = Long.parseLong(asked[0]);
            long last = Long.parseLong(asked[1]);
            for (String r : signed.split(",")) {
                String[] bounds = r.split("-");
                if (first >= Long.parseLong(bounds[0]) && last <= Long.parseLong(bounds[1]) && first <= last) {
                    return true;
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
        return false;
    }
}
