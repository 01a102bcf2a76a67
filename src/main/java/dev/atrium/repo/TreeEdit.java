package dev.atrium.repo;

import org.eclipse.jgit.lib.ObjectId;

/** One change to a tree, applied by {@link CommitWriter}. */
public sealed interface TreeEdit {
    String path();

    record PutBlob(String path, ObjectId blob) implements TreeEdit {}

    record DeleteFile(String path) implements TreeEdit {}

    record DeleteFolder(String path) implements TreeEdit {}
}
