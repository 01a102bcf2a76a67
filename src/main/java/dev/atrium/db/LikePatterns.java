package dev.atrium.db;

/**
 * SQL {@code LIKE} patterns for text people type: their '%' and '_' are characters to find, not wildcards. The same
 * on SQLite and PostgreSQL: write {@code column LIKE :p} followed by {@link #ESCAPE}.
 */
public final class LikePatterns {
    /**
     * Not a backslash: Jdbi's SQL parser takes {@code '\'} for an escaped quote, so a statement with two such
     * clauses lost the second backslash (and with it the escaping).
     */
    public static final char ESCAPE_CHAR = '!';
    /** The clause that follows a {@code LIKE} whose pattern comes from here. */
    public static final String ESCAPE = "ESCAPE '" + ESCAPE_CHAR + "'";

    private LikePatterns() {}

    /** {@code text} with the wildcards and the escape character escaped. */
    public static String escaped(String text) {
        String e = String.valueOf(ESCAPE_CHAR);
        return text.replace(e, e + e).replace("%", e + "%").replace("_", e + "_");
    }

    /** A pattern matching any text that contains {@code text}. */
    public static String containing(String text) {
        return "%" + escaped(text) + "%";
    }
}
