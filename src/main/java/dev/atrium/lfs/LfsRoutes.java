package dev.atrium.lfs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Delegations;
import dev.atrium.auth.Principal;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.usage.Bandwidth;
import dev.atrium.usage.Quotas;
import dev.atrium.http.BlobResponses;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.RepoRoutes;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.storage.BlobMismatchException;
import dev.atrium.storage.BlobStore;
import dev.atrium.storage.Sha256;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * The git-lfs HTTP endpoints under {@code {prefix}{ns}/{name}.git/info/lfs} (hub-api §8.5, §15.4): the batch API,
 * the signed object transfers it hands out, and the lock verification git-lfs calls on push.
 */
public final class LfsRoutes {
    static final String CONTENT_TYPE = "application/vnd.git-lfs+json";

    private final Quotas quotas;
    private final AccessPolicy policy;
    private final Bandwidth bandwidth;
    private final RepoLookup lookup;
    private final RepoService repoService;
    private final LfsObjects objects;
    private final BlobResponses responses;
    private final TransferSigner signer;
    private final LfsBatch batch;
    private final BaseUrl baseUrl;

    private final BlobStore blobs;
    private final MultipartPolicy multipart;
    private final Delegations delegations;
    private final XetUploadGrant xetGrant;

    public LfsRoutes(RepoLookup lookup, RepoService repoService, LfsObjects objects, BlobStore blobs,
                     TransferSigner signer, MultipartPolicy multipart, BaseUrl baseUrl, Quotas quotas,
                     AccessPolicy policy, Bandwidth bandwidth, Delegations delegations,
                     XetUploadGrant xetGrant) {
        this.delegations = delegations;
        this.xetGrant = xetGrant;
        this.quotas = quotas;
        this.policy = policy;
        this.bandwidth = bandwidth;
        this.lookup = lookup;
        this.repoService = repoService;
        this.objects = objects;
        this.responses = new BlobResponses(blobs);
        this.signer = signer;
        this.batch = new LfsBatch(objects, signer, multipart);
        this.blobs = blobs;
        this.multipart = multipart;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        RepoRoutes.add(routes, HandlerType.POST, "/info/lfs/objects/batch", this::batch);
        RepoRoutes.add(routes, HandlerType.PUT, "/info/lfs/objects/{oid}/{size}", this::upload);
        RepoRoutes.add(routes, HandlerType.PUT, "/info/lfs/objects/{oid}/{size}/part/{part}", this::uploadPart);
        RepoRoutes.add(routes, HandlerType.POST, "/info/lfs/objects/{oid}/{size}", this::completeParts);
        RepoRoutes.add(routes, HandlerType.GET, "/info/lfs/objects/{oid}/{size}", this::download);
        RepoRoutes.add(routes, HandlerType.HEAD, "/info/lfs/objects/{oid}/{size}", this::download);
        RepoRoutes.add(routes, HandlerType.POST, "/info/lfs/objects/{oid}/{size}/verify", this::verify);
        RepoRoutes.add(routes, HandlerType.POST, "/info/lfs/locks/verify", this::verifyLocks);
    }

    private void batch(Context ctx, RepoType type, String namespace, String name) throws IOException {
        BatchRequest request = BatchRequest.parse(Json.body(ctx));
        // Downloading needs the content; the signed hrefs carry the authority on.
        boolean upload = request.operation() == BatchRequest.Operation.UPLOAD;
        Repo repo = lookup.load(ctx, type, namespace, name,
                upload ? AccessPolicy.Action.READ : AccessPolicy.Action.DOWNLOAD);
        if (upload) {
            policy.requireUpload(Caller.of(ctx), repo);
        }
        if (upload) {
            long largest = request.objects().stream().mapToLong(BatchRequest.ObjectSpec::size).max().orElse(0);
            quotas.requireUpload(repo, largest, () -> newBytes(request, repo));
        }
        String base = baseUrl.of(ctx);
        String lfsUrl = base + "/" + repo.urlPath() + ".git/info/lfs";
        Principal caller = Caller.of(ctx);
        LfsBatch.XetOffer xet = upload && request.offers("xet")
                ? new LfsBatch.XetOffer(xetGrant.headers(repo, caller, base), xetRenewUrl(base, repo, caller))
                : null;
        send(ctx, batch.answer(request, repo, lfsUrl, Delegations.credentialOf(caller), xet));
    }

    /**
     * Where the JS client renews its Xet grant: the repo's {@code xet-write-token}, for a pull request when the
     * caller may only contribute (as the Python client asks, with the revision {@code None}).
     */
    private String xetRenewUrl(String base, Repo repo, Principal caller) {
        String api = base + "/api/" + repo.type().plural() + "/" + repo.repoId() + "/xet-write-token/";
        return policy.canWrite(caller, repo) ? api + "main" : api + "None?create_pr=1";
    }

