package dev.atrium.web;

import dev.atrium.api.LargeFiles;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.AccessRequestStatus;
import dev.atrium.auth.Principal;
import dev.atrium.auth.Users;
import dev.atrium.gate.Gates;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.HubException;
import dev.atrium.http.Json;
import dev.atrium.notification.Notifications;
import dev.atrium.http.RepoRoutes;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import dev.atrium.space.SpaceProcesses;
import dev.atrium.space.SpaceRuntime;
import dev.atrium.space.SpaceServices;
import dev.atrium.storage.Sha256;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Clock;
import dev.atrium.org.AuditLog;
import dev.atrium.org.RepoVisibility;
import dev.atrium.usage.Quotas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.jspecify.annotations.Nullable;

/**
 * A repo's settings, for whoever owns its namespace: visibility, gated access and its requests, rename or move, its
 * large files (to free storage that history keeps), delete; and a Space's app: its stage, restart and pause, variables and secrets, its output.
 */
public final class SettingsPages {
    /** The newest large files the page lists; the API lists them all. */
    private static final int LARGE_FILES_SHOWN = 200;
    private static final int REQUESTS_SHOWN = 100;
    private final Pages pages;
    private final RepoAccess access;
    private final RepoLookup lookup;
    private final RepoService repoService;
    private final Repos repos;
    private final AccessPolicy policy;
    private final Clock clock;
    private final AuditLog audit;
    private final Quotas quotas;
    private final LargeFiles largeFiles;
    private final SpaceServices spaces;

    /** A large file as the settings page lists it. */
    public record LargeFileRow(String oid, String path, String size, String uploaded) {}

    /** A variable or secret as the page lists it (a secret without its value). */
    public record VariableRow(String name, @Nullable String value, String description, String updated) {}

    /**
     * A Space's app on its settings page: its stage (and why), whether the hub runs it, its variables and secrets,
     * and its last lines of output.
     */
    public record SpaceSection(String stage, @Nullable String message, boolean runs, boolean paused,
                               String hardware, List<HardwareOption> offered, List<VariableRow> variables,
                               List<VariableRow> secrets, List<String> log) {}

    /** One hardware the hub offers, as the settings page lists it. */
    public record HardwareOption(String name, String label) {}

    private static final int LOG_LINES_SHOWN = 100;

    /**
     * A gated repo's access, as its settings show it: the mode ({@code off}, {@code auto}, {@code manual}) and the
     * requests by state.
     */
    public record GateSection(String mode, List<RequestRow> pending, List<RequestRow> accepted,
                              List<RequestRow> rejected, int pendingCount, int acceptedCount, int rejectedCount) {}

    /** One access request: who, what they filled in ("field: value" lines), when it last changed. */
    public record RequestRow(String user, String fullname, @Nullable String email, List<String> fields,
                             String date) {}

    private final Gates gates;
    private final Users users;
    private final Notifications notifications;
    private final RepoVisibility visibility;

    SettingsPages(Pages pages, RepoAccess access, RepoLookup lookup, RepoService repoService, Repos repos,
                  AccessPolicy policy, Clock clock, AuditLog audit, Quotas quotas, LargeFiles largeFiles,
                  SpaceServices spaces, Gates gates, Users users, Notifications notifications,
                  RepoVisibility visibility) {
        this.visibility = visibility;
        this.notifications = notifications;
        this.gates = gates;
        this.users = users;
        this.spaces = spaces;
        this.pages = pages;
        this.access = access;
        this.lookup = lookup;
        this.repoService = repoService;
        this.repos = repos;
        this.policy = policy;
        this.clock = clock;
        this.audit = audit;
        this.quotas = quotas;
        this.largeFiles = largeFiles;
    }

