package dev.atrium.auth;

import org.jdbi.v3.core.Jdbi;

/** {@link SsoAccountsTest} on PostgreSQL: the same SQL, the identities' two unique keys included. */
class SsoAccountsPostgresIT extends SsoAccountsTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("users, sso_identities");
    }
}
