package dev.atrium.auth;

import org.jdbi.v3.core.Jdbi;

/** {@link PasswordResetsTest} on PostgreSQL, where a hub with several nodes keeps its links. */
class PasswordResetsPostgresIT extends PasswordResetsTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("password_resets, failed_sign_ins, users, organizations");
    }
}
