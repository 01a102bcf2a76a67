package dev.atrium.usage;

import org.jdbi.v3.core.Jdbi;

/** {@link BandwidthTest} on PostgreSQL: the per-day upsert under concurrent flushes. */
class BandwidthPostgresIT extends BandwidthTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("statements, usage_days, bandwidth_days, plans, repos");
    }
}
