package dev.atrium.inference;

import dev.atrium.http.BlobResponses;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.TreeReader;
import dev.atrium.storage.Folders;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A model's files at one commit, written to a folder of their own for the worker to load: {@code root/{repo}/{commit}}.
 *
 * <p>Only what a transformers pipeline reads is written: the top folder's configs, tokenizer files and safetensors
 * weights, and those of a sentence-transformers model's module folders ({@code 1_Pooling/config.json}). Pickled
 * weights ({@code .bin}, {@code .pt}) and code ({@code .py}) are never written, so loading a model runs none of its
 * author's code. A folder appears whole (written under a temporary name, then renamed), and the least recently used
 * are removed beyond {@code kept}. Not thread-safe: {@link Inference} calls it from its one worker thread, which is
 * also the only reader of the folders.
 */
final class ModelSnapshots {
    private static final Set<String> READ = Set.of("json", "txt", "model", "safetensors", "tiktoken", "jinja");
    /** A file of a sentence-transformers module folder, such as {@code 1_Pooling/config.json}. */
    private static final java.util.regex.Pattern MODULE_FILE = java.util.regex.Pattern.compile("\\d+_[A-Za-z]+/[^/]+");

    private final Path root;
    private final LfsObjects lfs;
    private final long byteLimit;
    private final int kept;

    ModelSnapshots(Path root, LfsObjects lfs, long byteLimit, int kept) {
        this.root = root;
        this.lfs = lfs;
        this.byteLimit = byteLimit;
        this.kept = kept;
    }

    /** The folder of {@code repo} at {@code commit}, written now unless it already is. */
    Path folder(Repository git, Repo repo, RevCommit commit) throws IOException {
        Path folder = root.resolve(repo.id()).resolve(commit.name());
        if (Files.isDirectory(folder)) {
            Files.setLastModifiedTime(folder, FileTime.from(Instant.now()));
            return folder;
        }
        List<FileEntry> files = servable(repo, TreeReader.list(git, commit, "", true));
        Files.createDirectories(folder.getParent());
        Path temp = Files.createTempDirectory(folder.getParent(), ".writing-");
        try {
            for (FileEntry file : files) {
                Files.createDirectories(temp.resolve(file.path()).getParent());
                try (OutputStream out = Files.newOutputStream(temp.resolve(file.path()))) {
                    write(git, repo, file, out);
                }
            }
            Files.move(temp, folder, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Folders.deleteTree(temp);
        }
        evictBeyondKept(folder);
        return folder;
    }

    /** Removes the folders a stop left half written (their temporary names start with a dot). */
    void removeUnfinished() throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> repos = Files.list(root)) {
            for (Path repo : repos.filter(Files::isDirectory).toList()) {
                try (Stream<Path> folders = Files.list(repo)) {
                    for (Path unfinished : folders.filter(ModelSnapshots::unfinished).toList()) {
                        Folders.deleteTree(unfinished);
                    }
                }
            }
        }
    }

    private static boolean unfinished(Path folder) {
        return folder.getFileName().toString().startsWith(".");
    }

    /** Removes every snapshot of a repo: it was deleted or renamed. */
    void forget(Repo repo) throws IOException {
        Folders.deleteTree(root.resolve(repo.id()));
    }

    private List<FileEntry> servable(Repo repo, List<FileEntry> tree) {
        List<FileEntry> files = new ArrayList<>();
        long bytes = 0;
        boolean weights = false;
        boolean config = false;
        for (FileEntry file : tree) {
            String extension = extension(file.path());
            if (file.isDirectory() || !READ.contains(extension)
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

    private void write(Repository git, Repo repo, FileEntry file, OutputStream out) throws IOException {
        if (file.lfs() == null) {
            var loader = git.open(ObjectId.fromString(file.oid()), Constants.OBJ_BLOB);
            try (var in = loader.openStream()) {
                BlobResponses.copy(in, loader.getSize(), out);
            }
        } else if (!lfs.copy(repo, file.lfs().oid(), out)) {
            // The repo points at content the hub lost: a fault of the server, not of the request.
            throw new IOException("the content of " + repo.repoId() + "/" + file.path() + " is not stored");
        }
    }

    private void evictBeyondKept(Path keep) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> repos = Files.list(root)) {
            for (Path repo : repos.filter(Files::isDirectory).toList()) {
                try (Stream<Path> commits = Files.list(repo)) {
                    commits.filter(p -> !unfinished(p)).forEach(all::add);
                }
            }
        }
        all.sort(Comparator.comparing(Folders::lastUsed).reversed());
        for (Path old : all.subList(Math.min(kept, all.size()), all.size())) {
            if (!old.equals(keep)) {
                Folders.deleteTree(old);
            }
        }
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
