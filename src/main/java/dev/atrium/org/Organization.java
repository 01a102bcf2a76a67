package dev.atrium.org;

/** An organization; a {@code classroom} one is run by teachers (its admins) for students. */
public record Organization(String id, String name, String fullname, long createdAt, boolean classroom) {
    public Organization(String id, String name, String fullname, long createdAt) {
        this(id, name, fullname, createdAt, false);
    }
}
