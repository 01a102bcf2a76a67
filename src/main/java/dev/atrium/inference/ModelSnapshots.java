package dev.atrium.inference;

import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A model's files at one commit, written to a folder of their own for the worker to load: {@code root/{repo}/{commit}}.
 *
 * <p>Only what a transformers pipeline reads is written: the top folder's configs, tokenizer files and safetensors
 * weights, and those of a sentence-transformers model's module folders ({@code 1_Pooling/config.json}). Pickled
 * weights ({@code .bin}, {@code .pt}) and code ({@code .py}) are never written, so loading a model runs none of its
 * author's code. Written by {@link RepoSnapshots}. Not thread-safe: {@link Inference} calls it from its one worker
 * thread, which is also the only reader of the folders.
 */
final class ModelSnapshots {
    private static final Set<String> READ = Set.of("json", "txt", "model", "safetensors", "tiktoken", "jinja");
    /** A file of a sentence-transformers module folder, such as {@code 1_Pooling/config.json}. */
    private static final java.util.regex.Pattern MODULE_FILE = java.util.regex.Pattern.compile("\\d+_[A-Za-z]+/[^/]+");

    private final RepoSnapshots snapshots;
    private final long byteLimit;

    ModelSnapshots(Path root, LfsObjects lfs, long byteLimit, int kept) {
        // The worker loads a model whole, so a folder may go once loaded.
        this.snapshots = new RepoSnapshots(root, lfs, kept, folder -> false);
        this.byteLimit = byteLimit;
    }

    /** The folder of {@code repo} at {@code commit}, written now unless it already is. */
    Path folder(Repository git, Repo repo, RevCommit commit) throws IOException {
        return snapshots.folder(git, repo, commit, tree -> servable(repo, tree));
    }

    /** Removes the folders a stop left half written. */
    void removeUnfinished() throws IOException {
        snapshots.removeUnfinished();
    }

    /** Removes every snapshot of a repo: it was deleted or renamed. */
    void forget(Repo repo) throws IOException {
        snapshots.forget(repo);
    }

    private List<FileEntry> servable(Repo repo, List<FileEntry> tree) {
        List<FileEntry> files = new ArrayList<>();
        long bytes = 0;
        boolean weights = false;
        boolean config = false;
        for (FileEntry file : tree) {
            String extension = extension(file.path());
            if (!READ.contains(extension)
                    || !(file.path().indexOf('/') < 0 || MODULE_FILE.matcher(file.path()).matches())) {
                continue;
            }
            files.add(file);
            bytes += file.size();
            weights |= extension.equals("safetensors");
            config |= file.path().equals("config.json");
        }
        if (!config) {
            throw InferenceErrors.NotServed.model(repo.repoId() + " has no config.json: the hub runs transformers"
                    + " models");
        }
        if (!weights) {
            throw InferenceErrors.NotServed.model(repo.repoId() + " has no safetensors weights: the hub never loads"
                    + " pickled weights (.bin, .pt) to run a model");
        }
        if (bytes > byteLimit) {
            throw InferenceErrors.NotServed.model(repo.repoId() + " is too large to run here (" + bytes
                    + " bytes; the limit is " + byteLimit + ")");
        }
        return files;
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
