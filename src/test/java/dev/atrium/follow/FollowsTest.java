package dev.atrium.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.PasswordHasher;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.db.Database;
import dev.atrium.org.Organization;
import dev.atrium.org.Organizations;
import dev.atrium.testing.SettableClock;
import dev.atrium.testing.TestUsers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowsTest {
    @TempDir
    Path dir;
    private final SettableClock clock = new SettableClock(1_800_000_000_000L);
    private Jdbi jdbi;
    private Follows follows;
    private User alice;

    protected Jdbi openDatabase() {
        return Database.openSqlite(dir.resolve("atrium.db"));
    }

    @BeforeEach
    void init() {
        jdbi = openDatabase();
        follows = new Follows(jdbi, clock);
        alice = TestUsers.insert(jdbi, "alice");
    }

    /** A popular profile's followers come a page at a time, newest first, each once, many in the same instant. */
    @Test
    void followers_comeInPagesByKey_newestFirst_eachOnce() {
        List<String> followedAt = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            User fan = TestUsers.insert(jdbi, "fan" + i);
            assertTrue(follows.follow(fan, Followee.of(alice)));
            followedAt.add(fan.name());
            if (i % 50 == 49) {
                clock.advance(1); // most share an instant: the follower's id breaks the tie
            }
        }
        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Follows.Page page = follows.followers(Followee.of(alice), cursor, 100);
            page.users().forEach(u -> listed.add(u.name()));
            cursor = page.next();
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(250, listed.stream().distinct().count());
        assertEquals(followedAt.stream().sorted().toList(), listed.stream().sorted().toList());
        assertEquals(followedAt.subList(200, 250).stream().sorted().toList(),
                listed.subList(0, 50).stream().sorted().toList(), "the latest instant's followers come first");
        assertEquals(250, follows.followerCount(Followee.of(alice)));
        assertThrows(IllegalArgumentException.class, () -> follows.followers(Followee.of(alice), "not-a-cursor", 10));
    }

    @Test
    void following_listsTheUsersFollowed_latestFirst_notOrganizations() {
        User bob = TestUsers.insert(jdbi, "bob");
        User carol = TestUsers.insert(jdbi, "carol");
        Organization acme = new Organizations(jdbi, clock).create("acme", "ACME", bob);
        follows.follow(alice, Followee.of(bob));
        clock.advance(1);
        follows.follow(alice, Followee.of(acme));
        clock.advance(1);
        follows.follow(alice, Followee.of(carol));

        Follows.Page page = follows.followed(alice.id(), null, 10);
        assertEquals(List.of("carol", "bob"), page.users().stream().map(User::name).toList());
        assertNull(page.next());
        assertEquals(2, follows.followingCount(alice.id()));
        assertEquals(List.of("alice"), follows.followers(Followee.of(acme), null, 10).users().stream()
                .map(User::name).toList());
        assertEquals(1, follows.followerCount(Followee.of(acme)));
        assertEquals(0, follows.followerCount(Followee.of(alice)));
        assertEquals(Set.of(carol.id()), follows.following(alice, Followee.Kind.USER, List.of(carol.id(), alice.id())));
        assertTrue(follows.isFollowing(alice, Followee.of(acme)));
        assertFalse(follows.isFollowing(bob, Followee.of(acme)), "its creator does not follow it for that");
    }

    @Test
    void followingTwice_unfollowingTwice_andOneself() {
        User bob = TestUsers.insert(jdbi, "bob");
        assertTrue(follows.follow(bob, Followee.of(alice)));
        assertFalse(follows.follow(bob, Followee.of(alice)), "already following");
        assertEquals(1, follows.followerCount(Followee.of(alice)));
        assertTrue(follows.unfollow(bob, Followee.of(alice)));
        assertFalse(follows.unfollow(bob, Followee.of(alice)), "already not following");
        assertEquals(0, follows.followerCount(Followee.of(alice)));
        assertThrows(Follows.SelfFollow.class, () -> follows.follow(alice, Followee.of(alice)));
        assertEquals(0, follows.followerCount(Followee.of(alice)));
    }

    /** A deactivated account is not shown or counted as a follower, nor as followed, and is again once reactivated. */
    @Test
    void deactivatedAccounts_areLeftOutOfListsAndCounts() {
        User bob = TestUsers.insert(jdbi, "bob");
        User carol = TestUsers.insert(jdbi, "carol");
        follows.follow(bob, Followee.of(alice));
        follows.follow(carol, Followee.of(alice));
        follows.follow(alice, Followee.of(bob));
        Users users = new Users(jdbi, new PasswordHasher(), clock);
        users.setDeactivated(bob.id(), true);
        assertEquals(List.of("carol"), follows.followers(Followee.of(alice), null, 10).users().stream()
                .map(User::name).toList());
        assertEquals(1, follows.followerCount(Followee.of(alice)));
        assertEquals(0, follows.followingCount(alice.id()));
        assertEquals(List.of(), follows.followed(alice.id(), null, 10).users());
        users.setDeactivated(bob.id(), false);
        assertEquals(2, follows.followerCount(Followee.of(alice)));
        assertEquals(1, follows.followingCount(alice.id()));
    }
}
