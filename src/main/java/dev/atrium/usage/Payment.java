package dev.atrium.usage;

import org.jspecify.annotations.Nullable;

/** How a closed month's statement was paid, or is to be: what the usage page and the statement show. */
public record Payment(String method, @Nullable String reference, Status status, @Nullable String detail) {
    public enum Status {
        /** Claimed for collection; the collector has not answered (yet). */
        PENDING,
        /** An invoice was issued; the money moves outside Atrium until an operator marks it paid. */
        INVOICED,
        PAID,
        /** The collector refused or failed; collection is tried again the next day. */
        FAILED
    }

    /** One line for people: "invoice INV-202610-alice, invoiced". */
    public String describe() {
        return method + (reference == null ? "" : " " + reference) + ", "
                + status.name().toLowerCase(java.util.Locale.ROOT) + (detail == null ? "" : " (" + detail + ")");
    }
}
