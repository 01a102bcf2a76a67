package dev.atrium.git;

import dev.atrium.DaemonThreads;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.auth.SshKeys;
import dev.atrium.auth.SshLfsGrants;
import dev.atrium.auth.Users;
import dev.atrium.http.HubException;
import dev.atrium.repo.RepoService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * git over SSH ({@code git clone ssh://git@host:port/alice/model}), as the Hub offers it: clients sign in with an
 * SSH key registered in their settings, under any user name ({@code git} by convention); the key stands for its
 * owner with the rights of a write token, checked by the same access policy as HTTP. git-lfs gets its HTTP
 * credentials from {@code git-lfs-authenticate}. No shells, no forwarding, no file transfer.
 */
public final class SshGitServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshGitServer.class);
    static final AttributeKey<SshKeys.Registered> KEY = new AttributeKey<>();

    /** What a session's commands need, beyond the SSH layer. */
    record Services(SshKeys keys, Users users, RepoLookup lookup, RepoService repoService, AccessPolicy policy,
                    SmartHttp git, SshLfsGrants lfsGrants, @Nullable String baseUrl, int httpPort) {}

    private final SshServer server;
    private final ExecutorService sessions;

    private SshGitServer(SshServer server, ExecutorService sessions) {
        this.server = server;
        this.sessions = sessions;
    }

    /**
     * Starts listening. The host key is made once and kept at {@code hostKey}, beside the server's secret, so that
     * clients see the same key after a restart and on every node that shares the secret.
     */
    public static SshGitServer start(String host, int port, Path hostKey, SshKeys keys, Users users,
                                     RepoLookup lookup, RepoService repoService, AccessPolicy policy, SmartHttp git,
                                     SshLfsGrants lfsGrants, @Nullable String baseUrl, int httpPort)
            throws IOException {
        SimpleGeneratorHostKeyProvider hostKeys = SshHostKey.load(hostKey);
        ExecutorService sessions = Executors.newCachedThreadPool(DaemonThreads.named("ssh-git"));
        Services services = new Services(keys, users, lookup, repoService, policy, git, lfsGrants, baseUrl, httpPort);
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(host);
        server.setPort(port);
        server.setKeyPairProvider(hostKeys);
        server.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory()));
        server.setPublickeyAuthenticator((user, key, session) -> signIn(keys, users, key, session));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        server.setCommandFactory((channel, command) -> new SshGitCommand(services, sessions, command));
        server.setShellFactory(channel -> new SshGitCommand(services, sessions, null));
        server.start();
        LOG.info("git over SSH on port {} (host key {})", server.getPort(), hostKey);
        return new SshGitServer(server, sessions);
    }

    /** A registered key of an active account signs in; a deactivated account's keys sign in no more. */
    private static boolean signIn(SshKeys keys, Users users, java.security.PublicKey key, ServerSession session) {
        Optional<SshKeys.Registered> registered = keys.byFingerprint(KeyUtils.getFingerPrint(key))
                .filter(r -> users.activeById(r.userId()).isPresent());
        registered.ifPresent(r -> session.setAttribute(KEY, r));
        return registered.isPresent();
    }

    /** The key a session signed in with, as the caller it stands for. */
    static Optional<Principal> caller(ServerSession session, Users users) {
        SshKeys.Registered key = session.getAttribute(KEY);
        return key == null ? Optional.empty()
                : users.activeById(key.userId()).map(user -> new Principal(user, key.credential()));
    }

    /** The address the client reached, for URLs when no base URL is configured. */
    static String localHost(ServerSession session) {
        if (session.getIoSession().getLocalAddress() instanceof InetSocketAddress local) {
            String host = local.getAddress().getHostAddress();
            return host.contains(":") ? "[" + host + "]" : host;
        }
        return "127.0.0.1";
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            LOG.warn("Stopping the SSH server: {}", e.getMessage());
        }
        sessions.shutdownNow();
    }

    static String explain(Exception e) {
        return e instanceof HubException ? e.getMessage() : "Internal error: " + e.getClass().getSimpleName();
    }
}
