package dev.atrium.repo;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of a tree listing; {@code next} is where the following page starts, null after the last. */
public record TreePage(List<FileEntry> entries, @Nullable TreeCursor next) {}
