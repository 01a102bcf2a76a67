package dev.atrium.gate;

import org.jdbi.v3.core.Jdbi;

/** {@link GatesTest} on PostgreSQL: the pages' keys compare there as on SQLite. */
class GatesPostgresIT extends GatesTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("access_requests, repos, users, organizations");
    }
}
