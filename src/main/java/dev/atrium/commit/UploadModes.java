package dev.atrium.commit;

import java.util.Base64;

/**
 * Decides, for {@code preupload}, whether a file is sent inline in the commit ("regular") or uploaded first ("lfs").
 *
 * <p>The Hub's rule is: LFS when .gitattributes routes the path there, when the file is over 10 MiB, or when it looks
 * binary. But the Python client (with hf_xet, its default install) uploads every "lfs" file through Xet with no
 * fallback, so for it Atrium answers "regular" up to {@code inlineLimit} and stores large or binary files as LFS
 * objects itself when the commit arrives. Above the limit, Python users need HF_HUB_DISABLE_XET=1 until Atrium
 * speaks Xet.
 */
public final class UploadModes {
    private final long inlineLimit;
    private final long gitBlobLimit;

    public UploadModes(long inlineLimit, long gitBlobLimit) {
        this.inlineLimit = inlineLimit;
        this.gitBlobLimit = gitBlobLimit;
    }

    public boolean useLfs(String path, long size, String sampleBase64, LfsRules rules, String userAgent) {
        if (size == 0) {
            return false;
        }
        if (size > inlineLimit) {
            return true;
        }
        if (isPythonClient(userAgent)) {
            return false;
        }
        return rules.isLfs(path) || size > gitBlobLimit || looksBinary(sampleBase64);
    }

    static boolean isPythonClient(String userAgent) {
        return userAgent != null && userAgent.contains("hf_hub/");
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
