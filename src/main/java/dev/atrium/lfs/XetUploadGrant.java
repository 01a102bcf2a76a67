package dev.atrium.lfs;

import dev.atrium.auth.Principal;
import dev.atrium.repo.Repo;
import java.util.Map;

/**
 * A grant to upload a repo's files through Xet, for a batch whose client offers the {@code xet} transfer (the JS
 * client does, by default): the headers the client reads its CAS URL, token and expiry from. Given by the Xet
 * package, so that LFS does not depend on it.
 */
@FunctionalInterface
public interface XetUploadGrant {
    /** {@code X-Xet-Cas-Url}, {@code X-Xet-Access-Token}, {@code X-Xet-Token-Expiration}. */
    Map<String, String> headers(Repo repo, Principal caller, String baseUrl);
}
