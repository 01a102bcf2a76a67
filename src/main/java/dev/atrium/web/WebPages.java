package dev.atrium.web;

import dev.atrium.inference.Inference;
import dev.atrium.api.LargeFiles;
import dev.atrium.api.RepoDuplication;
import dev.atrium.api.RepoLookup;
import dev.atrium.collection.CollectionReader;
import dev.atrium.collection.Collections;
import dev.atrium.webhook.Webhooks;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.AccountAdministration;
import dev.atrium.auth.DeviceLogins;
import dev.atrium.auth.Sessions;
import dev.atrium.auth.SshKeys;
import dev.atrium.auth.SignupPolicy;
import dev.atrium.auth.Tokens;
import dev.atrium.auth.Users;
import dev.atrium.commit.CommitService;
import dev.atrium.http.BaseUrl;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.mirror.MirrorServices;
import dev.atrium.org.RepoVisibility;
import dev.atrium.gate.Gates;
import dev.atrium.org.OrgApi;
import dev.atrium.notification.Notifications;
import dev.atrium.org.Organizations;
import dev.atrium.repo.RepoService;
import dev.atrium.commit.PullRequestCommits;
import dev.atrium.discussion.Discussions;
import dev.atrium.discussion.Threads;
import dev.atrium.usage.Bandwidth;
import dev.atrium.usage.Statements;
import dev.atrium.usage.Quotas;
import dev.atrium.usage.Usage;
import dev.atrium.repo.Repos;
import dev.atrium.scan.FileScans;
import dev.atrium.signing.CommitSignatures;
import dev.atrium.signing.GpgKeys;
import dev.atrium.space.SpaceApp;
import dev.atrium.space.SpaceServices;
import dev.atrium.viewer.DatasetViewer;
import dev.atrium.viewer.ParquetExports;
import dev.atrium.auth.EmailVerifications;
import dev.atrium.auth.PasswordResets;
import dev.atrium.mail.AccountMail;
import dev.atrium.search.Counters;
import dev.atrium.search.RepoFactsReader;
import dev.atrium.search.RepoListing;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * The web UI's routes, registered after the API's: the pages, then the assets they use (bundled in the jar, so the
 * UI works offline), and last the profile route, whose single path segment would otherwise shadow others.
 */
public final class WebPages {
    private static final Pattern ASSET = Pattern.compile("[a-z0-9-]+\\.(css|js)");

    private final RepoPages repoPages;
    private final FilePages filePages;
    private final CommitPages commitPages;
    private final ViewerPages viewerPages;
    private final ListingPages listingPages;
    private final AccountPages accountPages;
    private final @Nullable SsoPages ssoPages;
    private final MailPages mailPages;
    private final EditPages editPages;
    private final SettingsPages settingsPages;
    private final OrgPages orgPages;
    private final UsagePages usagePages;
    private final DiscussionPages discussionPages;
    private final NotificationPages notificationPages;
    private final AdminPages adminPages;
    private final DuplicatePages duplicatePages;
    private final CollectionPages collectionPages;
    private final CollectPages collectPages;
    private final WebhookPages webhookPages;
    private final DevicePages devicePages;
    private final GpgKeyPages gpgKeyPages;
    private final SshKeyPages sshKeyPages;
    private final MirrorPages mirrorPages;

