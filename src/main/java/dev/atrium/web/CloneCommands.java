package dev.atrium.web;

import dev.atrium.http.BaseUrl;
import dev.atrium.repo.Repo;
import io.javalin.http.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/** How to clone a repo from this hub: over HTTP always, over SSH when the hub listens for it. */
final class CloneCommands {
    private final BaseUrl baseUrl;
    private final IntSupplier sshPort;

    /** {@code sshPort}: the port git over SSH listens on, negative when it is off. */
    CloneCommands(BaseUrl baseUrl, IntSupplier sshPort) {
        this.baseUrl = baseUrl;
        this.sshPort = sshPort;
    }

    List<String> of(Context ctx, Repo repo) {
        List<String> commands = new ArrayList<>();
        commands.add("git clone " + baseUrl.of(ctx) + "/" + repo.urlPath());
        String ssh = sshUrl(ctx, repo.urlPath());
        if (ssh != null) {
            commands.add("git clone " + ssh);
        }
        return commands;
    }

    /** {@code git@host:path} on port 22, else {@code ssh://git@host:port/path}; null when SSH is off. */
    @Nullable String sshUrl(Context ctx, String path) {
        int port = sshPort.getAsInt();
        if (port < 0) {
            return null;
        }
        String host = URI.create(baseUrl.of(ctx)).getHost();
        return port == 22 ? "git@" + host + ":" + path : "ssh://git@" + host + ":" + port + "/" + path;
    }
}
