package dev.atrium.webhook;

import org.jdbi.v3.core.Jdbi;

/** {@link WebhookOutboxTest} on PostgreSQL, where nodes adopting at once really interleave. */
class WebhookOutboxPostgresIT extends WebhookOutboxTest {
    @Override
    protected Jdbi openDatabase() {
        return dev.atrium.testing.MigratedPostgres.fresh("users");
    }
}
