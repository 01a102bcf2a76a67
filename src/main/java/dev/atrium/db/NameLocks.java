package dev.atrium.db;

import org.jdbi.v3.core.Handle;

/**
 * Makes a transaction's check that a name is free (in any case) and its taking of it one step for every node of a
 * hub: transactions that take names of a kind wait here for each other until the holder commits (migration V47).
 * Call it first, so that on SQLite the transaction writes from its start.
 */
public enum NameLocks {
    REPO("repo"),
    /** Users and organizations: they share one namespace. */
    NAMESPACE("namespace");

    private final String kind;

    NameLocks(String kind) {
        this.kind = kind;
    }

    public void take(Handle h) {
        h.createUpdate("UPDATE name_locks SET taken = taken + 1 WHERE kind = :kind").bind("kind", kind).execute();
    }
}
