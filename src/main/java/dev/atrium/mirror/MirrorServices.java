package dev.atrium.mirror;

/** What the pages need of mirrors: making, syncing and ending them (all through {@code mirroring}), their state. */
public record MirrorServices(RepoMirroring mirroring, Mirrors mirrors, MirrorSync sync) {}
