package dev.atrium.commit;

import dev.atrium.storage.Sha256;
import org.jspecify.annotations.Nullable;

/** One line of an NDJSON commit after parsing, with its path already validated and normalised. */
public sealed interface CommitOperation {
    String path();

    /** A regular file whose content came inline (base64) and is staged on disk. */
    record AddFile(String path, StagingArea.Staged content) implements CommitOperation {}

    /** A file whose content was uploaded beforehand through LFS; {@code size} is absent for copies. */
    record AddLfsFile(String path, Sha256 oid, @Nullable Long size) implements CommitOperation {}

    record DeleteFile(String path) implements CommitOperation {}

    record DeleteFolder(String path) implements CommitOperation {}
}
