package dev.atrium.git;

import dev.atrium.repo.RepoType;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.server.command.CommandFactory;

/**
 * What an SSH client asked to run, as git and git-lfs send it: {@code git-upload-pack '/alice/model.git'},
 * {@code git-receive-pack 'datasets/alice/data'}, {@code git-lfs-authenticate alice/model upload}. The path is the
 * part of the remote URL after the host, with or without a leading slash and {@code .git}, as on the Hub.
 */
sealed interface SshRequest {

    /** The repo a path names: {@code [datasets/|spaces/]namespace/name}. */
    record RepoPath(RepoType type, String namespace, String name) {}

    record Git(SmartHttp.Service service, RepoPath repo) implements SshRequest {}

    record LfsAuthenticate(RepoPath repo, boolean upload) implements SshRequest {}

    /** git-lfs 3's pure SSH transfer, which git-lfs gives up for git-lfs-authenticate when it fails. */
    record LfsTransfer() implements SshRequest {}

    /** Anything else: the message says what this server runs. */
    record Unknown(String message) implements SshRequest {}

    static SshRequest parse(String commandLine) {
        List<String> given = CommandFactory.split(commandLine == null ? "" : commandLine.strip());
        if (given.isEmpty()) {
            return new Unknown("No command given");
        }
        // "git upload-pack 'path'", as some clients send it, is git-upload-pack.
        boolean spaced = given.get(0).equals("git") && given.size() > 1;
        List<String> words = spaced ? given.subList(1, given.size()) : given;
        String verb = spaced ? "git-" + words.get(0) : words.get(0);
        Optional<SmartHttp.Service> service = SmartHttp.Service.of(verb);
        if (service.isPresent()) {
            if (words.size() != 2) {
                return new Unknown(verb + " takes one argument, the repository's path");
            }
            return repoPath(words.get(1)).<SshRequest>map(p -> new Git(service.get(), p))
                    .orElseGet(() -> notARepo(words.get(1)));
        }
        if (verb.equals("git-lfs-authenticate")) {
            if (words.size() != 3 || !(words.get(2).equals("upload") || words.get(2).equals("download"))) {
                return new Unknown("git-lfs-authenticate takes a repository's path and upload or download");
            }
            return repoPath(words.get(1)).<SshRequest>map(p -> new LfsAuthenticate(p, words.get(2).equals("upload")))
                    .orElseGet(() -> notARepo(words.get(1)));
        }
        if (verb.equals("git-lfs-transfer")) {
            return new LfsTransfer();
        }
        return new Unknown("This hub runs git-upload-pack, git-receive-pack and git-lfs-authenticate over SSH, not '"
                + verb + "'");
    }

    private static Unknown notARepo(String path) {
        return new Unknown("'" + path + "' is not a repository path: use namespace/name, datasets/namespace/name or"
                + " spaces/namespace/name");
    }

    static Optional<RepoPath> repoPath(String raw) {
        String path = raw.startsWith("/") ? raw.substring(1) : raw;
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        RepoType type = RepoType.MODEL;
        for (RepoType t : RepoType.values()) {
            if (!t.urlPrefix().isEmpty() && path.startsWith(t.urlPrefix())) {
                type = t;
                path = path.substring(t.urlPrefix().length());
            }
        }
        String[] parts = path.split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RepoPath(type, parts[0], parts[1]));
    }
}
