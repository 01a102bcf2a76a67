package dev.atrium.git;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.auth.SshLfsGrants;
import dev.atrium.http.Errors;
import dev.atrium.http.HubException;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.session.ServerSession;
import org.eclipse.jgit.lib.Repository;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command of an SSH session, run on its own thread (MINA's threads only move bytes): git-upload-pack,
 * git-receive-pack, git-lfs-authenticate, or a greeting for {@code ssh -T} (a null command line). Refusals go to
 * stderr, which git shows the user, with exit status 1.
 */
final class SshGitCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(SshGitCommand.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("atrium.access");

    private final SshGitServer.Services services;
    private final ExecutorService executor;
    private final @Nullable String commandLine;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private @Nullable Future<?> running;

    SshGitCommand(SshGitServer.Services services, ExecutorService executor, @Nullable String commandLine) {
        this.services = services;
        this.executor = executor;
        this.commandLine = commandLine;
    }

    @Override public void setInputStream(InputStream in) { this.in = in; }
    @Override public void setOutputStream(OutputStream out) { this.out = out; }
    @Override public void setErrorStream(OutputStream err) { this.err = err; }
    @Override public void setExitCallback(ExitCallback exit) { this.exit = exit; }

    @Override
    public void start(ChannelSession channel, Environment env) {
        ServerSession session = channel.getServerSession();
        String protocol = env.getEnv().get("GIT_PROTOCOL");
        running = executor.submit(() -> run(session, protocol));
    }

    @Override
    public void destroy(ChannelSession channel) {
        if (running != null) {
            running.cancel(true);
        }
    }

    private void run(ServerSession session, @Nullable String protocol) {
        long started = System.nanoTime();
        int status;
        try {
            status = execute(session, protocol);
        } catch (Exception e) {
            if (!(e instanceof HubException)) {
                LOG.warn("SSH command '{}' failed", commandLine, e);
            }
            status = 1;
            say(err, SshGitServer.explain(e));
        }
        try {
            out.flush();
            err.flush();
        } catch (IOException e) {
            // the client went away; nothing left to tell it
        }
        // Beside the HTTP access log, so an operator sees git over SSH too: who, what, how it ended, how long.
        ACCESS.info("ssh {} {} {} {}ms", SshGitServer.caller(session, services.users())
                        .map(p -> p.user().name()).orElse("-"), commandLine == null ? "(shell)" : commandLine, status,
                (System.nanoTime() - started) / 1_000_000);
        exit.onExit(status);
    }

    private int execute(ServerSession session, @Nullable String protocol) throws IOException {
        Principal caller = SshGitServer.caller(session, services.users()).orElseThrow(
                () -> new Errors.AuthenticationRequired("This SSH key is no longer registered"));
        String keyId = caller.token().id().substring(dev.atrium.auth.SshKeys.CREDENTIAL_PREFIX.length());
        services.keys().touch(keyId);
        if (commandLine == null) {
            say(out, "Hi " + caller.user().name() + ", welcome to Atrium. Clone with git clone ssh://git@host:port/"
                    + "namespace/name; there is no shell here.");
            return 0;
        }
        SshRequest request = SshRequest.parse(commandLine);
        if (request instanceof SshRequest.Git git) {
            SshRequest.RepoPath path = git.repo();
            boolean push = git.service() == SmartHttp.Service.RECEIVE_PACK;
            Repo repo = services.lookup().load(caller, path.type(), path.namespace(), path.name(),
                    push ? AccessPolicy.Action.COMMIT : AccessPolicy.Action.DOWNLOAD);
            OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
            try (Repository repository = services.repoService().openGit(repo)) {
                if (push) {
                    services.git().receiveSession(repository, repo, caller, in, buffered, err);
                } else {
                    services.git().uploadSession(repository, protocol, in, buffered, err);
                }
            }
            buffered.flush();
            return 0;
        }
        if (request instanceof SshRequest.LfsAuthenticate lfs) {
            say(out, lfsAuthentication(session, caller, keyId, lfs));
            return 0;
        }
        if (request instanceof SshRequest.LfsTransfer) {
            say(err, "git-lfs-transfer is not offered here; git-lfs uses git-lfs-authenticate and HTTP instead");
            return 1;
        }
        say(err, ((SshRequest.Unknown) request).message());
        return 1;
    }

    /** The LFS API's URL and a credential for it, as git-lfs expects (its ssh_auth): href, header, expires_in. */
    private String lfsAuthentication(ServerSession session, Principal caller, String keyId,
                                     SshRequest.LfsAuthenticate lfs) {
        SshRequest.RepoPath path = lfs.repo();
        Repo repo = services.lookup().load(caller, path.type(), path.namespace(), path.name(),
                lfs.upload() ? AccessPolicy.Action.READ : AccessPolicy.Action.DOWNLOAD);
        if (lfs.upload()) {
            services.policy().requireUpload(caller, repo);
        }
        String base = services.baseUrl() != null ? services.baseUrl()
                : "http://" + SshGitServer.localHost(session) + ":" + services.httpPort();
        String grant = services.lfsGrants().issue(keyId, repo.type().singular(), repo.repoId().toString(),
                lfs.upload());
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("href", base + "/" + repo.urlPath() + ".git/info/lfs");
        answer.putObject("header").put("Authorization", "Bearer " + grant);
        answer.put("expires_in", SshLfsGrants.TTL.toSeconds());
        return answer.toString();
    }

    private static void say(OutputStream stream, String line) {
        try {
            stream.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stream.flush();
        } catch (IOException e) {
            // the client went away
        }
    }
}
