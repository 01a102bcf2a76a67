package dev.atrium.lfs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Answers a batch request once the caller's access has been checked: which objects need a transfer, and the signed
 * URLs to do it. Objects above the multipart threshold are offered as parts to clients that speak the Hub's
 * {@code multipart} transfer (Python, JS); git-lfs, which does not, always gets a plain {@code basic} upload. A
 * client that offers {@code xet} (the JS client) uploads through Xet instead, deduplicating against the hub.
 */
public final class LfsBatch {
    private final LfsObjects objects;
    private final TransferSigner signer;
    private final MultipartPolicy multipart;

    public LfsBatch(LfsObjects objects, TransferSigner signer, MultipartPolicy multipart) {
        this.objects = objects;
        this.signer = signer;
        this.multipart = multipart;
    }

    /**
     * Xet instead of LFS for an upload whose client offered it: the grant's headers and the URL that renews it
     * (the repo's {@code xet-write-token}), which the JS client reads from each upload action.
     */
    public record XetOffer(Map<String, String> headers, String renewUrl) {}

    /**
     * @param lfsUrl the repo's LFS base URL as the client reaches it, e.g. {@code https://host/datasets/a/b.git/info/lfs}
     * @param credential the caller's credential id, signed into every URL so that revoking it stops them
     * @param xet uploads go through Xet when given (the client offered it), else through LFS
     */
    public ObjectNode answer(BatchRequest request, Repo repo, String lfsUrl, String credential,
                             @Nullable XetOffer xet) throws IOException {
        ObjectNode out = Json.MAPPER.createObjectNode();
        boolean throughXet = xet != null && request.operation() == BatchRequest.Operation.UPLOAD;
        out.put("transfer", throughXet ? "xet" : "basic");
        out.put("hash_algo", "sha256");
        ArrayNode list = out.putArray("objects");
        for (BatchRequest.ObjectSpec spec : request.objects()) {
            ObjectNode entry = list.addObject();
            entry.put("oid", spec.oid());
            entry.put("size", Math.max(spec.size(), 0));
            Sha256 oid = spec.sha256();
            if (oid == null) {
                error(entry, 422, "Invalid object id '" + abbreviate(spec.oid()) + "': expected 64 lowercase hex digits");
                continue;
            }
            if (spec.size() < 0) {
                error(entry, 422, "Invalid size for object " + oid + ": expected a non-negative integer");
                continue;
            }
            OptionalLong linked = objects.sizeOf(repo, oid);
            if (linked.isPresent() && linked.getAsLong() != spec.size()) {
                error(entry, 422, "Object " + oid + " is stored with a size of " + linked.getAsLong() + " bytes, not "
                        + spec.size());
                continue;
            }
            if (request.operation() == BatchRequest.Operation.UPLOAD) {
                if (linked.isEmpty() && throughXet) {
                    ObjectNode upload = entry.putObject("actions").putObject("upload");
                    upload.put("href", xet.renewUrl());
                    ObjectNode header = upload.putObject("header");
                    xet.headers().forEach(header::put);
                } else if (linked.isEmpty()) {
                    // Also when the bytes are stored for another repo: uploading them is how this repo proves it has them.
                    boolean parts = request.offers("multipart") && multipart.appliesTo(spec.size());
                    uploadActions(entry.putObject("actions"), repo, credential, oid, spec.size(), lfsUrl, parts);
                    if (parts) {
                        out.put("transfer", "multipart");
                    }
                }
            } else if (linked.isPresent()) {
                ObjectNode actions = entry.putObject("actions");
                action(actions, "download", TransferSigner.Operation.DOWNLOAD, repo, credential, oid, spec.size(),
                        objectUrl(lfsUrl, oid, spec.size()));
            } else {
                error(entry, 404, "Object " + oid + " does not exist in " + repo.repoId());
            }
        }
        return out;
    }

    /**
     * With parts, the upload action's {@code header} holds {@code chunk_size} and one signed URL per part, keyed
     * "1", "2", ...; the upload href itself then takes the completion POST.
     */
    private void uploadActions(ObjectNode actions, Repo repo, String credential, Sha256 oid, long size, String lfsUrl,
                               boolean parts) {
        String objectUrl = objectUrl(lfsUrl, oid, size);
        action(actions, "upload", TransferSigner.Operation.UPLOAD, repo, credential, oid, size, objectUrl);
        if (parts) {
            ObjectNode header = ((ObjectNode) actions.get("upload")).putObject("header");
            header.put("chunk_size", String.valueOf(multipart.partSize()));
            for (int part = 1; part <= multipart.partCount(size); part++) {
                TransferSigner.Grant grant = signer.sign(TransferSigner.Operation.UPLOAD_PART, repo.id(), credential, oid,
                        size, part);
                header.put(String.valueOf(part), objectUrl + "/part/" + part + "?" + grant.query());
            }
        }
        action(actions, "verify", TransferSigner.Operation.VERIFY, repo, credential, oid, size, objectUrl + "/verify");
    }

    private void action(ObjectNode actions, String name, TransferSigner.Operation operation, Repo repo,
                        String credential, Sha256 oid, long size, String url) {
        TransferSigner.Grant grant = signer.sign(operation, repo.id(), credential, oid, size);
        ObjectNode action = actions.putObject(name);
        action.put("href", url + "?" + grant.query());
        action.put("expires_in", signer.ttl().toSeconds());
    }

    /** The one URL shape of object transfers: {@code {lfsUrl}/objects/{oid}/{size}}. */
    static String objectUrl(String lfsUrl, Sha256 oid, long size) {
        return lfsUrl + "/objects/" + oid.hex() + "/" + size;
    }

    private static void error(ObjectNode entry, int code, String message) {
        entry.putObject("error").put("code", code).put("message", message);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
