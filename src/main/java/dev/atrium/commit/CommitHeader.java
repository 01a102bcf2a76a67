package dev.atrium.commit;

import org.jspecify.annotations.Nullable;

public record CommitHeader(String summary, String description, @Nullable String parentCommit) {
    public String message() {
        return description == null || description.isBlank() ? summary : summary + "\n\n" + description;
    }
}
