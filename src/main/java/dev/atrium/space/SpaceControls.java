package dev.atrium.space;

import dev.atrium.http.Errors;
import dev.atrium.repo.Repo;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;

/** Whether a Space's app is paused, and how long it may go unused before it sleeps: huggingface_hub's pause_space
 * and set_space_sleep_time. Kept in the database, so that a pause outlives a restart of the hub. */
public final class SpaceControls {
    /** What {@code set_space_sleep_time} may ask: a minute at least, or -1 for never. */
    public static final long NEVER = -1;
    private static final long SHORTEST = 60;

    private final Jdbi jdbi;

    public SpaceControls(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public boolean paused(Repo space) {
        return jdbi.withHandle(h -> h.createQuery("SELECT paused FROM space_controls WHERE repo_id = :r")
                .bind("r", space.id()).mapTo(Boolean.class).findOne().orElse(false));
    }

    /** The Space's own sleep time in seconds, if its writers set one. */
    public OptionalLong sleepSeconds(Repo space) {
        Optional<Long> seconds = jdbi.withHandle(h -> h.createQuery(
                        "SELECT sleep_seconds FROM space_controls WHERE repo_id = :r AND sleep_seconds IS NOT NULL")
                .bind("r", space.id()).mapTo(Long.class).findOne());
        return seconds.map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    public void setPaused(Repo space, boolean paused) {
        jdbi.useTransaction(h -> {
            int changed = h.createUpdate("UPDATE space_controls SET paused = :p WHERE repo_id = :r")
                    .bind("p", paused).bind("r", space.id()).execute();
            if (changed == 0) {
                h.createUpdate("INSERT INTO space_controls (repo_id, paused) VALUES (:r, :p)")
                        .bind("r", space.id()).bind("p", paused).execute();
            }
        });
    }

    public void setSleepSeconds(Repo space, long seconds) {
        if (seconds != NEVER && seconds < SHORTEST) {
            throw new Errors.BadRequest("A sleep time is at least " + SHORTEST + " seconds, or -1 for never");
        }
        jdbi.useTransaction(h -> {
            int changed = h.createUpdate("UPDATE space_controls SET sleep_seconds = :s WHERE repo_id = :r")
                    .bind("s", seconds).bind("r", space.id()).execute();
            if (changed == 0) {
                h.createUpdate("INSERT INTO space_controls (repo_id, paused, sleep_seconds) VALUES (:r, FALSE, :s)")
                        .bind("r", space.id()).bind("s", seconds).execute();
            }
        });
    }
}
