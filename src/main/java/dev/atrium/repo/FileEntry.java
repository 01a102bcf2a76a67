package dev.atrium.repo;

import dev.atrium.lfs.LfsPointer;
import org.jspecify.annotations.Nullable;

/**
 * A file or folder of a tree at a commit. {@code oid} is the git object id (for an LFS file, the pointer's blob);
 * {@code size} is the real content size, which for an LFS file is the object's, not the pointer's.
 */
public record FileEntry(String path, boolean isDirectory, String oid, long size, @Nullable LfsPointer lfs,
                        long pointerSize) {}
