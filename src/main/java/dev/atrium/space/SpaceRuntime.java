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
 * itself ({@link SpaceApp}) and runs Streamlit ones when it has a Python for them ({@link SpaceProcesses}); it stores
 * Spaces of the other SDKs but does not run them, which their stage says.
 *
 * @param appFile the file the app opens with ({@code app_file} in the README, else {@code index.html} for a static
 *                Space and {@code app.py} for a Streamlit one)
 * @param head the commit described, or null for a Space with no commit
 * @param sleepSeconds how long a running app may go unused before it sleeps (-1: never), or null when it runs no
 *                     process (a static Space)
 * @param hardware what the app runs on
 */
public record SpaceRuntime(@Nullable String sdk, String appFile, Stage stage, @Nullable String errorMessage,
                           @Nullable RevCommit head, @Nullable Long sleepSeconds, SpaceHardware hardware) {
    /** The Hub's stages that Atrium reports. */
    public enum Stage {
        RUNNING, SLEEPING, BUILDING, BUILD_ERROR, APP_STARTING, RUNTIME_ERROR, PAUSED, NO_APP_FILE, CONFIG_ERROR
    }

    public static final String STATIC = "static";
    public static final String STREAMLIT = "streamlit";

    public boolean running() {
        return stage == Stage.RUNNING;
    }

    /** Whether the app's URL answers: a static Space's files, or a Streamlit app that runs or starts at a visit. */
    public boolean opens() {
        return stage == Stage.RUNNING || stage == Stage.SLEEPING || stage == Stage.BUILDING
                || stage == Stage.APP_STARTING;
    }

    /** The runtime of {@code space} at the head of its default branch. */
    public static SpaceRuntime of(Repository git, Repo space, SpaceProcesses processes) throws IOException {
        ObjectId head = git.resolve(Constants.R_HEADS + Revisions.DEFAULT_BRANCH + "^{commit}");
        if (head == null) {
            return new SpaceRuntime(space.sdk(), "index.html", Stage.NO_APP_FILE, "The Space has no commit yet", null,
                    null, controls(space.sdk(), space, processes).hardware());
        }
        RevCommit commit;
        try (RevWalk walk = new RevWalk(git)) {
            commit = walk.parseCommit(head);
        }
        Map<String, Object> card = ReadmeMetadata.of(git, TreeReader.find(git, commit, "README.md").orElse(null));
        String sdk = card.get("sdk") instanceof String s && !s.isBlank() ? s.strip().toLowerCase(Locale.ROOT)
                : space.sdk();
        boolean runs = STATIC.equals(sdk) || STREAMLIT.equals(sdk) && processes.enabled();
        String appFile = card.get("app_file") instanceof String s && !s.isBlank() ? s.strip()
                : STATIC.equals(sdk) ? "index.html" : "app.py";
        SpaceProcesses.Controls controls = controls(sdk, space, processes);
        SpaceHardware hardware = controls.hardware();
        if (!runs) {
            String served = processes.enabled() ? "static and streamlit Spaces" : "static Spaces";
            return new SpaceRuntime(sdk, appFile, Stage.CONFIG_ERROR, sdk == null
                    ? "The README names no sdk; this hub runs " + served
                    : "This hub runs " + served + "; a " + sdk + " Space is stored here but not run"
                    + (STREAMLIT.equals(sdk) ? " (the hub was started without --spaces-python)" : ""), commit,
                    null, hardware);
        }
        boolean present = RepoPath.validate(appFile).isEmpty()
                && TreeReader.find(git, commit, RepoPath.normalize(appFile)).filter(f -> !f.isDirectory()).isPresent();
        if (!present) {
            return new SpaceRuntime(sdk, appFile, Stage.NO_APP_FILE, "The Space has no " + appFile + " to open",
                    commit, null, hardware);
        }
        if (STATIC.equals(sdk)) {
            return new SpaceRuntime(sdk, appFile, Stage.RUNNING, null, commit, null, hardware);
        }
        long sleep = controls.sleepSeconds();
        if (controls.paused()) {
            return new SpaceRuntime(sdk, appFile, Stage.PAUSED, "The Space is paused; its owners can restart it",
                    commit, sleep, hardware);
        }
        return processes.status(space).filter(status -> status.commit().equals(commit.name()))
                .map(status -> new SpaceRuntime(sdk, appFile, Stage.valueOf(status.stage().name()), status.message(),
                        commit, sleep, hardware))
                .orElseGet(() -> new SpaceRuntime(sdk, appFile, Stage.SLEEPING, null, commit, sleep, hardware));
    }

    /**
     * A Space's controls, in one query; a static Space runs nothing, so it has no hardware of its own and each of
     * its files is served without a query.
     */
    private static SpaceProcesses.Controls controls(@Nullable String sdk, Repo space, SpaceProcesses processes) {
        return STATIC.equals(sdk) ? new SpaceProcesses.Controls(false, SpaceControls.NEVER,
                processes.defaultHardware()) : processes.controls(space);
    }
}
