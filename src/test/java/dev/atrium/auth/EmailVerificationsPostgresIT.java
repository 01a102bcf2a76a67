package dev.atrium.auth;

import org.jdbi.v3.core.Jdbi;

/** {@link EmailVerificationsTest} on PostgreSQL. */
class EmailVerificationsPostgresIT extends EmailVerificationsTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("users, organizations");
    }
}
