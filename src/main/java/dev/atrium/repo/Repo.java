package dev.atrium.repo;

import org.jspecify.annotations.Nullable;

/** A repository's metadata row. Its content (files, history, refs) lives in git, the one source of truth for it. */
public record Repo(String id, RepoType type, RepoId repoId, boolean isPrivate, @Nullable String sdk, long createdAt,
                   long updatedAt) {

    /** {@code datasets/ns/name}: the path of web, resolve and git URLs. */
    public String urlPath() {
        return type.urlPrefix() + repoId;
    }
}
