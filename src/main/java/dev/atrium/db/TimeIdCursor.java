package dev.atrium.db;

/**
 * Where a page ends in a list ordered by a time and then an id ({@code "<millis>-<id>"}): the next page starts
 * strictly after it, so rows sharing an instant are neither skipped nor repeated, and a page stays right while rows
 * are added.
 */
public record TimeIdCursor(long time, String id) {
    /** @throws IllegalArgumentException for text that no cursor gave */
    public static TimeIdCursor parse(String text) {
        int dash = text.indexOf('-');
        try {
            return new TimeIdCursor(Long.parseLong(text.substring(0, Math.max(0, dash))), text.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid cursor");
        }
    }

    public String text() {
        return time + "-" + id;
    }
}