    /** The bytes of the objects the repo does not have yet: what an upload would add to its storage. */
    private long newBytes(BatchRequest request, Repo repo) {
        long incoming = 0;
        for (BatchRequest.ObjectSpec object : request.objects()) {
            Sha256 oid = Sha256.parseOrNull(object.oid());
            try {
                if (oid == null || !objects.isLinked(repo, oid)) {
                    incoming += Math.max(0, object.size());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return incoming;
    }

    /** Streams the body into the blob store, hashing as it arrives; a mismatch stores and links nothing. */
    private void upload(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = signedRepo(type, namespace, name);
        Sha256 oid = pathOid(ctx);
        long size = pathSize(ctx);
        requireSignature(ctx, TransferSigner.Operation.UPLOAD, repo, oid, size);
        long declared = ctx.req().getContentLengthLong();
        if (declared >= 0 && declared != size) {
            throw new Errors.BadRequest("The body has " + declared + " bytes but object " + oid + " has " + size);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            objects.store(repo, oid, size, in);
        } catch (BlobMismatchException e) {
            throw new Errors.BadRequest("Upload of " + oid + " rejected, nothing was stored: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw collectedMeanwhile(oid);
        }
        ctx.status(200);
    }

    /** One slice of a multipart upload; its ETag (the slice's sha256) is what the client echoes on completion. */
    private void uploadPart(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = signedRepo(type, namespace, name);
        Sha256 oid = pathOid(ctx);
        long size = pathSize(ctx);
        int part = partNumber(ctx, size);
        String credential = ctx.queryParam("cred");
        if (!signer.verify(TransferSigner.Operation.UPLOAD_PART, repo.id(), credential, oid, size, part,
                ctx.queryParam("expires"), ctx.queryParam("signature"))) {
            throw new Errors.Forbidden("This LFS part URL is invalid or has expired; request a new one from the batch API");
        }
        delegations.require(credential, repo, Delegations.Need.CONTRIBUTE);
        long length = multipart.lengthOf(part, size);
        long declared = ctx.req().getContentLengthLong();
        if (declared >= 0 && declared != length) {
            throw new Errors.BadRequest("Part " + part + " of " + oid + " must have " + length + " bytes, not " + declared);
        }
        Sha256 partHash;
        try (InputStream in = ctx.req().getInputStream()) {
            partHash = blobs.writePart(oid, size, multipart.offsetOf(part), length, in);
        } catch (BlobMismatchException e) {
            throw new Errors.BadRequest("Part " + part + " of " + oid + " rejected: " + e.getMessage());
        }
        ctx.header("ETag", "\"" + partHash.hex() + "\"");
        ctx.status(200);
    }

    /** The completion POST of a multipart upload: every part must be there and the whole must hash to the oid. */
    private void completeParts(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = signedRepo(type, namespace, name);
        Sha256 oid = pathOid(ctx);
        long size = pathSize(ctx);
        requireSignature(ctx, TransferSigner.Operation.UPLOAD, repo, oid, size);
        com.fasterxml.jackson.databind.JsonNode body = Json.body(ctx);
        if (!oid.hex().equals(Json.text(body, "oid"))) {
            throw new Errors.BadRequest("The completion names object " + Json.text(body, "oid") + ", not " + oid);
        }
        java.util.Set<Integer> numbers = new java.util.TreeSet<>();
        body.path("parts").forEach(p -> numbers.add(p.path("partNumber").asInt(-1)));
        int expected = multipart.partCount(size);
        if (numbers.size() != expected || !numbers.contains(1) || !numbers.contains(expected) || numbers.contains(-1)) {
            throw new Errors.BadRequest("Object " + oid + " has " + expected + " parts; the completion lists "
                    + numbers.size());
        }
        try {
            blobs.completeParts(oid, size);
        } catch (BlobMismatchException e) {
            throw new Errors.BadRequest("Upload of " + oid + " rejected, nothing was stored: " + e.getMessage());
        }
        try {
            objects.link(repo, oid, size);
        } catch (IllegalArgumentException e) {
            throw collectedMeanwhile(oid);
        }
        send(ctx, Json.MAPPER.createObjectNode());
    }

    /**
     * The bytes were there when the upload found them stored already, and a garbage collection removed them before
     * the link: rare, and mended by uploading again, which stores them anew.
     */
    private static Errors.Conflict collectedMeanwhile(Sha256 oid) {
        return new Errors.Conflict("Object " + oid + " was removed by a storage clean-up during the upload; upload it"
                + " again");
    }

    private int partNumber(Context ctx, long size) {
        try {
            int part = Integer.parseInt(ctx.pathParam("part"));
            if (part >= 1 && part <= multipart.partCount(size)) {
                return part;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Errors.NotFound("Invalid part number: " + ctx.pathParam("part"));
    }

    private void download(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = signedRepo(type, namespace, name);
        Sha256 oid = pathOid(ctx);
        long size = pathSize(ctx);
        requireSignature(ctx, TransferSigner.Operation.DOWNLOAD, repo, oid, size);
        OptionalLong stored = objects.sizeOf(repo, oid);
        if (stored.isEmpty() || stored.getAsLong() != size) {
            throw new Errors.NotFound("Object " + oid + " does not exist in " + repo.repoId());
        }
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("ETag", "\"" + oid.hex() + "\"");
        ctx.contentType("application/octet-stream");
        if (ctx.method() == io.javalin.http.HandlerType.GET) {
            bandwidth.served(repo.repoId().namespace(), dev.atrium.http.ByteRange.parse(ctx.header("Range"), size)
                    .map(dev.atrium.http.ByteRange::length).orElse(size));
        }
        if (objects.isBlob(oid)) {
            var direct = ctx.method() == io.javalin.http.HandlerType.GET
                    ? blobs.directDownload(oid, "attachment").filter(d -> d.leaves(baseUrl.of(ctx)))
                    : java.util.Optional.<BlobStore.DirectDownload>empty();
            if (direct.isPresent()) {
                ctx.status(302); // the signature above was checked: the store serves the bytes (git-lfs follows)
                ctx.header("Location", direct.get().url().toString());
                return;
            }
            responses.sendBlob(ctx, oid, size);
        } else {
            BlobResponses.sendContent(ctx, size, (offset, length, out) -> objects.writeXet(repo, oid, offset, length, out));
        }
    }

    /** Called after an upload (Python always, git-lfs when offered): the object must now be usable by the repo. */
    private void verify(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = signedRepo(type, namespace, name);
        Sha256 oid = pathOid(ctx);
        long size = pathSize(ctx);
        requireSignature(ctx, TransferSigner.Operation.VERIFY, repo, oid, size);
        OptionalLong stored = objects.sizeOf(repo, oid);
        if (stored.isEmpty() || stored.getAsLong() != size) {
            throw new Errors.NotFound("Object " + oid + " of " + size + " bytes was not uploaded to " + repo.repoId());
        }
        send(ctx, Json.MAPPER.createObjectNode());
    }

    /**
     * Atrium has no file locking. git-lfs asks on every push; a 501 (or 404) makes it switch lock verification off
     * for the remote silently, whereas a 200 makes it print "Locking support detected ... git config
     * lfs.<url>.locksverify true" on every push, with the remote URL and so any token embedded in it.
     */
    private void verifyLocks(Context ctx, RepoType type, String namespace, String name) {
        lookup.load(ctx, type, namespace, name, AccessPolicy.Action.WRITE);
        throw new Errors.NotImplemented("File locking is not supported by this server");
    }

    /** Transfers authorise by signature, not by the caller: the repo is found without asking the access policy. */
    private Repo signedRepo(RepoType type, String namespace, String name) {
        RepoId id;
        try {
            id = new RepoId(namespace, name);
        } catch (IllegalArgumentException e) {
            throw new Errors.NotFound("Not found: " + namespace + "/" + name);
        }
        return repoService.find(type, id).orElseThrow(() -> new Errors.NotFound("Not found: " + id));
    }

    /**
     * The URL must be signed for this transfer, and the credential it was signed for must still allow it (uploads:
     * contributing is enough, as the batch API lets contributors upload for pull requests).
     */
    private void requireSignature(Context ctx, TransferSigner.Operation operation, Repo repo, Sha256 oid, long size) {
        String credential = ctx.queryParam("cred");
        if (!signer.verify(operation, repo.id(), credential, oid, size, ctx.queryParam("expires"),
                ctx.queryParam("signature"))) {
            throw new Errors.Forbidden("This LFS transfer URL is invalid or has expired; request a new one from the "
                    + "batch API");
        }
        delegations.require(credential, repo, operation == TransferSigner.Operation.DOWNLOAD
                ? Delegations.Need.DOWNLOAD : Delegations.Need.CONTRIBUTE);
    }

    private static Sha256 pathOid(Context ctx) {
        String text = ctx.pathParam("oid");
        Sha256 oid = Sha256.parseOrNull(text);
        if (oid == null || !oid.hex().equals(text)) {
            throw new Errors.NotFound("Invalid object id: " + text);
        }
        return oid;
    }

    private static long pathSize(Context ctx) {
        try {
            long size = Long.parseLong(ctx.pathParam("size"));
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Errors.NotFound("Invalid object size: " + ctx.pathParam("size"));
    }

    private static void send(Context ctx, Object body) {
        try {
            ctx.status(200).contentType(CONTENT_TYPE).result(Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serialisable", e);
        }
    }
}
