package dev.atrium.usage;

import org.jdbi.v3.core.Jdbi;

/** {@link UsageDaysTest} on PostgreSQL, where concurrent transactions really interleave. */
class UsageDaysPostgresIT extends UsageDaysTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("statements, usage_days, bandwidth_days, plans, repos");
    }
}
