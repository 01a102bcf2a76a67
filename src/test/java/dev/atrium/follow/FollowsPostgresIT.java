package dev.atrium.follow;

import org.jdbi.v3.core.Jdbi;

/** {@link FollowsTest} on PostgreSQL: the pages' keys, the conflicts and the joins behave there as on SQLite. */
class FollowsPostgresIT extends FollowsTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("user_follows, org_follows, org_members, organizations, users");
    }
}
