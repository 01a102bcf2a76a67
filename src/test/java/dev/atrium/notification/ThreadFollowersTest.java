package dev.atrium.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.OrgRole;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.db.Database;
import dev.atrium.db.Ids;
import dev.atrium.discussion.Discussions;
import dev.atrium.http.Json;
import dev.atrium.org.Organization;
import dev.atrium.org.Organizations;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import dev.atrium.testing.NotGated;
import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadFollowersTest {
    @TempDir
    Path dir;
    private Jdbi jdbi;
    private final SettableClock clock = new SettableClock(1_800_000_000_000L);
    private Users users;
    private Organizations orgs;
    private Discussions discussions;
    private Notifications notifications;
    private ThreadFollowers followers;

    @BeforeEach
    void init() {
        jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        users = new Users(jdbi, new dev.atrium.auth.PasswordHasher(), clock);
        orgs = new Organizations(jdbi, clock);
        discussions = new Discussions(jdbi, clock);
        notifications = new Notifications(jdbi, clock);
        followers = new ThreadFollowers(notifications, discussions, users, orgs, new AccessPolicy(orgs,
                NotGated.INSTANCE), new NotificationMail(null, users, ""));
    }

    private User user(String name) {
        User user = new User(Ids.newId(), name, name + "@example.com", name, false, 1L);
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)
                VALUES (:id, :name, :email, :name, 'unused', FALSE, 1)""")
                .bind("id", user.id()).bind("name", name).bind("email", user.email()).execute());
        return user;
    }

    private Repo repo(String namespace, String name, boolean isPrivate) {
        Repo repo = new Repo(Ids.newId(), RepoType.MODEL, new RepoId(namespace, name), isPrivate, null, 1L, 1L);
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO repos (id, type, namespace, name, private, sdk, created_at, updated_at)
                VALUES (:id, 'MODEL', :ns, :name, :private, NULL, 1, 1)""")
                .bind("id", repo.id()).bind("ns", namespace).bind("name", name).bind("private", isPrivate).execute());
        return repo;
    }

    private Discussions.Event comment(Discussions.Discussion d, User author, String text) {
        com.fasterxml.jackson.databind.node.ObjectNode data = Json.MAPPER.createObjectNode();
        data.putObject("latest").put("raw", text).put("html", "");
        return discussions.addEvent(d, "comment", author, data);
    }

    /** Each user's notice of the repo's thread #1 as "reason/actor/unread", or nothing. */
    private Map<String, String> inbox(Repo repo, User... of) {
        Map<String, String> out = new TreeMap<>();
        for (User u : of) {
            notifications.latest(u.id(), 10).stream().filter(n -> n.repoId().equals(repo.id())).findFirst()
                    .ifPresent(n -> out.put(u.name(), n.reason().name() + "/" + n.actor() + "/" + n.unread()));
        }
        return out;
    }

    @Test
    void aThreadReachesTheOrganizationsWritersItsParticipantsAndMentions_notItsActorNorReaders() {
        User admin = user("admin");
        User writer = user("writer");
        User reader = user("reader");
        User bob = user("bob");
        User carol = user("carol");
        Organization lab = orgs.create("lab", "Lab", admin);
        orgs.setRole(lab, writer, OrgRole.WRITE);
        orgs.setRole(lab, reader, OrgRole.READ);
        Repo repo = repo("lab", "model", false);

        Discussions.Discussion d = discussions.create(repo.id(), "A question", bob, false, "open", null);
        comment(d, bob, "Hi @carol, and email me at bob@example.com; not @nobody");
        followers.changed(repo, d, true, null);
        assertEquals(Map.of("admin", "OWNER/bob/true", "writer", "OWNER/bob/true", "carol", "MENTION/bob/true"),
                inbox(repo, admin, writer, reader, bob, carol));

        clock.advance(1000);
        notifications.markRead(admin.id(), repo.id(), d.num());
        Discussions.Event answer = comment(d, writer, "Answered.");
        followers.changed(repo, d, true, answer);
        assertEquals(Map.of("admin", "OWNER/writer/true", "writer", "OWNER/bob/true", "bob", "PARTICIPANT/writer/true",
                "carol", "MENTION/bob/true"), inbox(repo, admin, writer, reader, bob, carol),
                "the writer's own answer is not news to them; the admin's read thread is unread again");
        assertEquals(1, notifications.unreadCount(bob.id()));
    }

    /**
     * By mail too, through a real SMTP server (GreenMail): news reaches followers with a verified address who did not
     * turn mail off, once until they read the thread, never the actor.
     */
    @Test
    void news_isMailedToVerifiedFollowersWhoWantIt_onceUntilTheyRead() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        var smtp = new com.icegreen.greenmail.util.GreenMail(new com.icegreen.greenmail.util.ServerSetup(port,
                "127.0.0.1", com.icegreen.greenmail.util.ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            var outbox = new dev.atrium.mail.Outbox(new dev.atrium.mail.SmtpMailer(dev.atrium.mail.SmtpSettings.parse(
                    "smtp://127.0.0.1:" + port + "?tls=none", null, "hub@example.org")));
            ThreadFollowers mailing = new ThreadFollowers(notifications, discussions, users, orgs,
                    new AccessPolicy(orgs, NotGated.INSTANCE), new NotificationMail(outbox, users, "https://hub.lab"));
            User alice = user("alice");
            User bob = user("bob");
            User carol = user("carol");
            User dave = user("dave");
            for (User u : List.of(alice, carol, dave)) {
                users.markEmailVerified(u.id(), u.email());
            }
            users.setMailNotifications(carol.id(), false);
            Repo repo = repo("alice", "model", false);

            Discussions.Discussion d = discussions.create(repo.id(), "Works in French?", bob, false, "open", null);
            comment(d, bob, "Does it? cc @carol @dave");
            mailing.changed(repo, d, true, null);
            mailing.changed(repo, d, true, comment(d, bob, "Still wondering."));
            notifications.markRead(alice.id(), repo.id(), d.num());
            mailing.changed(repo, d, true, comment(d, bob, "Any news?"));
            mailing.changed(repo, d, true, comment(d, alice, "Yes, @bob."));
            outbox.close();

            Map<String, List<String>> mailed = new TreeMap<>();
            for (jakarta.mail.internet.MimeMessage m : smtp.getReceivedMessages()) {
                mailed.computeIfAbsent(m.getAllRecipients()[0].toString(), k -> new java.util.ArrayList<>())
                        .add(m.getContent().toString().replace("\r\n", "\n").lines().findFirst().orElse(""));
                assertEquals("[alice/model] Works in French? (#1)", m.getSubject());
            }
            assertEquals(Map.of(
                    "alice@example.com", List.of("bob opened this discussion:", "bob commented:"),
                    "dave@example.com", List.of("bob opened this discussion:")), mailed,
                    "alice twice (she read in between), dave once (the mention, then more of the same), carol never"
                            + " (mail off), bob never (his own comments, then no verified address)");
            String first = smtp.getReceivedMessages()[0].getContent().toString();
            assertTrue(first.contains("https://hub.lab/alice/model/discussions/1") && first.contains("cc @carol"),
                    first);
        } finally {
            smtp.stop();
        }
    }

    @Test
    void aPrivateRepo_reachesOnlyThoseWhoMayReadIt() {
        User alice = user("alice");
        User bob = user("bob");
        Repo secret = repo("alice", "secret", true);
        Discussions.Discussion d = discussions.create(secret.id(), "Plans", alice, false, "open", null);
        Discussions.Event said = comment(d, alice, "@bob should not see this");
        followers.changed(secret, d, true, said);
        assertEquals(Map.of(), inbox(secret, alice, bob));
    }

    @Test
    void anAccessRequestWaitingForReview_reachesTheOrganizationsAdminsOnce() {
        User admin = user("admin");
        User writer = user("writer");
        User bob = user("bob");
        Organization lab = orgs.create("lab", "Lab", admin);
        orgs.setRole(lab, writer, OrgRole.WRITE);
        Repo repo = repo("lab", "gated", false);
        dev.atrium.gate.Gates gates = new dev.atrium.gate.Gates(jdbi, clock);
        gates.setMode(repo.id(), java.util.Optional.of(dev.atrium.gate.Gates.Mode.MANUAL));
        gates.onAsked(new AccessRequestFollowers(notifications, new dev.atrium.repo.Repos(jdbi), users, orgs,
                new NotificationMail(null, users, ""))::asked);

        gates.ask(repo.id(), bob, "{}", dev.atrium.gate.Gates.Mode.MANUAL);
        List<Notifications.Notice> inbox = notifications.latest(admin.id(), 10);
        assertEquals(1, inbox.size());
        assertEquals(Notifications.Reason.ACCESS_REQUEST, inbox.get(0).reason());
        assertEquals("bob", inbox.get(0).actor());
        assertEquals(true, inbox.get(0).isAccessRequests());
        assertEquals(List.of(), notifications.latest(writer.id(), 10), "writers cannot answer requests");

        notifications.markRead(admin.id(), repo.id(), Notifications.ACCESS_REQUESTS);
        gates.ask(repo.id(), bob, "{}", dev.atrium.gate.Gates.Mode.MANUAL);
        assertEquals(0, notifications.unreadCount(admin.id()), "asking again is not news");
    }

    @Test
    void mentions_areNamesAfterAnAtSign_notInsideAddressesOrPaths() {
        assertEquals(List.of("carol", "dave.k", "erin"),
                ThreadFollowers.mentions("@carol, (@dave.k) a@b.com x/@y @erin. @carol again"));
    }
}
