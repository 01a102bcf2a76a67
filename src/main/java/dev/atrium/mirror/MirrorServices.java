package dev.atrium.mirror;

/** What the pages need of mirrors: making and ending them, their state, asking for a sync. */
public record MirrorServices(RepoMirroring mirroring, Mirrors mirrors, MirrorSync sync, MirrorScheduler scheduler) {}
