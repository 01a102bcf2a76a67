package dev.atrium.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
                NotGated.INSTANCE));
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
        gates.onAsked(new AccessRequestFollowers(notifications, new dev.atrium.repo.Repos(jdbi), users, orgs)::asked);

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
