package dev.atrium.card;

import dev.atrium.repo.FileEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.jspecify.annotations.Nullable;

/** The YAML metadata of a repo's README, read leniently for features that only need a few of its keys. */
public final class ReadmeMetadata {
    private ReadmeMetadata() {}

    /** Empty without a README, or when it is an LFS file, too large, or its metadata does not parse. */
    public static Map<String, Object> of(Repository git, @Nullable FileEntry readme) throws IOException {
        if (readme == null || readme.lfs() != null || readme.size() > 2L * FrontMatter.MAX_BYTES) {
            return Map.of();
        }
        byte[] bytes = git.open(ObjectId.fromString(readme.oid()), Constants.OBJ_BLOB).getBytes();
        return FrontMatter.readLeniently(new String(bytes, StandardCharsets.UTF_8)).orElse(Map.of());
    }
}
