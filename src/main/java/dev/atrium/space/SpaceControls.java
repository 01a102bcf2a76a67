package dev.atrium.space;

import dev.atrium.http.Errors;
import dev.atrium.repo.Repo;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;

/** Whether a Space's app is paused, how long it may go unused before it sleeps and what hardware it runs on:
 * huggingface_hub's pause_space, set_space_sleep_time and request_space_hardware. Kept in the database, so that a pause
 * outlives a restart of the hub. */
public final class SpaceControls {
    /** What {@code set_space_sleep_time} may ask: a minute to thirty days, or -1 for never. */
    public static final long NEVER = -1;
    private static final long SHORTEST = 60;
    private static final long LONGEST = 30L * 24 * 3600;

    private final Jdbi jdbi;

    public SpaceControls(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What a Space's writers set: paused, and its own sleep time in seconds and hardware if they set them. */
    public record Settings(boolean paused, OptionalLong sleepSeconds, Optional<String> hardware) {
        static final Settings NONE = new Settings(false, OptionalLong.empty(), Optional.empty());
    }

    /** The Space's settings, read in one query. */
    public Settings of(Repo space) {
        return jdbi.withHandle(h -> h.createQuery("SELECT paused, sleep_seconds, hardware FROM space_controls"
                        + " WHERE repo_id = :r")
                .bind("r", space.id())
                .map((rs, c) -> {
                    long sleep = rs.getLong(2);
                    OptionalLong set = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(sleep);
                    return new Settings(rs.getBoolean(1), set, Optional.ofNullable(rs.getString(3)));
                })
                .findOne().orElse(Settings.NONE));
    }

    /** Records the hardware the Space's writers asked for; the caller checked that the hub offers it. */
    public void setHardware(Repo space, String name) {
        set(space, "hardware", name);
    }

    public void setPaused(Repo space, boolean paused) {
        set(space, "paused", paused);
    }

    public void setSleepSeconds(Repo space, long seconds) {
        checkSleepSeconds(seconds);
        set(space, "sleep_seconds", seconds);
    }

    static void checkSleepSeconds(long seconds) {
        if (seconds != NEVER && (seconds < SHORTEST || seconds > LONGEST)) {
            throw new Errors.BadRequest("A sleep time is " + SHORTEST + " to " + LONGEST + " seconds, or -1 for"
                    + " never");
        }
    }

    /** Sets one column of the Space's row, made first if it has none ({@code column} is one of this class's). */
    private void set(Repo space, String column, Object value) {
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO space_controls (repo_id, paused) SELECT :r, FALSE WHERE NOT EXISTS"
                    + " (SELECT 1 FROM space_controls WHERE repo_id = :r)").bind("r", space.id()).execute();
            h.createUpdate("UPDATE space_controls SET " + column + " = :v WHERE repo_id = :r")
                    .bind("v", value).bind("r", space.id()).execute();
        });
    }
}
