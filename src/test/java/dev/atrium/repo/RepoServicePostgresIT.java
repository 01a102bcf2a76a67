package dev.atrium.repo;

import org.jdbi.v3.core.Jdbi;

/** {@link RepoServiceTest} on PostgreSQL, where creations of several nodes really interleave. */
class RepoServicePostgresIT extends RepoServiceTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("repos");
    }
}
