package dev.atrium.viewer;

import org.jdbi.v3.core.Jdbi;

/**
 * {@link ParquetExportTest} on PostgreSQL: the derived objects' upserts, deletes and unions behave there as on
 * SQLite.
 */
class ParquetExportPostgresIT extends ParquetExportTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("repos, lfs_objects, derived_lfs_objects");
    }
}
