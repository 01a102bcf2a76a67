package dev.atrium.commit;

import java.util.Base64;

/**
 * Decides, for {@code preupload}, whether a file is sent inline in the commit ("regular") or uploaded first ("lfs").
 *
 * <p>The Hub's rule, for every client: LFS when .gitattributes routes the path there, when the file is over 10 MiB,
 * or when it looks binary. The Python client then uploads those through Xet (or the LFS batch API with
 * HF_HUB_DISABLE_XET=1), the JS client and git through LFS. Nothing above {@code inlineLimit} is ever sent inline.
 */
public final class UploadModes {
    private final long inlineLimit;
    private final long gitBlobLimit;

    public UploadModes(long inlineLimit, long gitBlobLimit) {
        this.inlineLimit = inlineLimit;
        this.gitBlobLimit = gitBlobLimit;
    }

    public boolean useLfs(String path, long size, String sampleBase64, LfsRules rules) {
        if (size == 0) {
            return false;
        }
        return size > inlineLimit || rules.isLfs(path) || size > gitBlobLimit || looksBinary(sampleBase64);
    }

    /** Git's own heuristic: a NUL byte in the first bytes means binary. */
    static boolean looksBinary(String sampleBase64) {
        if (sampleBase64 == null || sampleBase64.isEmpty()) {
            return false;
        }
        try {
            for (byte b : Base64.getDecoder().decode(sampleBase64)) {
                if (b == 0) {
                    return true;
                }
            }
            return false;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
