package dev.atrium.search;

import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;

/**
 * Which file requests count as downloads, as the Hub counts them: for a model, the file every library fetches once
 * per load ({@code config.json}, or {@code model_index.json} for diffusers, or a GGUF file), so one
 * {@code from_pretrained} is one download whatever else it fetches; for a dataset, each data file. Only full GETs
 * count: a HEAD is how clients check their cache, and a Range request that does not start at 0 continues a download
 * already counted. A dataset file read through Xet counts when its reconstruction from byte 0 is asked for.
 */
public final class DownloadCounter {
    private final Counters counters;
    private final Repos repos;

    public DownloadCounter(Counters counters, Repos repos) {
        this.counters = counters;
        this.repos = repos;
    }

    /**
     * A reader asked the Xet service how to rebuild a file of the repo. Files stored through Xet are large data or
     * weight files, never a model's config.json: for datasets this is their download; for models it is not counted.
     */
    public void onXetReconstruction(String repoId, String range) {
        if (startsAtZero(range)) {
            repos.findById(repoId).filter(r -> r.type() == RepoType.DATASET).ifPresent(counters::download);
        }
    }

    public void onFileRequest(Repo repo, String path, boolean isGet, String range) {
        if (isGet && startsAtZero(range) && counts(repo.type(), path)) {
            counters.download(repo);
        }
    }

    static boolean counts(RepoType type, String path) {
        return switch (type) {
            case MODEL -> path.equals("config.json") || path.equals("model_index.json") || path.endsWith(".gguf");
            case DATASET -> !path.equals("README.md") && !path.equals(".gitattributes") && !path.endsWith(".py");
            case SPACE -> false;
        };
    }

    private static boolean startsAtZero(String range) {
        return range == null || range.isBlank() || range.replace(" ", "").startsWith("bytes=0-");
    }
}
