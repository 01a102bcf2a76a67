package dev.atrium.auth;

public record User(String id, String name, String email, String fullname, boolean isAdmin, long createdAt) {}
