package dev.atrium.org;

public record Organization(String id, String name, String fullname, long createdAt) {}
