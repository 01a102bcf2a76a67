package dev.atrium.mirror;

import org.jdbi.v3.core.Jdbi;

/** {@link MirrorsTest} on PostgreSQL: the same SQL. */
class MirrorsPostgresIT extends MirrorsTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("repos, repo_mirrors");
    }
}
