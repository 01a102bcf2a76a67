package dev.atrium;

import dev.atrium.api.AccountApi;
import dev.atrium.api.CommitsApi;
import dev.atrium.api.LfsFilesApi;
import dev.atrium.api.LargeFiles;
import dev.atrium.api.DeviceLoginApi;
import dev.atrium.api.LfsStorageApi;
import dev.atrium.api.RefsApi;
import dev.atrium.api.Readiness;
import dev.atrium.api.ResolveApi;
import dev.atrium.api.SshKeyApi;
import dev.atrium.api.TokenApi;
import dev.atrium.api.TreeApi;
import dev.atrium.api.UsageApi;
import dev.atrium.api.RepoInfoApi;
import dev.atrium.api.RepoLifecycleApi;
import dev.atrium.api.RepoDuplication;
import dev.atrium.api.RepoLookup;
import dev.atrium.api.ServiceApi;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.collection.CollectionReader;
import dev.atrium.collection.Collections;
import dev.atrium.collection.CollectionsApi;
import dev.atrium.commit.CommitApi;
import dev.atrium.commit.CommitService;
import dev.atrium.commit.PullRequestCommits;
import dev.atrium.commit.StagingArea;
import dev.atrium.commit.UploadModes;
import dev.atrium.auth.Authenticator;
import dev.atrium.auth.Delegations;
import dev.atrium.auth.DeviceLogins;
import dev.atrium.auth.PasswordHasher;
import dev.atrium.auth.EmailVerifications;
import dev.atrium.auth.PasswordResets;
import dev.atrium.auth.OidcProvider;
import dev.atrium.auth.ServerSecret;
import dev.atrium.auth.SsoAccounts;
import dev.atrium.org.GroupRoles;
import dev.atrium.auth.SshKeys;
import dev.atrium.auth.SshLfsGrants;
import dev.atrium.auth.Sessions;
import dev.atrium.auth.Tokens;
import dev.atrium.auth.Users;
import dev.atrium.db.Database;
import dev.atrium.db.Leases;
import dev.atrium.follow.FollowApi;
import dev.atrium.follow.Follows;
import dev.atrium.git.GitRoutes;
import dev.atrium.git.SmartHttp;
import dev.atrium.git.SshGitServer;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.HttpServer;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.mirror.MirrorApi;
import dev.atrium.mirror.MirrorScheduler;
import dev.atrium.mirror.MirrorServices;
import dev.atrium.mirror.MirrorSync;
import dev.atrium.mirror.Mirrors;
import dev.atrium.mirror.RepoMirroring;
import dev.atrium.mirror.SourceHub;
import dev.atrium.org.RepoVisibility;
import dev.atrium.lfs.LfsRoutes;
import dev.atrium.lfs.RepoLargeFiles;
import dev.atrium.lfs.TransferSigner;
import dev.atrium.metrics.Metrics;
import dev.atrium.metrics.MetricsApi;
import dev.atrium.repo.CommitOrder;
import dev.atrium.repo.GitRepos;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Repos;
import dev.atrium.scan.Clamd;
import dev.atrium.scan.ClamdSettings;
import dev.atrium.scan.FileScans;
import dev.atrium.scan.PickleScans;
import dev.atrium.scan.SignatureWatch;
import dev.atrium.scan.VirusScans;
import dev.atrium.search.Counters;
import dev.atrium.search.DownloadCounter;
import dev.atrium.search.LikesApi;
import dev.atrium.search.ListingApi;
import dev.atrium.search.RepoFactsReader;
import dev.atrium.search.RepoIndexer;
import dev.atrium.search.RepoListing;
import dev.atrium.search.TagsByTypeApi;
import dev.atrium.storage.Sha256;
import dev.atrium.storage.BlobStore;
import dev.atrium.storage.LocalBlobStore;
import dev.atrium.storage.S3BlobStore;
import dev.atrium.xet.cas.CasRoutes;
import dev.atrium.xet.cas.XetContent;
import dev.atrium.xet.cas.XetStore;
import dev.atrium.xet.cas.XetTokenRoutes;
import dev.atrium.xet.cas.XetTokens;
import dev.atrium.discussion.DiscussionApi;
import dev.atrium.discussion.Discussions;
import dev.atrium.discussion.PullRequests;
import dev.atrium.discussion.Threads;
import dev.atrium.gate.GateApi;
import dev.atrium.inference.Completions;
import dev.atrium.inference.Inference;
import dev.atrium.inference.InferenceApi;
import dev.atrium.gate.Gates;
import dev.atrium.notification.AccessRequestFollowers;
import dev.atrium.notification.NotificationMail;
import dev.atrium.notification.Notifications;
import dev.atrium.notification.ThreadFollowers;
import dev.atrium.mail.AccountMail;
import dev.atrium.mail.Outbox;
import dev.atrium.mail.SmtpMailer;
import dev.atrium.org.AuditLog;
import dev.atrium.org.Invites;
import dev.atrium.org.OrgApi;
import dev.atrium.org.Organizations;
import dev.atrium.usage.Bandwidth;
import dev.atrium.usage.InvoiceCollector;
import dev.atrium.usage.Statements;
import dev.atrium.usage.Quotas;
import dev.atrium.usage.Usage;
import dev.atrium.web.WebPages;
import dev.atrium.signing.CommitSignatures;
import dev.atrium.signing.GpgKeyApi;
import dev.atrium.signing.GpgKeys;
import dev.atrium.space.SpaceApp;
import dev.atrium.space.SpaceAppGrants;
import dev.atrium.space.SpaceControls;
import dev.atrium.space.SpaceLogs;
import dev.atrium.space.SpaceProcesses;
import dev.atrium.space.SpaceSearchApi;
import dev.atrium.space.SpaceServices;
import dev.atrium.space.SpaceVariables;
import dev.atrium.space.SpaceVariablesApi;
import dev.atrium.viewer.DatasetViewer;
import dev.atrium.viewer.ParquetApi;
import dev.atrium.viewer.ParquetExports;
import dev.atrium.viewer.ViewerApi;
import dev.atrium.webhook.WebhookApi;
import dev.atrium.webhook.WebhookDelivery;
import dev.atrium.webhook.WebhookOutbox;
import dev.atrium.webhook.Webhooks;
import dev.atrium.xet.cas.XetSha256Checks;
import dev.atrium.xet.cas.XetUploads;
import dev.atrium.xet.cas.LfsToXet;
import dev.atrium.xet.cas.XorbFetchSigner;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/** The one place where the parts are built and wired together. */
public final class Atrium implements AutoCloseable {
    static final String VERSION = "0.1.0";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Atrium.class);
    /** How long a start-up pass over every repo may hold its lease should its node die (see Leases). */
    private static final Duration START_PASS_LEASE = Duration.ofHours(6);
    /** One clamd command, a 100 MiB scan included; clamd's own MaxScanTime is 2 minutes by default. */
    private static final Duration CLAMD_TIMEOUT = Duration.ofMinutes(5);
    /** How long a mirror's source may take to connect or to begin an answer. */
    private static final Duration MIRROR_SOURCE_TIMEOUT = Duration.ofMinutes(2);

    private final HttpServer server;
    private final @Nullable SshGitServer ssh;

    private final ScheduledExecutorService housekeeping;

    private final Runnable beforeStop;

    private Atrium(HttpServer server, @Nullable SshGitServer ssh, ScheduledExecutorService housekeeping,
                   Runnable beforeStop) {
        this.server = server;
        this.ssh = ssh;
        this.housekeeping = housekeeping;
        this.beforeStop = beforeStop;
    }

    /** The stores, opened on the data directory: shared by the server and the admin CLI. */
    public record Stores(Jdbi jdbi, Database.Dialect dialect, Users users, Tokens tokens, BlobStore blobs,
                         GitRepos gitRepos, Repos repos, RepoService repoService) {
        public static Stores open(AtriumConfig config, Clock clock) throws IOException {
            Files.createDirectories(config.dataDir());
            Database.Opened db = Database.open(config.database(), config.dataDir());
            Jdbi jdbi = db.jdbi();
            Users users = new Users(jdbi, new PasswordHasher(), clock);
            Tokens tokens = new Tokens(jdbi, clock);
            BlobStore blobs = config.objectStorage() == null
                    ? new LocalBlobStore(config.dataDir().resolve("blobs"))
                    : S3BlobStore.open(config.objectStorage(), config.dataDir().resolve("tmp").resolve("blobs"));
            GitRepos gitRepos = new GitRepos(config.repositories());
            Repos repos = new Repos(jdbi);
            return new Stores(jdbi, db.dialect(), users, tokens, blobs, gitRepos, repos,
                    new RepoService(jdbi, repos, gitRepos, clock));
        }
    }

    /**
     * Runs {@code task} on the housekeeping thread, first after {@code first}, then {@code period} after each run
     * ends. A failure is logged and the schedule goes on: an exception escaping would end it silently.
     */
    private static void every(ScheduledExecutorService housekeeping, Duration first, Duration period, String what,
                              Runnable task) {
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed: {}", what, e.toString());
            }
        }, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What a node needs to serve: the database, the blob store, the repositories' folder. */
    private static Readiness readiness(AtriumConfig config, Stores stores) {
        Sha256 none = new Sha256("0".repeat(64));
        return new Readiness(List.of(
                new Readiness.Check("database", () -> stores.jdbi().withHandle(h -> h.createQuery("SELECT 1")
                        .mapTo(Integer.class).one())),
                // A lookup of what is never stored: answered "not there" by a store that works.
                new Readiness.Check("blobs", () -> stores.blobs().size(none)),
                new Readiness.Check("repositories", () -> {
                    if (!Files.isDirectory(config.repositories()) || !Files.isWritable(config.repositories())) {
                        throw new IOException(config.repositories() + " is not a folder the hub may write");
                    }
                })));
    }

    /** The hub's gauges beside the request counts: what an operator alerts on. */
    private static Metrics metrics(AtriumConfig config, SpaceProcesses spaces, WebhookOutbox webhooks,
                                   Mirrors mirrors) {
        Metrics metrics = new Metrics(VERSION);
        metrics.gauge("atrium_spaces_running", "Space apps running", spaces::running);
        metrics.gauge("atrium_webhook_payloads_waiting", "Webhook payloads not yet delivered or given up, on every"
                + " node", webhooks::waiting);
        metrics.gauge("atrium_mirrors_failing", "Mirrors whose last sync failed (their pages and API say why)",
                mirrors::failing);
        metrics.gauge("atrium_data_free_bytes", "Space left on the file system of --data", () -> freeBytes(
                config.dataDir()));
        metrics.gauge("atrium_repos_free_bytes", "Space left on the file system of the git repositories",
                () -> freeBytes(config.repositories()));
        return metrics;
    }

    private static double freeBytes(Path folder) {
        try {
            return Files.getFileStore(folder).getUsableSpace();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Atrium start(AtriumConfig config) throws IOException {
        Clock clock = Clock.systemUTC();
        Stores stores = Stores.open(config, clock);
        // What a crash left half done. Only here: admin commands open the same stores while the server runs.
        stores.blobs().removeTempFiles();
        stores.gitRepos().removeLeftovers();
        Path stagingRoot = config.dataDir().resolve("tmp").resolve("commits");
        StagingArea.clearRoot(stagingRoot);
        Organizations orgs = new Organizations(stores.jdbi(), clock);
        Gates gates = new Gates(stores.jdbi(), clock);
        GpgKeys gpgKeys = new GpgKeys(stores.jdbi(), clock);
        Usage usage = new Usage(stores.jdbi(), stores.gitRepos(), clock);
        Quotas quotas = new Quotas(usage);
        Bandwidth bandwidth = new Bandwidth(stores.jdbi(), clock);
        Statements statements = new Statements(stores.jdbi(), usage, bandwidth, new InvoiceCollector(), clock);
        Discussions discussions = new Discussions(stores.jdbi(), clock);
        ServerSecret secret = ServerSecret.loadOrCreate(config.secretKey());
        Mirrors mirrors = new Mirrors(stores.jdbi(), secret, clock);
        PullRequests pullRequests = new PullRequests(discussions, stores.repos(), clock, mirrors::whyReadOnly);
        AccessPolicy policy = new AccessPolicy(orgs, gates, mirrors::whyReadOnly);
        Threads threads = new Threads(policy, stores.repoService(), discussions, pullRequests);
        BaseUrl baseUrl = new BaseUrl(config.baseUrl());
        AuditLog audit = new AuditLog(stores.jdbi(), orgs, clock);
        Follows follows = new Follows(stores.jdbi(), clock);
        OrgApi orgApi = new OrgApi(orgs, stores.users(), policy, stores.jdbi(), baseUrl, audit,
                new Invites(stores.jdbi(), orgs, clock), stores.tokens(), follows);
        RepoLookup lookup = new RepoLookup(stores.repoService(), stores.repos(), policy);
        Outbox outbox = config.mail() == null ? null : new Outbox(new SmtpMailer(config.mail()));
        if (outbox != null) {
            LOG.info("Mail goes through {}", config.mail());
        }
        EmailVerifications verifications = new EmailVerifications(secret, stores.users(), clock);
        // Mail needs --base-url (AtriumConfig): its links must not come from a request's Host header.
        String mailedLinksBase = config.baseUrl() == null ? "" : new BaseUrl(config.baseUrl()).configured();
        AccountMail accountMail = new AccountMail(outbox, verifications, mailedLinksBase);
        PasswordResets passwordResets = new PasswordResets(stores.jdbi(), stores.users(), clock);
        XetStore xetStore = new XetStore(stores.jdbi(), clock);
        LfsToXet lfsToXet = new LfsToXet(stores.jdbi(), stores.blobs(), xetStore, clock);
        XetContent xetContent = new XetContent(xetStore, stores.blobs(), lfsToXet);
        XetSha256Checks sha256Checks = new XetSha256Checks(xetStore, xetContent);
        RepoLargeFiles largeFiles = new RepoLargeFiles(stores.jdbi());
        Collections collections = new Collections(stores.jdbi(), clock);
        CollectionReader collectionReader = new CollectionReader(collections, stores.repos(), policy, orgs);
        LargeFiles largeFileRemoval = new LargeFiles(stores.repoService(), stores.repos(), largeFiles, clock, audit);
        LfsObjects lfsObjects = new LfsObjects(stores.jdbi(), stores.blobs(), clock, xetContent);
        RepoVisibility visibility = new RepoVisibility(orgs, config.newReposPrivate());
        RepoDuplication duplication = new RepoDuplication(policy, quotas, stores.repoService(), audit, visibility);
        CommitService commits = new CommitService(lfsObjects, stores.repos(), clock, config.gitBlobLimit());
        PullRequestCommits prCommits = new PullRequestCommits(commits, pullRequests, discussions, threads);
        TransferSigner signer = new TransferSigner(secret, clock, TransferSigner.DEFAULT_TTL);
        XetTokens xetTokens = new XetTokens(secret, clock, XetTokens.DEFAULT_TTL);
        XetTokenRoutes xetTokenRoutes = new XetTokenRoutes(lookup, stores.repoService(), xetTokens, baseUrl, policy);
        RepoFactsReader factsReader = new RepoFactsReader(lfsObjects);
        Inference inference = new Inference(config.inference(), config.dataDir(), stores.repoService(), lfsObjects,
                factsReader);
        RepoIndexer indexer = new RepoIndexer(stores.jdbi(), stores.repos(), stores.repoService(), factsReader,
                facts -> Inference.runnable(facts).isPresent() ? Set.of(Inference.RUNNABLE) : Set.of());
        stores.repos().onContentChange((repo, refs) -> indexer.index(repo));
        stores.repoService().onLifecycle(new RepoService.LifecycleListener() {
            @Override
            public void created(Repo repo) {
                indexer.index(repo);
            }
        });
        Webhooks webhooks = new Webhooks(stores.jdbi(), clock, stores.users(), orgs, config.webhookTargets());
        WebhookOutbox webhookOutbox = new WebhookOutbox(stores.jdbi(), clock);
        WebhookDelivery webhookDelivery = new WebhookDelivery(webhooks, webhookOutbox,
                stores.repoService(), policy, stores.users(), orgs, config.webhookTargets());
        stores.repos().onContentChange(webhookDelivery::repoContentChanged);
        Clamd clamd = config.clamd() == null ? null : Clamd.at(config.clamd(), CLAMD_TIMEOUT);
        FileScans fileScans = new FileScans(stores.jdbi(), stores.repoService(), lfsObjects, sha256Checks::holds,
                new PickleScans(stores.jdbi(), clock),
                clamd == null ? null : new VirusScans(stores.jdbi(), clamd, config.clamd().maxSize(), clock), clock);
        if (clamd != null) {
            announce(clamd);
        }
        stores.repos().onContentChange(fileScans::contentChanged);
        stores.repos().onContentChange(threads::refsMoved);
        threads.onChange(webhookDelivery::discussionChanged);
        Notifications notifications = new Notifications(stores.jdbi(), clock);
        NotificationMail notificationMail = new NotificationMail(outbox, stores.users(), mailedLinksBase);
        threads.onChange(new ThreadFollowers(notifications, discussions, stores.users(), orgs, policy,
                notificationMail));
        gates.onAsked(new AccessRequestFollowers(notifications, stores.repos(), stores.users(), orgs,
                notificationMail)::asked);
        stores.repoService().onLifecycle(webhookDelivery);
        RepoListing listing = new RepoListing(stores.jdbi(), stores.dialect() == Database.Dialect.SQLITE
                ? RepoListing.IdSearch.SQLITE_FTS5 : RepoListing.IdSearch.POSTGRESQL_TRGM);
        Counters counters = new Counters(stores.jdbi(), clock);
        Sessions sessions = new Sessions(stores.jdbi(), clock);
        DownloadCounter downloads = new DownloadCounter(counters, stores.repos());
        SshKeys sshKeys = new SshKeys(stores.jdbi(), clock);
        SshLfsGrants sshLfsGrants = new SshLfsGrants(secret, clock);
        Authenticator authenticator = new Authenticator(stores.tokens(), stores.users(), sessions, sshKeys,
                sshLfsGrants);
        Delegations delegations = new Delegations(authenticator, policy);
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("housekeeping"));
        // Repos from before the search index existed are indexed in the background: a large hub must not wait for
        // them to start, and they join the listings as they are done.
        Leases leases = new Leases(stores.jdbi(), clock);
        housekeeping.execute(() -> leases.runAlone("search-index-pass", START_PASS_LEASE, () -> {
            int backfilled = indexer.indexMissing();
            if (backfilled > 0) {
                LOG.info("Indexed {} repos for search", backfilled);
            }
            int reindexed = indexer.reindexIfOutdated();
            if (reindexed > 0) {
                LOG.info("Re-indexed {} repos indexed by an older version", reindexed);
            }
        }));
        every(housekeeping, Duration.ofMinutes(1), Duration.ofMinutes(1), "Recording bandwidth", bandwidth::flush);
        // The usage page's chart and monthly statements read one record of storage per namespace and day; the
        // first run of a month closes the month before and has its statements collected.
        every(housekeeping, Duration.ofMinutes(2), Duration.ofDays(1),
                "Recording today's storage use or closing statements", () -> {
                    usage.recordToday();
                    bandwidth.flush();
                    int collected = statements.closePastMonths();
                    if (collected > 0) {
                        LOG.info("Closed {} monthly statements ({})", collected, statements.collector().method());
                    }
                });
        // Trending and 30-day downloads slide with the calendar, not only with new likes and downloads.
        every(housekeeping, Duration.ofMinutes(1), Duration.ofHours(1), "Refreshing download and trending windows",
                counters::refreshWindows);

        SourceHub sourceHub = new SourceHub(config.mirrors().targets(), MIRROR_SOURCE_TIMEOUT);
        MirrorSync mirrorSync = new MirrorSync(mirrors, stores.repos(), stores.repoService(), lfsObjects, quotas,
                sourceHub, config.mirrors().interval(), clock);
        MirrorScheduler mirrorScheduler = new MirrorScheduler(mirrors, mirrorSync, leases);
        every(housekeeping, Duration.ofMinutes(1), Duration.ofMinutes(1), "Syncing mirrors", mirrorScheduler::wake);
        RepoMirroring mirroring = new RepoMirroring(policy, quotas, stores.repoService(), mirrors, sourceHub,
                mirrorScheduler, audit, gates, ns -> orgs.byName(ns).map(dev.atrium.org.Organization::name).orElse(ns),
                visibility);

        SpaceVariables spaceVariables = new SpaceVariables(stores.jdbi(), secret, clock);
        // Apps reach the hub on this machine (they share its network), whatever name users know it by.
        java.util.concurrent.atomic.AtomicInteger listening = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger sshListening = new java.util.concurrent.atomic.AtomicInteger(-1);
        SmartHttp smartHttp = new SmartHttp(lfsObjects, stores.repos(), clock, config.gitBlobLimit(),
                (repo, num) -> discussions.get(repo.id(), num).filter(d -> d.isPr()
                        && (d.status().equals("open") || d.status().equals("draft"))).isPresent());
        String hubHost = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1"
                : config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        SpaceProcesses spaceProcesses = new SpaceProcesses(config.spaces(), config.dataDir(), stores.repoService(),
                lfsObjects, spaceVariables, new SpaceControls(stores.jdbi()),
                () -> "http://" + hubHost + ":" + listening.get(), clock);
        DeviceLogins deviceLogins = new DeviceLogins(stores.jdbi(), stores.users(), stores.tokens(), clock);
        DatasetViewer viewer = new DatasetViewer(stores.repoService(), lfsObjects,
                config.dataDir().resolve("viewer-cache"), config.viewerLimits());
        ParquetExports parquetExports = new ParquetExports(stores.repoService(), viewer, lfsObjects, clock,
                config.viewerLimits().parquetExport());
        stores.repos().onContentChange(parquetExports::contentChanged);
        stores.repoService().onLifecycle(new RepoService.LifecycleListener() {
            @Override
            public void deleted(Repo repo) {
                inference.forget(repo);
                spaceProcesses.forget(repo);
            }

            @Override
            public void moved(Repo from, Repo to) {
                inference.forget(from);
                spaceProcesses.forget(from);
            }
        });
        SpaceApp spaceApp = new SpaceApp(lookup, stores.repos(), stores.repoService(), lfsObjects,
                new SpaceAppGrants(secret, clock, SpaceAppGrants.DEFAULT_TTL), delegations, spaceProcesses);
        every(housekeeping, SpaceProcesses.DISK_CHECK, SpaceProcesses.DISK_CHECK, "Measuring Space apps' disks",
                spaceProcesses::checkDisks);
        every(housekeeping, Duration.ofMinutes(1), Duration.ofMinutes(1), "Checking Space WebSockets' grants", () -> {
            int closed = spaceApp.recheckWebSockets();
            if (closed > 0) {
                LOG.info("Closed {} Space WebSockets whose visitors may no longer reach their Space", closed);
            }
        });
        Metrics metrics = metrics(config, spaceProcesses, webhookOutbox, mirrors);
        List<Consumer<RoutesConfig>> modules = List.of(
                new ServiceApi(VERSION)::register,
                new MetricsApi(metrics)::register,
                readiness(config, stores)::register,
                new ViewerApi(lookup, viewer, baseUrl)::register,
                new ParquetApi(lookup, parquetExports, viewer, baseUrl)::register,
                new InferenceApi(lookup, inference)::register,
                new Completions(lookup, inference, clock)::register,
                new AccountApi(baseUrl, orgs, stores.users())::register,
                orgApi::register,
                new FollowApi(follows, stores.users(), orgs, baseUrl)::register,
                new TokenApi(stores.tokens(), clock)::register,
                new GpgKeyApi(gpgKeys)::register,
                new SshKeyApi(sshKeys)::register,
                new DeviceLoginApi(deviceLogins, baseUrl)::register,
                new UsageApi(usage, policy, bandwidth, statements, baseUrl)::register,
                new WebhookApi(webhooks, baseUrl)::register,
                new DiscussionApi(lookup, policy, stores.repoService(), discussions, threads)::register,
                // Before RepoInfoApi: its /api/{type}/{ns}/{name} would otherwise take these paths.
                new GateApi(lookup, policy, gates, stores.users(), audit, baseUrl)::register,
                new RepoLifecycleApi(stores.repoService(), stores.repos(), lookup, policy, baseUrl, clock,
                        (repo, mode) -> gates.setMode(repo.id(), mode.map(m -> Gates.Mode.valueOf(
                                m.toUpperCase(java.util.Locale.ROOT)))), audit, quotas, duplication,
                        spaceVariables, spaceProcesses,
                        ns -> orgs.byName(ns).map(dev.atrium.org.Organization::name).orElse(ns),
                        visibility)::register,
                // Before RepoInfoApi: /api/collections/{ns}/{slug} would otherwise match /api/{type}/{ns}/{name}.
                new CollectionsApi(collections, collectionReader, stores.repos(), policy, orgs, stores.users(),
                        baseUrl)::register,
                // Before RepoInfoApi: /api/users/{user}/likes would otherwise match /api/{type}/{ns}/{name}.
                new LikesApi(lookup, counters, stores.jdbi(), stores.users(), policy, baseUrl)::register,
                // Before RepoInfoApi: /api/{type}/{ns}/{name}/mirror.
                new MirrorApi(mirroring, mirrors, mirrorSync, lookup, policy, baseUrl)::register,
                // Before RepoInfoApi: /api/spaces/{ns}/{name}/runtime.
                spaceApp::register,
                new SpaceSearchApi(listing, policy, stores.repoService(), spaceApp)::register,
                new SpaceVariablesApi(lookup, spaceVariables, spaceProcesses)::register,
                new SpaceLogs(lookup, spaceProcesses, clock)::register,
                new RepoInfoApi(lookup, stores.repoService(), factsReader, counters,
                        repoId -> gates.mode(repoId).map(Gates.Mode::wireName), fileScans,
                                facts -> inference.runs(facts).isPresent(), spaceApp)::register,
                new ListingApi(listing, policy, stores.repoService(), baseUrl, gates::modes,
                        inference.enabled() ? java.util.Optional.of(Inference.RUNNABLE)
                                : java.util.Optional.empty())::register,
                new TagsByTypeApi(stores.jdbi())::register,
                new TreeApi(lookup, stores.repoService(), baseUrl, xetStore, fileScans)::register,
                new LfsFilesApi(lookup, policy, xetStore, lfsObjects, quotas)::register,
                new LfsStorageApi(lookup, largeFileRemoval, baseUrl)::register,
                new RefsApi(lookup, stores.repoService(), stores.repos(), clock)::register,
                new CommitsApi(lookup, stores.repoService(), baseUrl, new CommitOrder())::register,
                new ResolveApi(lookup, stores.repoService(), stores.blobs(), xetStore, xetContent, largeFiles,
                        baseUrl, downloads, bandwidth)::register,
                xetTokenRoutes::register,
                new CasRoutes(xetTokens, new XetUploads(stores.blobs(), xetStore, sha256Checks,
                        config.dataDir().resolve("tmp").resolve("xet")), xetStore,
                        new XorbFetchSigner(secret, clock, XetTokens.DEFAULT_TTL), stores.blobs(), baseUrl,
                        downloads::onXetReconstruction, stores.repos(), delegations, bandwidth)::register,
                new CommitApi(lookup, stores.repoService(),
                        commits,
                        new UploadModes(config.inlineUploadLimit(), config.gitBlobLimit()), baseUrl,
                        stagingRoot, Math.max(config.inlineUploadLimit(), config.gitBlobLimit()), quotas, policy,
                        discussions, prCommits)::register,
                new GitRoutes(lookup, stores.repoService(), smartHttp)::register,
                new LfsRoutes(lookup, stores.repoService(), lfsObjects, stores.blobs(), signer,
                        config.multipart(), baseUrl, quotas, policy, bandwidth, delegations,
                        xetTokenRoutes::writeGrant)::register,
                // Last: the pages' routes are the broadest (a single segment is a user's profile).
                new WebPages(lookup, stores.repoService(), lfsObjects, counters, factsReader, listing, policy,
                        stores.users(), sessions, stores.tokens(), stores.jdbi(), baseUrl, commits, stagingRoot,
                        stores.repos(), clock, orgs, orgApi, gates, quotas, usage, bandwidth, statements, discussions, threads,
                        prCommits, duplication, largeFileRemoval, collections, collectionReader, webhooks,
                        deviceLogins, fileScans, viewer, parquetExports,
                        new SpaceServices(spaceApp, spaceProcesses, spaceVariables), inference,
                        config.signup(), gpgKeys, new CommitSignatures(gpgKeys, sshKeys, stores.users(), outbox != null), sshKeys,
                        sshListening::get, notifications, accountMail, passwordResets, verifications,
                        visibility, config.oidc() == null ? null : new OidcProvider(config.oidc()),
                        new SsoAccounts(stores.jdbi(), stores.users(), clock),
                        new GroupRoles(config.oidc() == null ? List.of() : config.oidc().orgRoles(), orgs, audit),
                        secret, new MirrorServices(mirroring, mirrors, mirrorSync))::register);
        if (config.oidc() != null) {
            LOG.info("People may log in through {}", config.oidc());
        }
        if (!config.trustedProxies().isEmpty()) {
            LOG.info("Requests from {} name their client in X-Forwarded-For", config.trustedProxies());
        }
        HttpServer server = new HttpServer(config.host(), config.port(),
                authenticator, metrics.requests(), baseUrl, config.trustedProxies(), modules).start();
        listening.set(server.port());
        SshGitServer ssh = config.sshPort() == null ? null
                : SshGitServer.start(config.host(), config.sshPort(), config.secretKey().resolveSibling("ssh-host-key"),
                        sshKeys, stores.users(), lookup, stores.repoService(), policy, smartHttp, sshLfsGrants,
                        config.baseUrl() == null ? null : new BaseUrl(config.baseUrl()).configured(), server.port());
        if (ssh != null) {
            sshListening.set(ssh.port());
        }
        // The bandwidth counted since the last flush is written when the server stops.
        // LFS objects from before the conversion existed, or left by a stop, become Xet files in the background.
        lfsToXet.backfill(work -> leases.runAlone("lfs-to-xet-pass", START_PASS_LEASE, work));
        sha256Checks.backfill(work -> leases.runAlone("xet-sha256-pass", START_PASS_LEASE, work));
        fileScans.backfill(stores.repos(), work -> leases.runAlone("file-scan-pass", START_PASS_LEASE, work));
        parquetExports.backfill(stores.repos(), work -> leases.runAlone("parquet-export-pass", START_PASS_LEASE, work));
        ScheduledExecutorService clamdWatch = clamd == null ? null
                : watchSignatures(config.clamd(), clamd, stores.jdbi(), fileScans, clock);
        return new Atrium(server, ssh, housekeeping, () -> {
            if (outbox != null) {
                outbox.close();
            }
            lfsToXet.close();
            mirrorScheduler.close();
            sha256Checks.close();
            webhookDelivery.close();
            fileScans.close();
            if (clamd != null) {
                clamdWatch.shutdownNow();
                clamd.close();
            }
            inference.close();
            spaceProcesses.close();
            parquetExports.close();
            try {
                viewer.close();
            } catch (java.sql.SQLException e) {
                LOG.warn("Closing the dataset viewer's DuckDB: {}", e.toString());
            }
            bandwidth.flush();
        });
    }

    /**
     * Every watch period (an hour): new clamd signatures renew every verdict (at most once per the configured
     * interval), and a pass walks again the repos whose scans failed, so a clamd that was down at start catches up
     * without a restart.
     */
    private static ScheduledExecutorService watchSignatures(ClamdSettings settings, Clamd clamd,
                                                            org.jdbi.v3.core.Jdbi jdbi, FileScans fileScans,
                                                            Clock clock) {
        SignatureWatch watch = settings.rescanInterval().isZero() ? null
                : new SignatureWatch(jdbi, clamd::version, settings.rescanInterval(), clock);
        // A thread of its own: a clamd that accepts and never answers holds it for a command's timeout, which must
        // not hold up housekeeping.
        ScheduledExecutorService watching = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("clamd-watch"));
        watching.scheduleWithFixedDelay(() -> {
            try {
                if (watch != null) {
                    watch.check();
                }
                fileScans.walkAgain();
            } catch (RuntimeException e) {
                LOG.warn("Checking clamd's signatures failed: {}", e.toString());
            }
        }, settings.watchPeriod().toMillis(), settings.watchPeriod().toMillis(), TimeUnit.MILLISECONDS);
        return watching;
    }

    /**
     * Says which clamd scans the files, or that it does not answer yet: clamd may start after Atrium (it loads its
     * signatures for a while), so the start goes on and scans that fail are tried again later.
     */
    private static void announce(Clamd clamd) {
        try {
            LOG.info("Scanning pushed files for viruses with clamd at {} ({})", clamd, clamd.version());
        } catch (java.io.IOException e) {
            LOG.warn("{}; files are scanned once it answers", e.getMessage());
        }
    }

    public int port() {
        return server.port();
    }

    /** The port git over SSH listens on, when {@code --ssh-port} turned it on. */
    public java.util.OptionalInt sshPort() {
        return ssh == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(ssh.port());
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        if (ssh != null) {
            ssh.close();
        }
        server.stop();
        beforeStop.run();
    }
}