    public WebPages(RepoLookup lookup, RepoService repoService, LfsObjects lfs, Counters counters,
                    RepoFactsReader factsReader, RepoListing listing, AccessPolicy policy, Users users,
                    Sessions sessions, Tokens tokens, Jdbi jdbi, BaseUrl baseUrl, CommitService commits,
                    Path stagingRoot, Repos repos, Clock clock, Organizations orgs, OrgApi orgApi, Gates gates,
                    Quotas quotas, Usage usage, Bandwidth bandwidth, Statements statements,
                    Discussions discussions, Threads threads, PullRequestCommits prCommits,
                    RepoDuplication duplication, LargeFiles largeFiles, Collections collectionStore,
                    CollectionReader collections, Webhooks webhooks, DeviceLogins deviceLogins,
                    FileScans fileScans, DatasetViewer viewer, ParquetExports parquetExports,
                    SpaceServices spaces,
                    Inference inference, SignupPolicy signup, GpgKeys gpgKeys, CommitSignatures signatures,
                    SshKeys sshKeys, java.util.function.IntSupplier sshPort, Notifications notifications,
                    AccountMail accountMail, PasswordResets passwordResets, EmailVerifications verifications,
                    RepoVisibility visibility, dev.atrium.auth.@Nullable OidcProvider oidc, dev.atrium.auth.SsoAccounts ssoAccounts,
                    dev.atrium.org.GroupRoles groupRoles, dev.atrium.auth.ServerSecret secret,
                    MirrorServices mirrors) {
        SpaceApp spaceApp = spaces.app();
        Pages pages = new Pages();
        CloneCommands clone = new CloneCommands(baseUrl, sshPort);
        RepoAccess access = new RepoAccess(lookup, repoService, lfs, counters, policy, clone, discussions, mirrors);
        this.viewerPages = new ViewerPages(pages, access, viewer, parquetExports);
        this.repoPages = new RepoPages(pages, access, factsReader, counters, baseUrl, gates, fileScans, spaceApp,
                inference, listing, policy, viewerPages);
        this.filePages = new FilePages(pages, access, fileScans);
        this.commitPages = new CommitPages(pages, access, signatures);
        this.gpgKeyPages = new GpgKeyPages(pages, gpgKeys);
        this.sshKeyPages = new SshKeyPages(pages, sshKeys, clone);
        this.listingPages = new ListingPages(pages, listing, policy, users, jdbi, orgs, orgApi.follows(), collections,
                inference.enabled() ? java.util.Optional.of(Inference.RUNNABLE) : java.util.Optional.empty());
        SessionCookie sessionCookie = new SessionCookie(sessions, baseUrl);
        this.ssoPages = oidc == null ? null : new SsoPages(pages, oidc, ssoAccounts, groupRoles, users, sessionCookie,
                sessions, signup, baseUrl, secret, clock);
        this.accountPages = new AccountPages(pages, users, sessions, tokens, repoService, policy, baseUrl, orgApi,
                quotas, signup, accountMail, sessionCookie, ssoPages, visibility);
        this.mailPages = new MailPages(pages, accountMail, passwordResets, verifications, sessions, baseUrl);
        this.usagePages = new UsagePages(pages, usage, policy, orgs, bandwidth, statements);
        this.editPages = new EditPages(pages, access, lookup, commits, stagingRoot, policy, prCommits);
        this.discussionPages = new DiscussionPages(pages, access, policy, discussions, threads, notifications);
        this.notificationPages = new NotificationPages(pages, notifications, repos, policy, users,
                accountMail.enabled());
        this.adminPages = new AdminPages(pages, users, new AccountAdministration(users, sessions, ssoAccounts));
        this.settingsPages = new SettingsPages(pages, access, lookup, repoService, repos, policy, clock,
                orgApi.audit(), quotas, largeFiles, spaces, gates, users, notifications, visibility);
        this.orgPages = new OrgPages(pages, orgApi, users, tokens, policy, visibility);
        this.duplicatePages = new DuplicatePages(pages, access, lookup, orgs, duplication);
        this.collectionPages = new CollectionPages(pages, collections, collectionStore, policy);
        this.collectPages = new CollectPages(pages, access, lookup, policy, orgs, collectionStore, collections);
        this.webhookPages = new WebhookPages(pages, webhooks, baseUrl);
        this.devicePages = new DevicePages(pages, deviceLogins);
        this.mirrorPages = new MirrorPages(pages, lookup, orgs, mirrors, visibility);
    }

    public void register(RoutesConfig routes) {
        routes.get("/assets/{file}", WebPages::asset);
        listingPages.register(routes);
        collectionPages.register(routes);
        notificationPages.register(routes);
        adminPages.register(routes);
        // Before the account pages: /new/mirror is no repo of the reserved namespace "new".
        mirrorPages.register(routes);
        accountPages.register(routes);
        if (ssoPages != null) {
            ssoPages.register(routes);
        }
        mailPages.register(routes);
        gpgKeyPages.register(routes);
        sshKeyPages.register(routes);
        webhookPages.register(routes);
        devicePages.register(routes);
        orgPages.register(routes);
        usagePages.register(routes);
        repoPages.register(routes);
        filePages.register(routes);
        commitPages.register(routes);
        viewerPages.register(routes);
        editPages.register(routes);
        discussionPages.register(routes);
        settingsPages.register(routes);
        duplicatePages.register(routes);
        collectPages.register(routes);
        listingPages.registerProfiles(routes);
    }

    private static void asset(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        InputStream in = ASSET.matcher(file).matches() ? WebPages.class.getResourceAsStream("/web/" + file) : null;
        if (in == null) {
            ctx.status(404).result("");
            return;
        }
        try (in) {
            ctx.contentType(file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.result(in.readAllBytes());
        }
    }
}
