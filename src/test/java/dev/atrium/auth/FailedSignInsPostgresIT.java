package dev.atrium.auth;

import org.jdbi.v3.core.Jdbi;

/** {@link FailedSignInsTest} on PostgreSQL, where attempts of several nodes really run at once. */
class FailedSignInsPostgresIT extends FailedSignInsTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("users");
    }
}
