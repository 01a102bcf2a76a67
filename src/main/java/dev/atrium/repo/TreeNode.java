package dev.atrium.repo;

import org.eclipse.jgit.lib.ObjectId;

/** An entry of a tree as its walk sees it, before its blob is read (see {@link FileEntry}). */
public record TreeNode(String path, boolean isDirectory, ObjectId id) {}
