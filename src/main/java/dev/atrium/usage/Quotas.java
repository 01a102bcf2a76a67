package dev.atrium.usage;

import dev.atrium.http.Errors;
import dev.atrium.repo.Repo;

/**
 * Refuses, before any byte moves, what would break a namespace's limits: a file larger than allowed, new private
 * content beyond the private storage quota, a private repo beyond the allowed number.
 */
public final class Quotas {
    private final Usage usage;

    public Quotas(Usage usage) {
        this.usage = usage;
    }

    /**
     * Checks an upload announced to preupload or the LFS batch API: {@code largest} is its largest file,
     * {@code incoming} the bytes it would add (files the server already has for the repo are not counted), asked for
     * only when a private storage limit applies.
     */
    public void requireUpload(Repo repo, long largest, java.util.function.LongSupplier incoming) {
        Usage.Limits limits = usage.limits(repo.repoId().namespace());
        if (limits.maxFileSize() != null && largest > limits.maxFileSize()) {
            throw new Errors.QuotaExceeded(413, "FileTooLarge", "Files in " + repo.repoId().namespace()
                    + " may have at most " + limits.maxFileSize() + " bytes; this one has " + largest);
        }
        requirePrivateStorage(repo.repoId().namespace(), limits, repo.isPrivate(), incoming);
    }

    /**
     * Checks a copy of {@code source} into {@code namespace}: one more private repo if the copy is private, and
     * room for its content in the private storage quota.
     */
    public void requireCopy(Repo source, String namespace, boolean isPrivate) {
        if (isPrivate) {
            requirePrivateRepo(namespace);
        }
        requirePrivateStorage(namespace, usage.limits(namespace), isPrivate, () -> usage.repoBytes(source));
    }

    private void requirePrivateStorage(String namespace, Usage.Limits limits, boolean isPrivate,
                                       java.util.function.LongSupplier incoming) {
        long adding = limits.privateStorage() != null && isPrivate ? incoming.getAsLong() : 0;
        if (adding > 0) {
            long used = usage.storage(namespace).privateBytes();
            if (used + adding > limits.privateStorage()) {
                throw new Errors.QuotaExceeded(403, "StorageQuotaExceeded", "Private storage quota of "
                        + namespace + " exceeded: " + used + " bytes used, " + adding
                        + " more would pass the " + limits.privateStorage() + " allowed");
            }
        }
    }

    /** Checks that {@code namespace} may have one more private repo. */
    public void requirePrivateRepo(String namespace) {
        Integer max = usage.limits(namespace).maxPrivateRepos();
        if (max != null && usage.privateRepos(namespace) >= max) {
            throw new Errors.QuotaExceeded(403, "PrivateRepoLimitReached", namespace + " may have at most " + max
                    + " private repos");
        }
    }
}