    void register(RoutesConfig routes) {
        RepoRoutes.add(routes, HandlerType.GET, "/settings",
                (ctx, t, ns, n) -> pages.run(ctx, () -> page(ctx, owned(ctx, t, ns, n), 200, null)));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/visibility",
                (ctx, t, ns, n) -> pages.run(ctx, () -> visibility(ctx, owned(ctx, t, ns, n))));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/move",
                (ctx, t, ns, n) -> pages.run(ctx, () -> move(ctx, owned(ctx, t, ns, n))));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/large-files",
                (ctx, t, ns, n) -> pages.run(ctx, () -> deleteLargeFiles(ctx, owned(ctx, t, ns, n))));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/space/variables",
                (ctx, t, ns, n) -> pages.run(ctx, () -> putVariable(ctx, ownedSpace(ctx, t, ns, n))));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/space/variables/delete",
                (ctx, t, ns, n) -> pages.run(ctx, () -> deleteVariable(ctx, ownedSpace(ctx, t, ns, n))));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/space/restart",
                (ctx, t, ns, n) -> pages.run(ctx, () -> control(ctx, ownedSpace(ctx, t, ns, n), false)));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/space/pause",
                (ctx, t, ns, n) -> pages.run(ctx, () -> control(ctx, ownedSpace(ctx, t, ns, n), true)));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/space/hardware",
                (ctx, t, ns, n) -> pages.run(ctx, () -> hardware(ctx, ownedSpace(ctx, t, ns, n))));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/gated",
                (ctx, t, ns, n) -> pages.run(ctx, () -> gate(ctx, owned(ctx, t, ns, n))));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/access-requests",
                (ctx, t, ns, n) -> pages.run(ctx, () -> answer(ctx, owned(ctx, t, ns, n))));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/delete",
                (ctx, t, ns, n) -> pages.run(ctx, () -> delete(ctx, owned(ctx, t, ns, n))));
    }

    /** The repo, if the signed-in caller may administer its namespace; others get the 404 or 403 of any page. */
    private Repo owned(Context ctx, RepoType type, String namespace, String name) {
        Principal caller = SignedIn.require(ctx);
        Repo repo = lookup.load(ctx, type, namespace, name, AccessPolicy.Action.WRITE);
        policy.requireNamespaceAdmin(caller, repo.repoId().namespace());
        return repo;
    }

    private Repo ownedSpace(Context ctx, RepoType type, String namespace, String name) {
        if (type != RepoType.SPACE) {
            throw new Errors.NotFound("Only Spaces have an app");
        }
        return owned(ctx, type, namespace, name);
    }

    private @Nullable SpaceSection space(Repo repo) throws IOException {
        if (repo.type() != RepoType.SPACE) {
            return null;
        }
        SpaceRuntime runtime;
        try (Repository git = repoService.openGit(repo)) {
            runtime = spaces.app().runtime(git, repo);
        }
        List<String> log = spaces.processes().log(repo, null, -1, runtime.stage() == SpaceRuntime.Stage.BUILDING
                        || runtime.stage() == SpaceRuntime.Stage.BUILD_ERROR).lines().stream()
                .map(SpaceProcesses.LogLine::text).toList();
        List<HardwareOption> offered = spaces.processes().offered().stream().map(h -> new HardwareOption(h.name(),
                h.prettyName() + " (" + h.cpus() + " vCPU, " + h.memoryGib() + " GB, " + h.diskGib() + " GB disk)"))
                .toList();
        return new SpaceSection(runtime.stage().name(), runtime.errorMessage(), runtime.sleepSeconds() != null,
                runtime.stage() == SpaceRuntime.Stage.PAUSED, runtime.hardware().name(), offered, rows(repo, false),
                rows(repo, true),
                log.subList(Math.max(0, log.size() - LOG_LINES_SHOWN), log.size()));
    }

    private List<VariableRow> rows(Repo repo, boolean secrets) {
        return spaces.variables().list(repo, secrets).stream().map(e -> new VariableRow(e.name(), e.value(),
                e.description() == null ? "" : e.description(), Dates.iso(e.updatedAt()).substring(0, 10))).toList();
    }

    private void putVariable(Context ctx, Repo space) throws IOException {
        boolean secret = "secret".equals(ctx.formParam("kind"));
        String description = Optional.ofNullable(ctx.formParam("description")).map(String::strip)
                .filter(d -> !d.isEmpty()).orElse(null);
        try {
            spaces.variables().put(space, Optional.ofNullable(ctx.formParam("name")).orElse("").strip(),
                    Optional.ofNullable(ctx.formParam("value")).orElse(""), description, secret);
        } catch (HubException e) {
            page(ctx, space, e.status(), e.getMessage());
            return;
        }
        spaces.processes().stop(space, "its " + (secret ? "secrets" : "variables") + " changed");
        toSpaceSection(ctx, space);
    }

    private void deleteVariable(Context ctx, Repo space) throws IOException {
        boolean secret = "secret".equals(ctx.formParam("kind"));
        if (spaces.variables().delete(space, Optional.ofNullable(ctx.formParam("name")).orElse(""), secret)) {
            spaces.processes().stop(space, "its " + (secret ? "secrets" : "variables") + " changed");
        }
        toSpaceSection(ctx, space);
    }

    private void control(Context ctx, Repo space, boolean pause) {
        if (pause) {
            spaces.processes().pause(space);
        } else {
            spaces.processes().restart(space);
        }
        toSpaceSection(ctx, space);
    }

    private void hardware(Context ctx, Repo space) throws IOException {
        try {
            spaces.processes().setHardware(space, Optional.ofNullable(ctx.formParam("flavor")).orElse(""));
        } catch (HubException e) {
            page(ctx, space, e.status(), e.getMessage());
            return;
        }
        toSpaceSection(ctx, space);
    }

    private static void toSpaceSection(Context ctx, Repo space) {
        ctx.redirect("/" + space.type().urlPrefix() + space.repoId() + "/settings#space-title", HttpStatus.SEE_OTHER);
    }

    private GateSection gateSection(Repo repo) {
        String mode = gates.mode(repo.id()).map(Gates.Mode::wireName).orElse("off");
        return new GateSection(mode, requestRows(repo, AccessRequestStatus.PENDING),
                requestRows(repo, AccessRequestStatus.ACCEPTED), requestRows(repo, AccessRequestStatus.REJECTED),
                gates.count(repo.id(), AccessRequestStatus.PENDING), gates.count(repo.id(), AccessRequestStatus.ACCEPTED),
                gates.count(repo.id(), AccessRequestStatus.REJECTED));
    }

    /**
     * The first {@link #REQUESTS_SHOWN} requests of a status, oldest first: as those waiting are answered, the next
     * come up; the API lists them all.
     */
    private List<RequestRow> requestRows(Repo repo, AccessRequestStatus status) {
        List<RequestRow> rows = new ArrayList<>();
        for (Gates.Request r : gates.requests(repo.id(), status, null, REQUESTS_SHOWN).items()) {
            List<String> fields = new ArrayList<>();
            try {
                Json.MAPPER.readTree(r.fieldsJson()).fields().forEachRemaining(f -> fields.add(f.getKey() + ": "
                        + (f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString())));
            } catch (IOException e) {
                fields.add("(unreadable)");
            }
            rows.add(new RequestRow(r.user().name(), r.user().fullname(), r.sharedEmail(),
                    fields, Dates.iso(r.updatedAt()).substring(0, 10)));
        }
        return rows;
    }

    /** Gates the repo (automatic or manual approval) or opens it; requests already answered are kept. */
    private void gate(Context ctx, Repo repo) throws IOException {
        String mode = Optional.ofNullable(ctx.formParam("mode")).orElse("");
        Optional<Gates.Mode> chosen;
        switch (mode) {
            case "off" -> chosen = Optional.empty();
            case "auto" -> chosen = Optional.of(Gates.Mode.AUTO);
            case "manual" -> chosen = Optional.of(Gates.Mode.MANUAL);
            default -> {
                page(ctx, repo, 400, "Choose off, automatic or manual approval.");
                return;
            }
        }
        gates.setMode(repo.id(), chosen);
        audit.recordOnRepo(repo, Caller.required(ctx).user(), "repo.gate",
                chosen.map(Gates.Mode::wireName).orElse("open"));
        toGateSection(ctx, repo);
    }

    /**
     * Accepts or rejects a user's request (a rejected user can be accepted later, an accepted one rejected), or
     * grants access to a user who never asked ({@code grant}).
     */
    private void answer(Context ctx, Repo repo) throws IOException {
        String name = Optional.ofNullable(ctx.formParam("user")).orElse("").strip();
        Optional<AccessRequestStatus> status = AccessRequestStatus.parse(
                Optional.ofNullable(ctx.formParam("status")).orElse(""));
        Optional<dev.atrium.auth.User> user = users.byName(name);
        if (user.isEmpty() || status.isEmpty() || status.get() == AccessRequestStatus.PENDING) {
            page(ctx, repo, user.isEmpty() ? 404 : 400, user.isEmpty() ? "No user called '" + name + "'."
                    : "Accept or reject a request.");
            return;
        }
        boolean grant = "true".equals(ctx.formParam("grant"));
        if (!gates.set(repo.id(), user.get(), status.get(), null, grant)) {
            page(ctx, repo, 404, name + " has not asked for access.");
            return;
        }
        audit.recordOnRepo(repo, Caller.required(ctx).user(), "repo.access-request",
                user.get().name() + " " + status.get().wireName());
        toGateSection(ctx, repo);
    }

    private static void toGateSection(Context ctx, Repo repo) {
        ctx.redirect("/" + repo.type().urlPrefix() + repo.repoId() + "/settings#gated-title", HttpStatus.SEE_OTHER);
    }

    private void page(Context ctx, Repo repo, int status, String error) throws IOException {
        notifications.markRead(Caller.required(ctx).user().id(), repo.id(), Notifications.ACCESS_REQUESTS);
        Map<String, Object> params = new HashMap<>();
        params.put("gate", gateSection(repo));
        params.put("space", space(repo));
        params.put("frame", Frame.of(ctx, "Settings · " + repo.repoId()));
        params.put("header", access.header(ctx, repo, "settings", "main"));
        params.put("error", error);
        List<LargeFiles.Listed> files = largeFiles.page(repo, 0, LARGE_FILES_SHOWN + 1);
        params.put("largeFiles", files.stream().limit(LARGE_FILES_SHOWN).map(f -> new LargeFileRow(f.oid().hex(),
                f.path() == null ? "(in no commit)" : f.path(), Numbers.bytes(f.size()),
                Dates.iso(f.pushedAt()).substring(0, 10))).toList());
        params.put("moreLargeFiles", files.size() > LARGE_FILES_SHOWN);
        params.put("deleted", ctx.queryParam("deleted"));
        pages.render(ctx, status, "repo/settings.jte", params);
    }

    /**
     * Deletes the checked large files for good, rewriting history (what the API does by default), after an explicit
     * confirmation: the files cannot come back.
     */
    private void deleteLargeFiles(Context ctx, Repo repo) throws IOException {
        List<String> checked = ctx.formParams("oid");
        if (checked.isEmpty()) {
            page(ctx, repo, 400, "Choose the files to delete.");
            return;
        }
        if (!"yes".equals(ctx.formParam("confirm"))) {
            page(ctx, repo, 400, "Confirm that the files are to be deleted for good.");
            return;
        }
        List<Sha256> oids = new ArrayList<>();
        try {
            for (String oid : checked) {
                oids.add(new Sha256(oid));
            }
            int deleted = largeFiles.delete(Caller.required(ctx), repo, oids, true);
            ctx.redirect("/" + repo.type().urlPrefix() + repo.repoId() + "/settings?deleted=" + deleted,
                    HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException | HubException e) {
            page(ctx, repo, e instanceof HubException h ? h.status() : 400, e.getMessage());
        }
    }

    private void visibility(Context ctx, Repo repo) throws IOException {
        boolean makePrivate = "private".equals(ctx.formParam("visibility"));
        if (makePrivate != repo.isPrivate()) {
            try {
                visibility.requireAllowed(repo.repoId().namespace(), makePrivate);
                if (makePrivate) {
                    quotas.requirePrivateRepo(repo.repoId().namespace());
                }
            } catch (HubException e) {
                page(ctx, repo, e.status(), e.getMessage());
                return;
            }
        }
        repos.setPrivate(repo, makePrivate, clock.millis());
        audit.recordOnRepo(repo, Caller.required(ctx).user(), "repo.visibility", makePrivate ? "private" : "public");
        ctx.redirect("/" + repo.type().urlPrefix() + repo.repoId() + "/settings", HttpStatus.SEE_OTHER);
    }

    private void move(Context ctx, Repo repo) throws IOException {
        String to = Optional.ofNullable(ctx.formParam("to")).orElse("").strip();
        try {
            RepoId target = to.contains("/") ? RepoId.parse(to) : new RepoId(repo.repoId().namespace(), to);
            policy.requireNamespaceAdmin(Caller.required(ctx), target.namespace());
            visibility.requireAllowed(target.namespace(), repo.isPrivate());
            Repo moved = repoService.move(repo, target);
            for (String ns : new java.util.LinkedHashSet<>(List.of(repo.repoId().namespace(), target.namespace()))) {
                audit.record(ns, Caller.required(ctx).user(), "repo.move",
                        AuditLog.target(repo.type(), repo.repoId()) + " -> " + target, "");
            }
            ctx.redirect("/" + moved.type().urlPrefix() + moved.repoId(), HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException | HubException e) {
            page(ctx, repo, 400, e.getMessage());
        }
    }

    /** Deleting needs the repo's full name typed again, so a slip of the mouse deletes nothing. */
    private void delete(Context ctx, Repo repo) throws IOException {
        if (!repo.repoId().toString().equals(Optional.ofNullable(ctx.formParam("confirm")).orElse("").strip())) {
            page(ctx, repo, 400, "Type " + repo.repoId() + " to confirm the deletion.");
            return;
        }
        repoService.delete(repo);
        audit.recordOnRepo(repo, Caller.required(ctx).user(), "repo.delete", "");
        ctx.redirect("/" + Caller.required(ctx).user().name(), HttpStatus.SEE_OTHER);
    }
}
