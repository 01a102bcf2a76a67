package dev.atrium.space;

/** What the web pages use of Spaces: the app's routes and runtime, its process, its variables and secrets. */
public record SpaceServices(SpaceApp app, SpaceProcesses processes, SpaceVariables variables) {}
