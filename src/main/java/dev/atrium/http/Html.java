package dev.atrium.http;

/** Text put into HTML that Java builds itself (the templates escape their own). */
public final class Html {
    private Html() {}

    /** {@code text} as HTML text or a quoted attribute value. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
