package dev.atrium.space;

import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.Dates;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /api/spaces/{id}/logs/run} (and {@code /logs/build}), what huggingface_hub's {@code fetch_space_logs}
 * reads: Server-Sent Events {@code data: {"data": line, "timestamp": ...}}, the app's kept lines first, then its new
 * ones as it writes them, until it stops. For the Space's writers only: an app's output may hold what its secrets
 * opened. The build log is pip's output while it installs the app's {@code requirements.txt}.
 */
public final class SpaceLogs {
    private static final Duration POLL = Duration.ofMillis(250);
    /** An empty event now and then, as the Hub sends, so that proxies keep a quiet stream open. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(20);
    private static final Duration LONGEST = Duration.ofMinutes(30);

    private final RepoLookup lookup;
    private final SpaceProcesses processes;
    private final Clock clock;

    public SpaceLogs(RepoLookup lookup, SpaceProcesses processes, Clock clock) {
        this.lookup = lookup;
        this.processes = processes;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/spaces/{ns}/{name}/logs/run", ctx -> stream(ctx, space(ctx), false));
        routes.get("/api/spaces/{ns}/{name}/logs/build", ctx -> stream(ctx, space(ctx), true));
    }

    private Repo space(Context ctx) {
        return lookup.load(ctx, RepoType.SPACE, ctx.pathParam("ns"), ctx.pathParam("name"),
                AccessPolicy.Action.WRITE);
    }

    private static OutputStream start(Context ctx) throws IOException {
        ctx.status(200);
        ctx.contentType("text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        return ctx.res().getOutputStream();
    }

    private void stream(Context ctx, Repo space, boolean build) throws IOException, InterruptedException {
        OutputStream out = start(ctx);
        Object app = null;
        long after = -1;
        Instant end = clock.instant().plus(LONGEST);
        Instant quietSince = clock.instant();
        while (clock.instant().isBefore(end)) {
            SpaceProcesses.LogTail tail = processes.log(space, app, after, build);
            app = tail.app();
            for (SpaceProcesses.LogLine line : tail.lines()) {
                out.write(("data: " + Json.MAPPER.writeValueAsString(Map.of("data", line.text() + "\n",
                        "timestamp", Dates.iso(line.at().toEpochMilli()))) + "\n\n").getBytes(StandardCharsets.UTF_8));
                after = line.number();
            }
            if (!tail.lines().isEmpty()) {
                out.flush();
                quietSince = clock.instant();
            } else if (!tail.live()) {
                return;
            } else if (clock.instant().isAfter(quietSince.plus(KEEP_ALIVE))) {
                // A reader that went away is found here, when the write fails.
                out.write("data: \n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                quietSince = clock.instant();
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
