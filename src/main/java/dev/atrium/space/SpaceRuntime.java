package dev.atrium.space;

import dev.atrium.card.ReadmeMetadata;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoPath;
import dev.atrium.repo.Revisions;
import dev.atrium.repo.TreeReader;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jspecify.annotations.Nullable;

/**
 * What a Space is at its default branch's head, as the Hub's runtime describes it: its SDK (the README's {@code sdk},
 * else the one it was created with), the file its app starts from, and its stage. Atrium serves static Spaces
 * itself ({@link SpaceApp}); it stores Spaces of the other SDKs but does not run them, which their stage says.
 *
 * @param appFile the file a static Space opens with ({@code app_file} in the README, else {@code index.html})
 * @param head the commit described, or null for a Space with no commit
 */
public record SpaceRuntime(@Nullable String sdk, String appFile, Stage stage, @Nullable String errorMessage,
                           @Nullable RevCommit head) {
    /** The Hub's stages that Atrium reports. */
    public enum Stage { RUNNING, NO_APP_FILE, CONFIG_ERROR }

    public static final String STATIC = "static";
    private static final String DEFAULT_APP_FILE = "index.html";

    public boolean running() {
        return stage == Stage.RUNNING;
    }

    /** The runtime of {@code space} at the head of its default branch. */
    public static SpaceRuntime of(Repository git, Repo space) throws IOException {
        ObjectId head = git.resolve(Constants.R_HEADS + Revisions.DEFAULT_BRANCH + "^{commit}");
        if (head == null) {
            return new SpaceRuntime(space.sdk(), DEFAULT_APP_FILE, Stage.NO_APP_FILE, "The Space has no commit yet",
                    null);
        }
        RevCommit commit;
        try (RevWalk walk = new RevWalk(git)) {
            commit = walk.parseCommit(head);
        }
        Map<String, Object> card = ReadmeMetadata.of(git, TreeReader.find(git, commit, "README.md").orElse(null));
        String sdk = card.get("sdk") instanceof String s && !s.isBlank() ? s.strip().toLowerCase(Locale.ROOT)
                : space.sdk();
        String appFile = card.get("app_file") instanceof String s && !s.isBlank() ? s.strip() : DEFAULT_APP_FILE;
        if (!STATIC.equals(sdk)) {
            return new SpaceRuntime(sdk, appFile, Stage.CONFIG_ERROR, sdk == null
                    ? "The README names no sdk; this hub serves static Spaces (sdk: static)"
                    : "This hub serves static Spaces only; a " + sdk + " Space is stored here but not run",
                    commit);
        }
        boolean present = RepoPath.validate(appFile).isEmpty()
                && TreeReader.find(git, commit, RepoPath.normalize(appFile)).filter(f -> !f.isDirectory()).isPresent();
        return new SpaceRuntime(sdk, appFile, present ? Stage.RUNNING : Stage.NO_APP_FILE,
                present ? null : "The Space has no " + appFile + " to open", commit);
    }
}
