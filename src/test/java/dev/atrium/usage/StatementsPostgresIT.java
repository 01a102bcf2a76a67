package dev.atrium.usage;

import org.jdbi.v3.core.Jdbi;

/** {@link StatementsTest} on PostgreSQL: the claim on the primary key and the compare-and-swap retries. */
class StatementsPostgresIT extends StatementsTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("statements, usage_days, bandwidth_days, plans, repos");
    }
}
