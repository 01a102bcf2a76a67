package dev.atrium.follow;

import dev.atrium.auth.User;
import dev.atrium.org.Organization;

/** Whom a user can follow: another user or an organization, by id (names can be taken again, ids cannot). */
public record Followee(Kind kind, String id, String name) {
    public enum Kind {
        USER("user_follows", "followed_id"),
        ORG("org_follows", "org_id");

        final String table;
        final String column;

        Kind(String table, String column) {
            this.table = table;
            this.column = column;
        }
    }

    public static Followee of(User user) {
        return new Followee(Kind.USER, user.id(), user.name());
    }

    public static Followee of(Organization org) {
        return new Followee(Kind.ORG, org.id(), org.name());
    }
}
