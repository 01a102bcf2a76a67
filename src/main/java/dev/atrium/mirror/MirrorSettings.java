package dev.atrium.mirror;

import dev.atrium.http.OutboundTargets;
import java.time.Duration;

/**
 * Where mirrors may reach (public addresses, and the networks of {@code --mirror-allowed-networks}: a hub's own
 * network is not for its users to probe) and how often a mirror kept in sync asks its source ({@code --mirror-interval}).
 */
public record MirrorSettings(OutboundTargets targets, Duration interval) {
    public static final String ALLOWED_NETWORKS = "--mirror-allowed-networks";
    public static final MirrorSettings DEFAULT = new MirrorSettings(OutboundTargets.publicOnly(ALLOWED_NETWORKS),
            Duration.ofHours(8));

    public MirrorSettings {
        if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("--mirror-interval must be at least one minute");
        }
    }
}
