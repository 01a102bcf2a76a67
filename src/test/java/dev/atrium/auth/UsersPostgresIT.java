package dev.atrium.auth;

import org.jdbi.v3.core.Jdbi;

/** {@link UsersTest} on PostgreSQL, where sign-ups on several nodes really interleave. */
class UsersPostgresIT extends UsersTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("users, organizations");
    }
}
