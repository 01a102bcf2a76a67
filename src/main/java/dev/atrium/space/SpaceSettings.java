package dev.atrium.space;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How the hub runs the Spaces whose app is a program (Streamlit) rather than files it serves (static).
 *
 * @param python   the Python that runs them, its environment with {@code streamlit}; null runs none
 * @param sandbox  {@code bwrap} (bubblewrap) to confine each app to its own files, or null to run them unconfined, for a
 *                 hub whose Space authors are all trusted
 * @param running  how many apps may run at once; starting one more stops the least recently used
 * @param idle     how long an app may go unused before it is stopped (it starts again at its next visit)
 * @param start    how long an app may take to answer its first request
 * @param build    how long installing an app's requirements may take
 * @param pipConfig the pip configuration builds use (an index or mirror, {@code find-links}), or null for pip's own
 *                 defaults
 * @param hardware what an app may run on, the first by default ({@code --spaces-hardware})
 * @param cgroup   where apps' control groups go: {@code auto}, {@code none} or a cgroup v2 folder
 *                 ({@link SpaceCgroups#of})
 */
public record SpaceSettings(@Nullable Path python, @Nullable Path sandbox, int running, Duration idle,
                            Duration start, Duration build, @Nullable Path pipConfig, List<SpaceHardware> hardware,
                            String cgroup) {
    public static final SpaceSettings OFF = new SpaceSettings(null, null, 4, Duration.ofHours(1),
            Duration.ofSeconds(90), Duration.ofMinutes(15), null, SpaceHardware.DEFAULTS, "auto");

    public SpaceSettings {
        if (running < 1 || idle.isNegative() || idle.isZero() || start.isNegative() || start.isZero()
                || build.isNegative() || build.isZero()) {
            throw new IllegalArgumentException("Space limits must be positive");
        }
        if (hardware.isEmpty()) {
            throw new IllegalArgumentException("Spaces need at least one hardware to run on");
        }
        hardware = List.copyOf(hardware);
    }

    /** What a Space runs on until its writers ask for another. */
    public SpaceHardware defaultHardware() {
        return hardware.get(0);
    }

    /** The hardware named {@code name}, if this hub offers it. */
    public java.util.Optional<SpaceHardware> hardware(String name) {
        return hardware.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    public boolean enabled() {
        return python != null;
    }
}
