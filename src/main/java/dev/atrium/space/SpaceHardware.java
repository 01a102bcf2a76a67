package dev.atrium.space;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kind of machine a Space's app runs on, as the Hub names them ({@code cpu-basic}, {@code cpu-upgrade}): what its
 * processes may use together of this machine's CPU and memory. The hub enforces it with control groups
 * ({@link SpaceCgroups}); it has no GPUs to hand out.
 *
 * @param name      the flavour clients ask for
 * @param cpus      how many CPUs' worth of time the app may use at once
 * @param memoryGib how much memory the app's processes may hold together, in GiB
 * @param diskGib   how much the app may write to its home folder (its ephemeral disk), in GiB
 */
public record SpaceHardware(String name, int cpus, int memoryGib, int diskGib) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern ONE = Pattern.compile("([^:]+):(\\d{1,4}):(\\d{1,6})(?::(\\d{1,6}))?");
    /** The Hub's ephemeral disk for its CPU flavours, for an option that does not name one. */
    private static final int DISK_GIB = 50;

    /** The Hub's two CPU flavours, with its sizes; a hub's administrator may offer others (see {@link #parseAll}). */
    public static final List<SpaceHardware> DEFAULTS = List.of(new SpaceHardware("cpu-basic", 2, 16, DISK_GIB),
            new SpaceHardware("cpu-upgrade", 8, 32, DISK_GIB));

    public SpaceHardware {
        if (!NAME.matcher(name).matches() || cpus < 1 || memoryGib < 1 || diskGib < 1) {
            throw new IllegalArgumentException("A Space hardware is a name (lowercase letters, digits, '-'), a number"
                    + " of CPUs, GiB of memory and GiB of disk, each at least 1: " + name + ":" + cpus + ":"
                    + memoryGib + ":" + diskGib);
        }
    }

    public long memoryBytes() {
        return (long) memoryGib << 30;
    }

    public long diskBytes() {
        return (long) diskGib << 30;
    }

    /** The name people read: {@code cpu-basic} is "CPU Basic", as on the Hub. */
    public String prettyName() {
        List<String> words = new ArrayList<>();
        for (String word : name.split("-")) {
            if (word.isEmpty()) {
                continue;
            }
            words.add(word.length() <= 3 ? word.toUpperCase(Locale.ROOT)
                    : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return String.join(" ", words);
    }

    /** The memory limit as the Hub words it in "Memory limit exceeded (16Gi)". */
    public String memoryLabel() {
        return memoryGib + "Gi";
    }

    /** The option's form of this hardware: {@code name:cpus:memory:disk}. */
    public String option() {
        return name + ":" + cpus + ":" + memoryGib + ":" + diskGib;
    }

    /**
     * {@code --spaces-hardware}: {@code name:cpus:GiB[:diskGiB]} items separated by commas, such as
     * {@code cpu-basic:2:16,cpu-upgrade:8:32} (disk: 50 GiB unless given); the first is what every Space runs on until
     * its writers ask for another.
     */
    public static List<SpaceHardware> parseAll(String option) {
        List<SpaceHardware> all = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String item : option.split(",")) {
            Matcher m = ONE.matcher(item.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("--spaces-hardware takes name:cpus:GiB[:diskGiB] items separated"
                        + " by commas (cpu-basic:2:16,cpu-upgrade:8:32:100), not '" + item.strip() + "'");
            }
            SpaceHardware hardware = new SpaceHardware(m.group(1), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), m.group(4) == null ? DISK_GIB : Integer.parseInt(m.group(4)));
            if (!names.add(hardware.name())) {
                throw new IllegalArgumentException("--spaces-hardware names " + hardware.name() + " twice");
            }
            all.add(hardware);
        }
        return List.copyOf(all);
    }
}
