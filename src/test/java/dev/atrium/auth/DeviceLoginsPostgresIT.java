package dev.atrium.auth;

import org.jdbi.v3.core.Jdbi;

/** {@link DeviceLoginsTest} on PostgreSQL: the same SQL, the misses' upsert included. */
class DeviceLoginsPostgresIT extends DeviceLoginsTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("users, device_logins");
    }
}
