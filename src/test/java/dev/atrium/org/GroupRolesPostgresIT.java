package dev.atrium.org;

import org.jdbi.v3.core.Jdbi;

/** {@link GroupRolesTest} on PostgreSQL: the same SQL, the members' new flag included. */
class GroupRolesPostgresIT extends GroupRolesTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("users, organizations, org_members, audit_log");
    }
}
